import { Link } from 'react-router';
import { useI18n } from '../../i18n';
import { Alert } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';

export function ForbiddenPage() {
  const { t } = useI18n();
  usePageTitle(t('shell.forbidden'));
  return (
    <div className="stack">
      <h1>{t('shell.forbidden')}</h1>
      <Link to="/">{t('shell.backHome')}</Link>
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('shell.notFound'));
  return (
    <div className="stack">
      <h1>{t('shell.notFound')}</h1>
      <Alert>
        <Link to="/">{t('shell.backHome')}</Link>
      </Alert>
    </div>
  );
}
