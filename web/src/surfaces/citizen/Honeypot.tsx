import { useId } from 'react';
import { useI18n } from '../../i18n';

/**
 * The anti-spam trap the server expects (`website`, must stay empty): moved off screen rather than
 * display:none (some bots skip hidden fields), removed from the accessibility tree (aria-hidden) and
 * from the tab order (tabIndex -1), and never autofilled, so people and screen readers never meet it
 * while simple bots fill it in and get refused.
 */
export function Honeypot({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="citizen-hp" aria-hidden="true">
      <label htmlFor={id}>{t('citizen.honeypot')}</label>
      <input
        id={id}
        type="text"
        name="website"
        tabIndex={-1}
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
