import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { type ApiError, api, unwrap } from '../../api';
import { useI18n } from '../../i18n';
import { Alert, Button, Dialog, Select, TextArea, TextField, useAction, useToast } from '../../ui';

/** The server's message and, for VALIDATION_FAILED, each field's message. */
export function ServerError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const details = Array.isArray(error.details)
    ? (error.details as { field?: unknown; message?: unknown }[]).filter((d) => typeof d.message === 'string')
    : [];
  return (
    <Alert tone="error">
      <span>{error.message}</span>
      {details.length > 0 ? (
        <ul className="adm-error-list">
          {details.map((d) => (
            <li key={`${String(d.field)}-${String(d.message)}`}>
              {typeof d.field === 'string' && d.field ? `${d.field.replace(/^\//, '')}: ` : ''}
              {String(d.message)}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/**
 * Confirms an action that the server records with a reason (deactivate, revoke, reset MFA…). The
 * dialog stays open and shows the server's message when the action is refused.
 */
export function ReasonDialog({
  open,
  title,
  description,
  confirmLabel,
  danger = false,
  reasonRequired = true,
  onClose,
  onConfirm,
  successMessage,
}: {
  open: boolean;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  reasonRequired?: boolean;
  onClose: () => void;
  onConfirm: (reason: string) => Promise<unknown>;
  successMessage: string;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const action = useAction(onConfirm);
  const { clearError } = action;
  useEffect(() => {
    if (open) {
      setReason('');
      clearError();
    }
  }, [open, clearError]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(reason.trim());
    if (done !== undefined) {
      toast.show(successMessage, 'success');
      onClose();
    }
  };
  const formId = `reason-${title.replace(/\W+/g, '-')}`;
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form={formId} variant={danger ? 'danger' : 'primary'} busy={action.busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="adm-form">
        {description ? <p>{description}</p> : null}
        <TextArea
          label={t('adm.reason')}
          hint={t('adm.reason.hint')}
          required={reasonRequired}
          minLength={reasonRequired ? 3 : undefined}
          maxLength={1000}
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <ServerError error={action.error} />
      </form>
    </Dialog>
  );
}

export type ScopeLevel = 'national' | 'department' | 'municipality' | 'unit';
export interface ScopeValue {
  level: ScopeLevel;
  code: string | null;
}

interface Territories {
  departments: { code: string; name: string }[];
  municipalities: { pcode: string; name: string; departmentCode: string }[];
}
let territories: Promise<Territories> | null = null;

function loadTerritories(): Promise<Territories> {
  territories ??= Promise.all([
    unwrap(api.GET('/api/v1/geo/departments')),
    unwrap(api.GET('/api/v1/geo/municipalities', { params: { query: {} } })),
  ]).then(
    ([departments, municipalities]) => ({
      departments: departments.map((d) => ({ code: d.code, name: d.name })),
      municipalities: municipalities
        .map((m) => ({ pcode: m.pcode, name: m.name, departmentCode: m.departmentCode }))
        .sort((a, b) => a.name.localeCompare(b.name, 'es')),
    }),
    (error: unknown) => {
      territories = null;
      throw error;
    },
  );
  return territories;
}

/** Departments and municipalities (loaded once per page), for selects. */
export function useTerritories(): Territories | null {
  const [value, setValue] = useState<Territories | null>(null);
  useEffect(() => {
    let current = true;
    loadTerritories().then(
      (loaded) => current && setValue(loaded),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return value;
}

/** Department select (ISO codes, e.g. SV-SS). */
export function DepartmentSelect({
  label,
  value,
  onChange,
  required,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  required?: boolean;
  placeholder?: string;
}) {
  const { t } = useI18n();
  const places = useTerritories();
  return (
    <Select
      label={label}
      required={required}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder ?? t('adm.choose')}
      options={(places?.departments ?? []).map((d) => ({ value: d.code, label: d.name }))}
    />
  );
}

/** Municipality select of one department (HDX pcodes, e.g. SV10001). */
export function MunicipalitySelect({
  label,
  department,
  value,
  onChange,
  required,
}: {
  label: string;
  department: string;
  value: string;
  onChange: (pcode: string) => void;
  required?: boolean;
}) {
  const { t } = useI18n();
  const places = useTerritories();
  return (
    <Select
      label={label}
      required={required}
      value={value}
      disabled={!department}
      onChange={(e) => onChange(e.target.value)}
      placeholder={department ? t('adm.optionalChoose') : t('adm.scope.pickDepartment')}
      options={(places?.municipalities ?? [])
        .filter((m) => m.departmentCode === department)
        .map((m) => ({ value: m.pcode, label: m.name }))}
    />
  );
}

/** Scope of a role assignment or an API key: national, a department, a municipality or a unit. */
export function ScopeFields({
  value,
  onChange,
}: {
  value: ScopeValue;
  onChange: (scope: ScopeValue) => void;
}) {
  const { t } = useI18n();
  const places = useTerritories();
  const [department, setDepartment] = useState('');
  const levels: ScopeLevel[] = ['national', 'department', 'municipality', 'unit'];
  return (
    <fieldset className="adm-fieldset">
      <legend>{t('adm.scope')}</legend>
      <Select
        label={t('adm.scope.level')}
        value={value.level}
        onChange={(e) => onChange({ level: e.target.value as ScopeLevel, code: null })}
        options={levels.map((l) => ({ value: l, label: t(`adm.scope.${l}`) }))}
      />
      {value.level === 'department' ? (
        <DepartmentSelect
          label={t('adm.scope.department')}
          required
          value={value.code ?? ''}
          onChange={(code) => onChange({ level: 'department', code: code || null })}
        />
      ) : null}
      {value.level === 'municipality' ? (
        <>
          <DepartmentSelect
            label={t('adm.scope.department')}
            required
            value={department}
            onChange={(code) => {
              setDepartment(code);
              onChange({ level: 'municipality', code: null });
            }}
          />
          <MunicipalitySelect
            label={t('adm.scope.municipality')}
            required
            department={department}
            value={value.code ?? ''}
            onChange={(pcode) => onChange({ level: 'municipality', code: pcode || null })}
          />
        </>
      ) : null}
      {value.level === 'unit' ? (
        <TextField
          label={t('adm.scope.unit')}
          hint={t('adm.scope.unit.hint')}
          required
          maxLength={64}
          value={value.code ?? ''}
          onChange={(e) => onChange({ level: 'unit', code: e.target.value || null })}
        />
      ) : null}
      {!places && value.level !== 'national' && value.level !== 'unit' ? (
        <span className="muted">{t('common.loading')}</span>
      ) : null}
    </fieldset>
  );
}

/** "Nacional", "San Salvador", "Municipio …", "Unidad …" for a scope. */
export function useScopeLabel(): (scope: { level: string; code: string | null }) => string {
  const { t } = useI18n();
  const places = useTerritories();
  return (scope) => {
    if (scope.level === 'national') return t('adm.scope.national');
    const code = scope.code ?? '—';
    if (scope.level === 'department') {
      return places?.departments.find((d) => d.code === code)?.name ?? code;
    }
    if (scope.level === 'municipality') {
      return t('adm.scope.municipalityOf', {
        name: places?.municipalities.find((m) => m.pcode === code)?.name ?? code,
      });
    }
    return t('adm.scope.unitOf', { code });
  };
}

/** Section heading with its actions on the right. */
export function SectionHead({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <div className="adm-section__head">
      <h2 id={id}>{title}</h2>
      {children ? <div className="adm-section__actions">{children}</div> : null}
    </div>
  );
}

/** Read-only notice for users who may see but not change a section. */
export function ReadOnlyNote() {
  const { t } = useI18n();
  return <Alert tone="info">{t('adm.readOnly')}</Alert>;
}

/** A fresh Idempotency-Key for one form submission (a retry of the same submission reuses it). */
export { newIdempotencyKey as newKey } from '../../features/incidents/idempotency';
