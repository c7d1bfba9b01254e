import { type FormEvent, useState } from 'react';
import { type ApiBody, type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import {
  Button,
  Dialog,
  ErrorState,
  Loading,
  Select,
  Table,
  TextArea,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';
import { newKey, ReadOnlyNote, ReasonDialog, SectionHead, ServerError } from './common';

type IncidentType = ApiResponse<'/api/v1/catalog/incident-types'>['items'][number];
type Question = IncidentType['questions'][number];
type TypeCreate = ApiBody<'/api/v1/catalog/incident-types'>;

const PRIORITIES = [1, 2, 3, 4];

/** Incident types and their guided questions (which suggest the priority at intake). */
export default function TypesSection() {
  const { t, locale } = useI18n();
  const auth = useAuth();
  const canManage = auth.can('incident.types.manage');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const types = useAsync(
    () => unwrap(api.GET('/api/v1/catalog/incident-types', { params: { query: { includeInactive: true } } })),
    [],
  );
  const name = (type: IncidentType) => (locale === 'en' ? type.nameEn : type.nameEs);
  const needle = filter.trim().toLowerCase();
  const rows = (types.data?.items ?? []).filter(
    (type) =>
      !needle ||
      type.code.toLowerCase().includes(needle) ||
      type.nameEs.toLowerCase().includes(needle) ||
      type.nameEn.toLowerCase().includes(needle),
  );
  const current = types.data?.items.find((type) => type.code === selected) ?? null;
  const families = (types.data?.items ?? []).filter((type) => type.parentCode === null && type.active);

  return (
    <section className="adm-section" aria-labelledby="adm-types-h">
      <SectionHead id="adm-types-h" title={t('adm.types.title')}>
        {canManage ? <Button onClick={() => setCreating(true)}>{t('adm.types.new')}</Button> : null}
      </SectionHead>
      {!canManage ? <ReadOnlyNote /> : null}
      <div className="adm-filters">
        <TextField
          label={t('adm.types.filter')}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="adm-split">
        <div className="adm-split__main">
          {types.loading && !types.data ? <Loading /> : null}
          {types.error ? <ErrorState error={types.error} onRetry={types.reload} /> : null}
          {types.data ? (
            <Table<IncidentType>
              caption={t('adm.types.caption')}
              captionHidden
              rows={rows}
              rowKey={(type) => type.code}
              selectedKey={selected}
              onRowActivate={(type) => setSelected(type.code)}
              empty={t('adm.types.empty')}
              columns={[
                { key: 'code', header: t('adm.types.code'), render: (type) => <code>{type.code}</code> },
                {
                  key: 'name',
                  header: t('adm.types.name'),
                  render: (type) => (type.parentCode ? `— ${name(type)}` : <strong>{name(type)}</strong>),
                },
                {
                  key: 'priority',
                  header: t('adm.priority'),
                  numeric: true,
                  render: (type) => type.defaultPriority,
                },
                {
                  key: 'q',
                  header: t('adm.types.questions'),
                  numeric: true,
                  render: (type) => type.questions.length,
                },
                {
                  key: 'active',
                  header: t('adm.status'),
                  render: (type) => (
                    <span className={type.active ? 'adm-pill adm-pill--ok' : 'adm-pill adm-pill--off'}>
                      {type.active ? t('adm.active') : t('adm.inactive')}
                    </span>
                  ),
                },
              ]}
            />
          ) : null}
        </div>
        {current ? (
          <TypeEditor
            key={`${current.code}-${current.updatedAt ?? ''}`}
            type={current}
            canManage={canManage}
            onSaved={(saved) => {
              types.setData((prev) => ({
                items: (prev?.items ?? []).map((x) => (x.code === saved.code ? saved : x)),
              }));
            }}
            onChanged={types.reload}
            onClose={() => setSelected(null)}
          />
        ) : null}
      </div>
      <CreateTypeDialog
        open={creating}
        families={families}
        onClose={() => setCreating(false)}
        onCreated={(code) => {
          setCreating(false);
          types.reload();
          setSelected(code);
        }}
      />
    </section>
  );
}

function QuestionsEditor({
  questions,
  onChange,
  readOnly,
}: {
  questions: Question[];
  onChange: (questions: Question[]) => void;
  readOnly: boolean;
}) {
  const { t } = useI18n();
  // Stable row keys while codes are being typed (the questions themselves carry no id).
  const [keys, setKeys] = useState(() => questions.map((_, i) => i));
  const rowKeys = keys.length === questions.length ? keys : questions.map((_, i) => i);
  const update = (index: number, patch: Partial<Question>) =>
    onChange(questions.map((q, i) => (i === index ? { ...q, ...patch } : q)));
  const add = () => {
    setKeys([...rowKeys, Math.max(-1, ...rowKeys) + 1]);
    onChange([...questions, { code: '', textEs: '', textEn: '', priorityIfYes: 2 }]);
  };
  const remove = (index: number) => {
    setKeys(rowKeys.filter((_, i) => i !== index));
    onChange(questions.filter((_, i) => i !== index));
  };
  return (
    <fieldset className="adm-fieldset">
      <legend>{t('adm.types.questions')}</legend>
      {questions.length === 0 ? <p className="muted">{t('adm.types.noQuestions')}</p> : null}
      {questions.map((q, index) => (
        <fieldset key={rowKeys[index]} className="adm-question">
          <legend className="visually-hidden">{t('adm.types.questionN', { n: index + 1 })}</legend>
          <TextField
            label={t('adm.types.q.code')}
            required
            readOnly={readOnly}
            pattern="[a-z][a-z0-9_]{1,39}"
            value={q.code}
            onChange={(e) => update(index, { code: e.target.value })}
          />
          <TextField
            label={t('adm.types.q.textEs')}
            required
            readOnly={readOnly}
            value={q.textEs}
            onChange={(e) => update(index, { textEs: e.target.value })}
          />
          <TextField
            label={t('adm.types.q.textEn')}
            required
            readOnly={readOnly}
            value={q.textEn}
            onChange={(e) => update(index, { textEn: e.target.value })}
          />
          <Select
            label={t('adm.types.q.priorityIfYes')}
            disabled={readOnly}
            value={String(q.priorityIfYes)}
            onChange={(e) => update(index, { priorityIfYes: Number(e.target.value) })}
            options={PRIORITIES.map((p) => ({ value: String(p), label: t('adm.priorityN', { n: p }) }))}
          />
          {!readOnly ? (
            <Button
              variant="ghost"
              aria-label={t('adm.types.removeQuestionN', { n: index + 1 })}
              onClick={() => remove(index)}
            >
              {t('adm.remove')}
            </Button>
          ) : null}
        </fieldset>
      ))}
      {!readOnly ? (
        <Button variant="secondary" onClick={add}>
          {t('adm.types.addQuestion')}
        </Button>
      ) : null}
    </fieldset>
  );
}

function TypeEditor({
  type,
  canManage,
  onSaved,
  onChanged,
  onClose,
}: {
  type: IncidentType;
  canManage: boolean;
  onSaved: (type: IncidentType) => void;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [form, setForm] = useState({
    nameEs: type.nameEs,
    nameEn: type.nameEn,
    defaultPriority: type.defaultPriority,
    referral: type.referral ?? '',
    keywords: type.keywords,
    questions: type.questions,
  });
  const [reason, setReason] = useState('');
  const [toggling, setToggling] = useState(false);
  const save = useAction(() =>
    unwrap(
      api.PATCH('/api/v1/catalog/incident-types/{code}', {
        params: { path: { code: type.code } },
        body: {
          nameEs: form.nameEs,
          nameEn: form.nameEn,
          defaultPriority: form.defaultPriority,
          referral: form.referral === '' ? null : (form.referral as 'fire' | 'medical'),
          keywords: form.keywords,
          questions: form.questions,
          reason: reason.trim(),
        },
      }),
    ),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await save.run();
    if (saved) {
      toast.show(t('adm.types.saved', { code: saved.code }), 'success');
      onSaved(saved);
    }
  };
  const readOnly = !canManage;
  return (
    <aside className="adm-split__panel" aria-labelledby="adm-type-h">
      <div className="adm-panel__head">
        <h3 id="adm-type-h">
          <code>{type.code}</code>
        </h3>
        <Button variant="ghost" onClick={onClose} aria-label={t('adm.closePanel')}>
          ✕
        </Button>
      </div>
      <form className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.types.nameEs')}
          required
          readOnly={readOnly}
          value={form.nameEs}
          onChange={(e) => setForm({ ...form, nameEs: e.target.value })}
        />
        <TextField
          label={t('adm.types.nameEn')}
          required
          readOnly={readOnly}
          value={form.nameEn}
          onChange={(e) => setForm({ ...form, nameEn: e.target.value })}
        />
        <TypeCommonFields form={form} setForm={(f) => setForm({ ...form, ...f })} readOnly={readOnly} />
        <QuestionsEditor
          questions={form.questions}
          readOnly={readOnly}
          onChange={(questions) => setForm({ ...form, questions })}
        />
        {canManage ? (
          <>
            <TextArea
              label={t('adm.reason')}
              hint={t('adm.reason.hint')}
              required
              minLength={3}
              maxLength={1000}
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <ServerError error={save.error} />
            <div className="adm-actions">
              <Button type="submit" busy={save.busy}>
                {t('adm.save')}
              </Button>
              <Button variant={type.active ? 'danger' : 'secondary'} onClick={() => setToggling(true)}>
                {type.active ? t('adm.deactivate') : t('adm.reactivate')}
              </Button>
            </div>
          </>
        ) : null}
      </form>
      <ReasonDialog
        open={toggling}
        title={t(type.active ? 'adm.types.deactivateTitle' : 'adm.types.reactivateTitle', {
          code: type.code,
        })}
        description={type.active ? t('adm.types.deactivateHelp') : undefined}
        confirmLabel={type.active ? t('adm.deactivate') : t('adm.reactivate')}
        danger={type.active}
        successMessage={type.active ? t('adm.types.deactivated') : t('adm.types.reactivated')}
        onClose={() => setToggling(false)}
        onConfirm={async (why) => {
          const path = type.active
            ? '/api/v1/catalog/incident-types/{code}/deactivate'
            : '/api/v1/catalog/incident-types/{code}/reactivate';
          const r = await unwrap(
            api.POST(path, { params: { path: { code: type.code } }, body: { reason: why } }),
          );
          onChanged();
          return r;
        }}
      />
    </aside>
  );
}

interface CommonForm {
  defaultPriority: number;
  referral: string;
  keywords: string;
}

function TypeCommonFields({
  form,
  setForm,
  readOnly,
}: {
  form: CommonForm;
  setForm: (patch: Partial<CommonForm>) => void;
  readOnly: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <Select
        label={t('adm.types.defaultPriority')}
        disabled={readOnly}
        value={String(form.defaultPriority)}
        onChange={(e) => setForm({ defaultPriority: Number(e.target.value) })}
        options={PRIORITIES.map((p) => ({ value: String(p), label: t('adm.priorityN', { n: p }) }))}
      />
      <Select
        label={t('adm.types.referral')}
        disabled={readOnly}
        value={form.referral}
        onChange={(e) => setForm({ referral: e.target.value })}
        options={[
          { value: '', label: t('adm.types.referral.none') },
          { value: 'fire', label: t('adm.types.referral.fire') },
          { value: 'medical', label: t('adm.types.referral.medical') },
        ]}
      />
      <TextField
        label={t('adm.types.keywords')}
        hint={t('adm.types.keywords.hint')}
        readOnly={readOnly}
        maxLength={500}
        value={form.keywords}
        onChange={(e) => setForm({ keywords: e.target.value })}
      />
    </>
  );
}

function CreateTypeDialog({
  open,
  families,
  onClose,
  onCreated,
}: {
  open: boolean;
  families: IncidentType[];
  onClose: () => void;
  onCreated: (code: string) => void;
}) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const empty = {
    parent: '',
    suffix: '',
    nameEs: '',
    nameEn: '',
    defaultPriority: 3,
    referral: '',
    keywords: '',
    questions: [] as Question[],
    reason: '',
  };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(() => newKey('type'));
  const code = form.parent
    ? `${form.parent}.${form.suffix.trim().toUpperCase()}`
    : form.suffix.trim().toUpperCase();
  const create = useAction(() => {
    const body: TypeCreate = {
      code,
      parentCode: form.parent || null,
      nameEs: form.nameEs,
      nameEn: form.nameEn,
      defaultPriority: form.defaultPriority,
      referral: form.referral === '' ? null : (form.referral as 'fire' | 'medical'),
      keywords: form.keywords,
      questions: form.questions,
      reason: form.reason.trim(),
    };
    return unwrap(api.POST('/api/v1/catalog/incident-types', { body, headers: { 'Idempotency-Key': key } }));
  });
  const close = () => {
    setForm(empty);
    setKey(newKey('type'));
    create.clearError();
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await create.run();
    if (created) {
      toast.show(t('adm.types.created', { code: created.code }), 'success');
      setForm(empty);
      setKey(newKey('type'));
      onCreated(created.code);
    }
  };
  return (
    <Dialog
      open={open}
      title={t('adm.types.new')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-type" busy={create.busy}>
            {t('adm.types.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-type" className="adm-form" onSubmit={submit}>
        <Select
          label={t('adm.types.family')}
          value={form.parent}
          onChange={(e) => setForm({ ...form, parent: e.target.value })}
          options={[
            { value: '', label: t('adm.types.newFamily') },
            ...families.map((f) => ({
              value: f.code,
              label: `${f.code} — ${locale === 'en' ? f.nameEn : f.nameEs}`,
            })),
          ]}
        />
        <TextField
          label={form.parent ? t('adm.types.subtypeCode') : t('adm.types.familyCode')}
          hint={t('adm.types.codeHint', { code: code || '—' })}
          required
          value={form.suffix}
          onChange={(e) => setForm({ ...form, suffix: e.target.value })}
        />
        <TextField
          label={t('adm.types.nameEs')}
          required
          value={form.nameEs}
          onChange={(e) => setForm({ ...form, nameEs: e.target.value })}
        />
        <TextField
          label={t('adm.types.nameEn')}
          required
          value={form.nameEn}
          onChange={(e) => setForm({ ...form, nameEn: e.target.value })}
        />
        <TypeCommonFields form={form} setForm={(f) => setForm({ ...form, ...f })} readOnly={false} />
        <QuestionsEditor
          questions={form.questions}
          readOnly={false}
          onChange={(questions) => setForm({ ...form, questions })}
        />
        <TextArea
          label={t('adm.reason')}
          hint={t('adm.reason.hint')}
          required
          minLength={3}
          rows={2}
          value={form.reason}
          onChange={(e) => setForm({ ...form, reason: e.target.value })}
        />
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}
