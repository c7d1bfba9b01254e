import { LOCALES, type Locale, useI18n } from '../../i18n';

/** Language selector; the choice is persisted and applied at once (server messages follow it). */
export function LanguageSwitch({ id = 'language-switch' }: { id?: string }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <span className="row" style={{ gap: '0.25rem' }}>
      <label htmlFor={id} className="visually-hidden">
        {t('language.label')}
      </label>
      <select
        id={id}
        className="select"
        value={locale}
        onChange={(event) => setLocale(event.target.value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
