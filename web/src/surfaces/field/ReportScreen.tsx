import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../../i18n';
import { Alert, Button, Empty, ErrorState, Field, Loading, TextArea, useToast } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { useField } from './FieldContext';
import { optionLabel, parsePlates, type ReportFieldSpec } from './progress';

type Values = Record<string, string>;

/** Form values (strings, as typed) → the report's `fields`, with the problems found per field. */
export function readFields(
  specs: readonly ReportFieldSpec[],
  values: Values,
  t: (key: string, params?: Record<string, string | number>) => string,
): { fields: Record<string, unknown>; errors: Record<string, string> } {
  const fields: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const raw = (values[spec.code] ?? '').trim();
    if (raw === '') {
      if (spec.required) errors[spec.code] = t('field.report.required');
      continue;
    }
    switch (spec.kind) {
      case 'count': {
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0 || n > 10_000) errors[spec.code] = t('field.report.countInvalid');
        else fields[spec.code] = n;
        break;
      }
      case 'boolean':
        fields[spec.code] = raw === 'yes';
        break;
      case 'choice':
        if (spec.options?.includes(raw)) fields[spec.code] = raw;
        else errors[spec.code] = t('field.report.choiceInvalid');
        break;
      case 'plates': {
        const { plates, invalid } = parsePlates(raw);
        if (invalid.length > 0)
          errors[spec.code] = t('field.report.platesInvalid', { plates: invalid.join(', ') });
        else fields[spec.code] = plates;
        break;
      }
      default:
        fields[spec.code] = raw.slice(0, 2000);
    }
  }
  return { fields, errors };
}

function SpecInput({
  spec,
  value,
  error,
  onChange,
}: {
  spec: ReportFieldSpec;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  if (spec.kind === 'boolean') {
    const name = `report-${spec.code}`;
    return (
      <fieldset className="field-fieldset">
        <legend className="field__label">
          {spec.label}
          {spec.required ? <span className="muted"> ({t('common.required')})</span> : null}
        </legend>
        <div className="field-segmented">
          {(['yes', 'no'] as const).map((option) => (
            <label key={option} className="field-segmented__option">
              <input
                type="radio"
                name={name}
                value={option}
                checked={value === option}
                onChange={() => onChange(option)}
              />
              <span>{t(`field.report.${option}`)}</span>
            </label>
          ))}
          <label className="field-segmented__option">
            <input type="radio" name={name} value="" checked={value === ''} onChange={() => onChange('')} />
            <span>{t('field.report.unanswered')}</span>
          </label>
        </div>
        {error ? (
          <span className="field__error" role="alert">
            {error}
          </span>
        ) : null}
      </fieldset>
    );
  }
  return (
    <Field
      label={spec.label}
      required={spec.required}
      error={error}
      hint={spec.kind === 'plates' ? t('field.report.platesHint') : undefined}
    >
      {(control) => {
        if (spec.kind === 'count') {
          return (
            <input
              {...control}
              className="input"
              type="number"
              inputMode="numeric"
              min={0}
              max={10_000}
              step={1}
              name={spec.code}
              value={value}
              onChange={(event) => onChange(event.target.value)}
            />
          );
        }
        if (spec.kind === 'choice') {
          return (
            <select
              {...control}
              className="select"
              name={spec.code}
              value={value}
              onChange={(event) => onChange(event.target.value)}
            >
              <option value="">{t('field.report.choose')}</option>
              {(spec.options ?? []).map((option) => (
                <option key={option} value={option}>
                  {optionLabel(option)}
                </option>
              ))}
            </select>
          );
        }
        if (spec.kind === 'text') {
          return (
            <textarea
              {...control}
              className="textarea"
              name={spec.code}
              maxLength={2000}
              value={value}
              onChange={(event) => onChange(event.target.value)}
            />
          );
        }
        return (
          <input
            {...control}
            className="input"
            name={spec.code}
            autoCapitalize="characters"
            autoComplete="off"
            value={value}
            onChange={(event) => onChange(event.target.value)}
          />
        );
      }}
    </Field>
  );
}

/** Field report: the structured fields of the incident's family, then the narrative. */
export function ReportScreen() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const field = useField();
  const incident = field.incident;
  const specs = incident ? field.reportFields(incident.id) : null;
  const [values, setValues] = useState<Values>({});
  const [narrative, setNarrative] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  usePageTitle(t('field.report.title'));

  if (field.me.loading && !field.me.data) return <Loading />;
  if (!incident || !specs) {
    return (
      <Empty
        action={
          <Link className="btn btn--secondary btn--large" to="/campo/">
            {t('field.back')}
          </Link>
        }
      >
        {t('field.report.noIncident')}
      </Empty>
    );
  }
  if (!specs.items) {
    if (specs.error) return <ErrorState error={specs.error} onRetry={specs.reload} />;
    return <Loading />;
  }
  const items = specs.items;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readFields(items, values, t);
    const problems = { ...read.errors };
    if (!narrative.trim()) problems.narrative = t('field.report.narrativeRequired');
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      const first = Object.keys(problems)[0];
      document.querySelector<HTMLElement>(`[name="${first}"], [name="report-${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await field.report({ incident, fields: read.fields, narrative: narrative.trim() });
      toast.show(navigator.onLine ? t('field.toast.sending') : t('field.toast.queued'), 'info');
      navigate('/campo/');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack field-screen" onSubmit={submit} noValidate>
      <div>
        <Link to="/campo/" className="field-back">
          ← {t('field.back')}
        </Link>
        <h1>{t('field.report.heading', { folio: incident.folio })}</h1>
        <p className="muted">{t('field.report.intro')}</p>
      </div>
      {Object.keys(errors).length > 0 ? <Alert tone="error">{t('field.report.fix')}</Alert> : null}
      {items.map((spec) => (
        <SpecInput
          key={spec.code}
          spec={spec}
          value={values[spec.code] ?? ''}
          error={errors[spec.code]}
          onChange={(value) => setValues((all) => ({ ...all, [spec.code]: value }))}
        />
      ))}
      <TextArea
        label={t('field.report.narrative')}
        name="narrative"
        required
        rows={8}
        maxLength={20_000}
        value={narrative}
        error={errors.narrative}
        hint={t('field.report.narrativeHint')}
        onChange={(event) => setNarrative(event.target.value)}
      />
      <Button type="submit" size="large" block busy={busy}>
        {t('field.report.submit')}
      </Button>
    </form>
  );
}
