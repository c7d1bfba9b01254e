import { type FormEvent, useState } from 'react';
import { type ApiBody, type ApiResponse, api, unwrap } from '../../api';
import { useI18n } from '../../i18n';
import {
  Button,
  Dialog,
  ErrorState,
  Loading,
  Select,
  Table,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';
import { newKey, SectionHead, ServerError, useTerritories } from './common';

type Camera = ApiResponse<'/api/v1/video/cameras'>['items'][number];
type Rule = ApiResponse<'/api/v1/video/rules'>['items'][number];
type RuleCreate = ApiBody<'/api/v1/video/rules'>;
const ACTIONS = ['create_incident', 'attach_nearby', 'alert_only'] as const;

/** Cameras (Frigate) and the rules that turn their detections into incidents or alerts. */
export default function VideoSection() {
  const { t } = useI18n();
  const toast = useToast();
  const places = useTerritories();
  const cameras = useAsync(() => unwrap(api.GET('/api/v1/video/config/cameras')), []);
  const rules = useAsync(() => unwrap(api.GET('/api/v1/video/rules', { params: { query: {} } })), []);
  const [creating, setCreating] = useState<'camera' | 'rule' | null>(null);
  const toggleCamera = useAction((camera: Camera) =>
    unwrap(
      api.PATCH('/api/v1/video/cameras/{id}', {
        params: { path: { id: camera.id } },
        body: { active: !camera.active },
      }),
    ),
  );
  const toggleRule = useAction((rule: Rule) =>
    unwrap(
      api.PATCH('/api/v1/video/rules/{id}', {
        params: { path: { id: rule.id } },
        body: { active: !rule.active },
      }),
    ),
  );
  const cameraName = (id: string | null) =>
    id ? (cameras.data?.items.find((c) => c.id === id)?.name ?? id) : t('adm.video.global');

  return (
    <>
      <section className="adm-section" aria-labelledby="adm-cameras-h">
        <SectionHead id="adm-cameras-h" title={t('adm.video.cameras')}>
          <Button onClick={() => setCreating('camera')}>{t('adm.video.newCamera')}</Button>
        </SectionHead>
        <ServerError error={toggleCamera.error} />
        {cameras.loading && !cameras.data ? <Loading /> : null}
        {cameras.error ? <ErrorState error={cameras.error} onRetry={cameras.reload} /> : null}
        {cameras.data ? (
          <Table<Camera>
            caption={t('adm.video.cameras')}
            captionHidden
            rows={cameras.data.items}
            rowKey={(c) => c.id}
            empty={t('adm.video.noCameras')}
            columns={[
              { key: 'name', header: t('adm.name'), render: (c) => <code>{c.name}</code> },
              { key: 'desc', header: t('adm.description.label'), render: (c) => c.description ?? '—' },
              {
                key: 'place',
                header: t('adm.department'),
                render: (c) =>
                  c.departmentCode
                    ? (places?.departments.find((d) => d.code === c.departmentCode)?.name ?? c.departmentCode)
                    : t('adm.video.outside'),
              },
              { key: 'url', header: t('adm.video.frigate'), render: (c) => c.frigateBaseUrl ?? '—' },
              {
                key: 'active',
                header: t('adm.status'),
                render: (c) => (
                  <span className={c.active ? 'adm-pill adm-pill--ok' : 'adm-pill adm-pill--off'}>
                    {c.active ? t('adm.active') : t('adm.inactive')}
                  </span>
                ),
              },
              {
                key: 'actions',
                header: t('adm.actions'),
                render: (c) => (
                  <Button
                    variant="secondary"
                    aria-label={t(c.active ? 'adm.video.deactivateOf' : 'adm.video.activateOf', {
                      name: c.name,
                    })}
                    onClick={async () => {
                      if (await toggleCamera.run(c)) {
                        toast.show(t('adm.video.cameraSaved', { name: c.name }), 'success');
                        cameras.reload();
                      }
                    }}
                  >
                    {c.active ? t('adm.deactivate') : t('adm.reactivate')}
                  </Button>
                ),
              },
            ]}
          />
        ) : null}
      </section>
      <section className="adm-section" aria-labelledby="adm-rules-h">
        <SectionHead id="adm-rules-h" title={t('adm.video.rules')}>
          <Button onClick={() => setCreating('rule')}>{t('adm.video.newRule')}</Button>
        </SectionHead>
        <p className="muted">{t('adm.video.rulesHelp')}</p>
        <ServerError error={toggleRule.error} />
        {rules.loading && !rules.data ? <Loading /> : null}
        {rules.error ? <ErrorState error={rules.error} onRetry={rules.reload} /> : null}
        {rules.data ? (
          <Table<Rule>
            caption={t('adm.video.rules')}
            captionHidden
            rows={rules.data.items}
            rowKey={(r) => r.id}
            empty={t('adm.video.noRules')}
            columns={[
              { key: 'name', header: t('adm.name'), render: (r) => r.name },
              { key: 'camera', header: t('adm.video.camera'), render: (r) => cameraName(r.cameraId) },
              { key: 'label', header: t('adm.video.label'), render: (r) => <code>{r.label}</code> },
              {
                key: 'zones',
                header: t('adm.video.zones'),
                render: (r) => r.zones.join(', ') || t('adm.video.anyZone'),
              },
              { key: 'score', header: t('adm.video.minScore'), numeric: true, render: (r) => r.minScore },
              {
                key: 'action',
                header: t('adm.video.action'),
                render: (r) => t(`adm.video.action.${r.action}`),
              },
              { key: 'priority', header: t('adm.priority'), numeric: true, render: (r) => r.priority },
              {
                key: 'active',
                header: t('adm.status'),
                render: (r) => (
                  <span className={r.active ? 'adm-pill adm-pill--ok' : 'adm-pill adm-pill--off'}>
                    {r.active ? t('adm.active') : t('adm.inactive')}
                  </span>
                ),
              },
              {
                key: 'actions',
                header: t('adm.actions'),
                render: (r) => (
                  <Button
                    variant="secondary"
                    aria-label={t(r.active ? 'adm.video.deactivateOf' : 'adm.video.activateOf', {
                      name: r.name,
                    })}
                    onClick={async () => {
                      if (await toggleRule.run(r)) {
                        toast.show(t('adm.video.ruleSaved', { name: r.name }), 'success');
                        rules.reload();
                      }
                    }}
                  >
                    {r.active ? t('adm.deactivate') : t('adm.reactivate')}
                  </Button>
                ),
              },
            ]}
          />
        ) : null}
      </section>
      <CreateCameraDialog
        open={creating === 'camera'}
        onClose={() => setCreating(null)}
        onCreated={() => {
          setCreating(null);
          cameras.reload();
        }}
      />
      <CreateRuleDialog
        open={creating === 'rule'}
        cameras={cameras.data?.items ?? []}
        onClose={() => setCreating(null)}
        onCreated={() => {
          setCreating(null);
          rules.reload();
        }}
      />
    </>
  );
}

function CreateCameraDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const empty = { name: '', description: '', lon: '', lat: '', frigateBaseUrl: '' };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(() => newKey('camera'));
  const create = useAction(() =>
    unwrap(
      api.POST('/api/v1/video/cameras', {
        body: {
          name: form.name.trim(),
          lon: Number(form.lon),
          lat: Number(form.lat),
          ...(form.description.trim() ? { description: form.description.trim() } : {}),
          ...(form.frigateBaseUrl.trim() ? { frigateBaseUrl: form.frigateBaseUrl.trim() } : {}),
        },
        headers: { 'Idempotency-Key': key },
      }),
    ),
  );
  const close = () => {
    setForm(empty);
    create.clearError();
    setKey(newKey('camera'));
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const camera = await create.run();
    if (camera) {
      toast.show(t('adm.video.cameraCreated', { name: camera.name }), 'success');
      setForm(empty);
      setKey(newKey('camera'));
      onCreated();
    }
  };
  return (
    <Dialog
      open={open}
      title={t('adm.video.newCamera')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-camera" busy={create.busy}>
            {t('adm.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-camera" className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.video.cameraName')}
          hint={t('adm.video.cameraName.hint')}
          required
          pattern="[A-Za-z0-9_\-]+"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TextField
          label={t('adm.description.label')}
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
        />
        <div className="adm-row">
          <TextField
            label={t('adm.lon')}
            type="number"
            step="any"
            required
            min={-180}
            max={180}
            value={form.lon}
            onChange={(e) => setForm({ ...form, lon: e.target.value })}
          />
          <TextField
            label={t('adm.lat')}
            type="number"
            step="any"
            required
            min={-90}
            max={90}
            value={form.lat}
            onChange={(e) => setForm({ ...form, lat: e.target.value })}
          />
        </div>
        <TextField
          label={t('adm.video.frigate')}
          hint={t('adm.video.frigate.hint')}
          type="url"
          value={form.frigateBaseUrl}
          onChange={(e) => setForm({ ...form, frigateBaseUrl: e.target.value })}
        />
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}

function CreateRuleDialog({
  open,
  cameras,
  onClose,
  onCreated,
}: {
  open: boolean;
  cameras: Camera[];
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const empty = {
    name: '',
    cameraId: '',
    label: 'person',
    zones: '',
    minScore: '0.7',
    action: 'create_incident',
    priority: '2',
  };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(() => newKey('rule'));
  const create = useAction(() => {
    const body: RuleCreate = {
      name: form.name.trim(),
      cameraId: form.cameraId || null,
      label: form.label.trim(),
      zones: form.zones
        .split(',')
        .map((z) => z.trim())
        .filter(Boolean),
      minScore: Number(form.minScore),
      action: form.action as RuleCreate['action'],
      priority: Number(form.priority),
    };
    return unwrap(api.POST('/api/v1/video/rules', { body, headers: { 'Idempotency-Key': key } }));
  });
  const close = () => {
    setForm(empty);
    create.clearError();
    setKey(newKey('rule'));
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const rule = await create.run();
    if (rule) {
      toast.show(t('adm.video.ruleCreated', { name: rule.name }), 'success');
      setForm(empty);
      setKey(newKey('rule'));
      onCreated();
    }
  };
  return (
    <Dialog
      open={open}
      title={t('adm.video.newRule')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-rule" busy={create.busy}>
            {t('adm.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-rule" className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.name')}
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <Select
          label={t('adm.video.camera')}
          value={form.cameraId}
          onChange={(e) => setForm({ ...form, cameraId: e.target.value })}
          options={[
            { value: '', label: t('adm.video.global') },
            ...cameras.map((c) => ({ value: c.id, label: c.name })),
          ]}
        />
        <TextField
          label={t('adm.video.label')}
          hint={t('adm.video.label.hint')}
          required
          value={form.label}
          onChange={(e) => setForm({ ...form, label: e.target.value })}
        />
        <TextField
          label={t('adm.video.zones')}
          hint={t('adm.video.zones.hint')}
          value={form.zones}
          onChange={(e) => setForm({ ...form, zones: e.target.value })}
        />
        <TextField
          label={t('adm.video.minScore')}
          type="number"
          min={0}
          max={1}
          step={0.05}
          required
          value={form.minScore}
          onChange={(e) => setForm({ ...form, minScore: e.target.value })}
        />
        <Select
          label={t('adm.video.action')}
          value={form.action}
          onChange={(e) => setForm({ ...form, action: e.target.value })}
          options={ACTIONS.map((a) => ({ value: a, label: t(`adm.video.action.${a}`) }))}
        />
        <Select
          label={t('adm.priority')}
          value={form.priority}
          onChange={(e) => setForm({ ...form, priority: e.target.value })}
          options={[1, 2, 3, 4].map((p) => ({ value: String(p), label: t('adm.priorityN', { n: p }) }))}
        />
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}
