import { useEffect } from 'react';
import { useI18n } from '../../i18n';

/** Sets the document title ("<title> · Centinela"), announced by screen readers on navigation. */
export function usePageTitle(title: string | null | undefined): void {
  const { t } = useI18n();
  const app = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} · ${app}` : app;
  }, [title, app]);
}
