import { type FormEvent, useState } from 'react';
import { type ApiBody, type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDateTime, useI18n } from '../../i18n';
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
import {
  DepartmentSelect,
  MunicipalitySelect,
  newKey,
  ReasonDialog,
  SectionHead,
  ServerError,
  useTerritories,
} from './common';

type Unit = ApiResponse<'/api/v1/units'>['items'][number];
type Station = ApiResponse<'/api/v1/stations'>['items'][number];
type Device = ApiResponse<'/api/v1/devices'>['items'][number];
type UnitCreate = ApiBody<'/api/v1/units'>;
type DeviceCreate = ApiBody<'/api/v1/devices'>;

const UNIT_KINDS = ['patrol_car', 'motorcycle', 'foot', 'specialised'] as const;
const DEVICE_KINDS = ['panic_button', 'alarm_panel', 'app'] as const;

/** Units, their stations, and alert devices (panic buttons, alarm panels). */
export default function UnitsSection() {
  const auth = useAuth();
  return (
    <>
      {auth.can('unit.manage') ? <UnitsPart /> : null}
      {auth.can('device.manage') ? <DevicesPart /> : null}
    </>
  );
}

function useDepartmentName(): (code: string | null | undefined) => string {
  const places = useTerritories();
  return (code) => (code ? (places?.departments.find((d) => d.code === code)?.name ?? code) : '—');
}

function UnitsPart() {
  const { t } = useI18n();
  const auth = useAuth();
  const canStatus = auth.can('unit.status.set');
  const departmentName = useDepartmentName();
  const units = useAsync(() => unwrap(api.GET('/api/v1/units', { params: { query: {} } })), []);
  const stations = useAsync(() => unwrap(api.GET('/api/v1/stations')), []);
  const [creating, setCreating] = useState<'unit' | 'station' | null>(null);
  const [service, setService] = useState<Unit | null>(null);
  const stationName = (id: string | null) =>
    id ? (stations.data?.items.find((s) => s.id === id)?.name ?? '—') : '—';

  return (
    <section className="adm-section" aria-labelledby="adm-units-h">
      <SectionHead id="adm-units-h" title={t('adm.units.title')}>
        <Button variant="secondary" onClick={() => setCreating('station')}>
          {t('adm.stations.new')}
        </Button>
        <Button onClick={() => setCreating('unit')}>{t('adm.units.new')}</Button>
      </SectionHead>
      {units.loading && !units.data ? <Loading /> : null}
      {units.error ? <ErrorState error={units.error} onRetry={units.reload} /> : null}
      {units.data ? (
        <Table<Unit>
          caption={t('adm.units.caption')}
          captionHidden
          rows={units.data.items}
          rowKey={(u) => u.id}
          empty={t('adm.units.empty')}
          columns={[
            { key: 'call', header: t('adm.units.callSign'), render: (u) => <strong>{u.callSign}</strong> },
            { key: 'kind', header: t('adm.units.kind'), render: (u) => t(`adm.units.kind.${u.kind}`) },
            { key: 'dept', header: t('adm.department'), render: (u) => departmentName(u.departmentCode) },
            { key: 'station', header: t('adm.units.station'), render: (u) => stationName(u.stationId) },
            { key: 'status', header: t('adm.status'), render: (u) => t(`adm.units.status.${u.status}`) },
            { key: 'device', header: t('adm.units.device'), render: (u) => u.deviceId ?? '—' },
            ...(canStatus
              ? [
                  {
                    key: 'actions',
                    header: t('adm.actions'),
                    render: (u: Unit) =>
                      u.status === 'out_of_service' || u.status === 'available' ? (
                        <Button
                          variant="secondary"
                          aria-label={t(
                            u.status === 'out_of_service'
                              ? 'adm.units.inServiceOf'
                              : 'adm.units.outOfServiceOf',
                            { unit: u.callSign },
                          )}
                          onClick={() => setService(u)}
                        >
                          {u.status === 'out_of_service'
                            ? t('adm.units.inService')
                            : t('adm.units.outOfService')}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      ) : null}
      <h3>{t('adm.stations.title')}</h3>
      {stations.loading && !stations.data ? <Loading /> : null}
      {stations.error ? <ErrorState error={stations.error} onRetry={stations.reload} /> : null}
      {stations.data ? (
        <Table<Station>
          caption={t('adm.stations.title')}
          captionHidden
          rows={stations.data.items}
          rowKey={(s) => s.id}
          empty={t('adm.stations.empty')}
          columns={[
            { key: 'code', header: t('adm.code'), render: (s) => <code>{s.code}</code> },
            { key: 'name', header: t('adm.name'), render: (s) => s.name },
            { key: 'dept', header: t('adm.department'), render: (s) => departmentName(s.departmentCode) },
          ]}
        />
      ) : null}
      <CreateUnitDialog
        open={creating === 'unit'}
        stations={stations.data?.items ?? []}
        onClose={() => setCreating(null)}
        onCreated={() => {
          setCreating(null);
          units.reload();
        }}
      />
      <CreateStationDialog
        open={creating === 'station'}
        onClose={() => setCreating(null)}
        onCreated={() => {
          setCreating(null);
          stations.reload();
        }}
      />
      <ReasonDialog
        open={service !== null}
        title={t(
          service?.status === 'out_of_service' ? 'adm.units.inServiceOf' : 'adm.units.outOfServiceOf',
          {
            unit: service?.callSign ?? '',
          },
        )}
        confirmLabel={
          service?.status === 'out_of_service' ? t('adm.units.inService') : t('adm.units.outOfService')
        }
        reasonRequired={service?.status !== 'out_of_service'}
        successMessage={t('adm.units.serviceChanged')}
        onClose={() => setService(null)}
        onConfirm={async (reason) => {
          if (!service) return undefined;
          const r = await unwrap(
            api.POST('/api/v1/units/{id}/service', {
              params: { path: { id: service.id } },
              body: {
                action: service.status === 'out_of_service' ? 'in_service' : 'out_of_service',
                ...(reason ? { reason } : {}),
              },
            }),
          );
          units.reload();
          return r;
        }}
      />
    </section>
  );
}

function CreateUnitDialog({
  open,
  stations,
  onClose,
  onCreated,
}: {
  open: boolean;
  stations: Station[];
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const empty = {
    callSign: '',
    kind: 'patrol_car',
    department: '',
    municipality: '',
    stationId: '',
    capabilities: '',
    deviceId: '',
  };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(() => newKey('unit'));
  const create = useAction(() => {
    const body: UnitCreate = {
      callSign: form.callSign.trim(),
      kind: form.kind as UnitCreate['kind'],
      departmentCode: form.department,
      ...(form.municipality ? { municipalityPcode: form.municipality } : {}),
      ...(form.stationId ? { stationId: form.stationId } : {}),
      ...(form.deviceId.trim() ? { deviceId: form.deviceId.trim() } : {}),
      capabilities: form.capabilities
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    };
    return unwrap(api.POST('/api/v1/units', { body, headers: { 'Idempotency-Key': key } }));
  });
  const close = () => {
    setForm(empty);
    create.clearError();
    setKey(newKey('unit'));
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const unit = await create.run();
    if (unit) {
      toast.show(t('adm.units.created', { unit: unit.callSign }), 'success');
      setForm(empty);
      setKey(newKey('unit'));
      onCreated();
    }
  };
  return (
    <Dialog
      open={open}
      title={t('adm.units.new')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-unit" busy={create.busy}>
            {t('adm.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-unit" className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.units.callSign')}
          hint={t('adm.units.callSign.hint')}
          required
          pattern="[A-Za-z0-9\-]{2,40}"
          value={form.callSign}
          onChange={(e) => setForm({ ...form, callSign: e.target.value })}
        />
        <Select
          label={t('adm.units.kind')}
          value={form.kind}
          onChange={(e) => setForm({ ...form, kind: e.target.value })}
          options={UNIT_KINDS.map((k) => ({ value: k, label: t(`adm.units.kind.${k}`) }))}
        />
        <DepartmentSelect
          label={t('adm.department')}
          required
          value={form.department}
          onChange={(department) => setForm({ ...form, department, municipality: '' })}
        />
        <MunicipalitySelect
          label={t('adm.municipality')}
          department={form.department}
          value={form.municipality}
          onChange={(municipality) => setForm({ ...form, municipality })}
        />
        <Select
          label={t('adm.units.station')}
          value={form.stationId}
          placeholder={t('adm.optionalChoose')}
          onChange={(e) => setForm({ ...form, stationId: e.target.value })}
          options={stations.map((s) => ({ value: s.id, label: `${s.code} — ${s.name}` }))}
        />
        <TextField
          label={t('adm.units.capabilities')}
          hint={t('adm.units.capabilities.hint')}
          value={form.capabilities}
          onChange={(e) => setForm({ ...form, capabilities: e.target.value })}
        />
        <TextField
          label={t('adm.units.device')}
          hint={t('adm.units.device.hint')}
          value={form.deviceId}
          onChange={(e) => setForm({ ...form, deviceId: e.target.value })}
        />
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}

function CreateStationDialog({
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
  const empty = { code: '', name: '', department: '', municipality: '' };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(() => newKey('station'));
  const create = useAction(() =>
    unwrap(
      api.POST('/api/v1/stations', {
        body: {
          code: form.code.trim().toUpperCase(),
          name: form.name.trim(),
          departmentCode: form.department,
          ...(form.municipality ? { municipalityPcode: form.municipality } : {}),
        },
        headers: { 'Idempotency-Key': key },
      }),
    ),
  );
  const close = () => {
    setForm(empty);
    create.clearError();
    setKey(newKey('station'));
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const station = await create.run();
    if (station) {
      toast.show(t('adm.stations.created', { name: station.name }), 'success');
      setForm(empty);
      setKey(newKey('station'));
      onCreated();
    }
  };
  return (
    <Dialog
      open={open}
      title={t('adm.stations.new')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-station" busy={create.busy}>
            {t('adm.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-station" className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.code')}
          hint={t('adm.stations.code.hint')}
          required
          value={form.code}
          onChange={(e) => setForm({ ...form, code: e.target.value })}
        />
        <TextField
          label={t('adm.name')}
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <DepartmentSelect
          label={t('adm.department')}
          required
          value={form.department}
          onChange={(department) => setForm({ ...form, department, municipality: '' })}
        />
        <MunicipalitySelect
          label={t('adm.municipality')}
          department={form.department}
          value={form.municipality}
          onChange={(municipality) => setForm({ ...form, municipality })}
        />
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}

function DevicesPart() {
  const { t } = useI18n();
  const toast = useToast();
  const departmentName = useDepartmentName();
  const devices = useAsync(
    () => unwrap(api.GET('/api/v1/devices', { params: { query: { limit: 500 } } })),
    [],
  );
  const [creating, setCreating] = useState(false);
  const [deactivating, setDeactivating] = useState<Device | null>(null);
  const deactivate = useAction((code: string) =>
    unwrap(api.DELETE('/api/v1/devices/{code}', { params: { path: { code } } })),
  );
  const reactivate = useAction((code: string) =>
    unwrap(api.PATCH('/api/v1/devices/{code}', { params: { path: { code } }, body: { active: true } })),
  );
  const confirmDeactivate = async () => {
    if (!deactivating) return;
    if (await deactivate.run(deactivating.code)) {
      toast.show(t('adm.devices.deactivated', { code: deactivating.code }), 'success');
      setDeactivating(null);
      devices.reload();
    }
  };
  return (
    <section className="adm-section" aria-labelledby="adm-devices-h">
      <SectionHead id="adm-devices-h" title={t('adm.devices.title')}>
        <Button onClick={() => setCreating(true)}>{t('adm.devices.new')}</Button>
      </SectionHead>
      <ServerError error={reactivate.error} />
      {devices.loading && !devices.data ? <Loading /> : null}
      {devices.error ? <ErrorState error={devices.error} onRetry={devices.reload} /> : null}
      {devices.data ? (
        <Table<Device>
          caption={t('adm.devices.title')}
          captionHidden
          rows={devices.data.items}
          rowKey={(d) => d.id}
          empty={t('adm.devices.empty')}
          columns={[
            { key: 'code', header: t('adm.code'), render: (d) => <code>{d.code}</code> },
            { key: 'kind', header: t('adm.devices.kind'), render: (d) => t(`adm.devices.kind.${d.kind}`) },
            { key: 'desc', header: t('adm.description.label'), render: (d) => d.description ?? '—' },
            {
              key: 'place',
              header: t('adm.devices.place'),
              render: (d) => d.location.address ?? departmentName(d.location.departmentCode),
            },
            {
              key: 'key',
              header: t('adm.devices.key'),
              render: (d) => (d.apiKeyId ? t('adm.devices.keyLinked') : t('adm.devices.keyNone')),
            },
            {
              key: 'last',
              header: t('adm.devices.lastAlert'),
              render: (d) => (d.lastAlertAt ? formatDateTime(d.lastAlertAt) : '—'),
            },
            {
              key: 'active',
              header: t('adm.status'),
              render: (d) => (
                <span className={d.active ? 'adm-pill adm-pill--ok' : 'adm-pill adm-pill--off'}>
                  {d.active ? t('adm.active') : t('adm.inactive')}
                </span>
              ),
            },
            {
              key: 'actions',
              header: t('adm.actions'),
              render: (d) =>
                d.active ? (
                  <Button
                    variant="secondary"
                    aria-label={t('adm.devices.deactivateOf', { code: d.code })}
                    onClick={() => setDeactivating(d)}
                  >
                    {t('adm.deactivate')}
                  </Button>
                ) : (
                  <Button
                    variant="secondary"
                    aria-label={t('adm.devices.reactivateOf', { code: d.code })}
                    busy={reactivate.busy}
                    onClick={async () => {
                      if (await reactivate.run(d.code)) {
                        toast.show(t('adm.devices.reactivated', { code: d.code }), 'success');
                        devices.reload();
                      }
                    }}
                  >
                    {t('adm.reactivate')}
                  </Button>
                ),
            },
          ]}
        />
      ) : null}
      <CreateDeviceDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          devices.reload();
        }}
      />
      <Dialog
        open={deactivating !== null}
        title={t('adm.devices.deactivateOf', { code: deactivating?.code ?? '' })}
        onClose={() => {
          deactivate.clearError();
          setDeactivating(null);
        }}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeactivating(null)}>
              {t('adm.cancel')}
            </Button>
            <Button variant="danger" busy={deactivate.busy} onClick={confirmDeactivate}>
              {t('adm.deactivate')}
            </Button>
          </>
        }
      >
        <p>{t('adm.devices.deactivateHelp')}</p>
        <ServerError error={deactivate.error} />
      </Dialog>
    </section>
  );
}

function CreateDeviceDialog({
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
  const auth = useAuth();
  const empty = {
    code: '',
    kind: 'panic_button',
    description: '',
    address: '',
    lon: '',
    lat: '',
    apiKeyId: '',
  };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(() => newKey('device'));
  const canKeys = auth.can('identity.apikeys.manage');
  const keys = useAsync(
    () =>
      canKeys
        ? unwrap(api.GET('/api/v1/api-keys', { params: { query: { includeInactive: false } } }))
        : Promise.resolve({ items: [] }),
    [canKeys, open],
  );
  const create = useAction(() => {
    const body: DeviceCreate = {
      code: form.code.trim(),
      kind: form.kind as DeviceCreate['kind'],
      ...(form.description.trim() ? { description: form.description.trim() } : {}),
      ...(form.address.trim() ? { address: form.address.trim() } : {}),
      ...(form.lon !== '' ? { lon: Number(form.lon) } : {}),
      ...(form.lat !== '' ? { lat: Number(form.lat) } : {}),
      ...(form.apiKeyId ? { apiKeyId: form.apiKeyId } : {}),
    };
    return unwrap(api.POST('/api/v1/devices', { body, headers: { 'Idempotency-Key': key } }));
  });
  const close = () => {
    setForm(empty);
    create.clearError();
    setKey(newKey('device'));
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const device = await create.run();
    if (device) {
      toast.show(t('adm.devices.created', { code: device.code }), 'success');
      setForm(empty);
      setKey(newKey('device'));
      onCreated();
    }
  };
  return (
    <Dialog
      open={open}
      title={t('adm.devices.new')}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('adm.cancel')}
          </Button>
          <Button type="submit" form="adm-create-device" busy={create.busy}>
            {t('adm.create')}
          </Button>
        </>
      }
    >
      <form id="adm-create-device" className="adm-form" onSubmit={submit}>
        <TextField
          label={t('adm.code')}
          required
          value={form.code}
          onChange={(e) => setForm({ ...form, code: e.target.value })}
        />
        <Select
          label={t('adm.devices.kind')}
          value={form.kind}
          onChange={(e) => setForm({ ...form, kind: e.target.value })}
          options={DEVICE_KINDS.map((k) => ({ value: k, label: t(`adm.devices.kind.${k}`) }))}
        />
        <TextField
          label={t('adm.description.label')}
          maxLength={300}
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
        />
        <TextField
          label={t('adm.devices.address')}
          maxLength={500}
          value={form.address}
          onChange={(e) => setForm({ ...form, address: e.target.value })}
        />
        <div className="adm-row">
          <TextField
            label={t('adm.lon')}
            type="number"
            step="any"
            min={-180}
            max={180}
            value={form.lon}
            onChange={(e) => setForm({ ...form, lon: e.target.value })}
          />
          <TextField
            label={t('adm.lat')}
            type="number"
            step="any"
            min={-90}
            max={90}
            value={form.lat}
            onChange={(e) => setForm({ ...form, lat: e.target.value })}
          />
        </div>
        {canKeys ? (
          <Select
            label={t('adm.devices.key')}
            hint={t('adm.devices.key.hint')}
            value={form.apiKeyId}
            placeholder={t('adm.optionalChoose')}
            onChange={(e) => setForm({ ...form, apiKeyId: e.target.value })}
            options={(keys.data?.items ?? [])
              .filter((k) => k.permissions.includes('device.alert.send'))
              .map((k) => ({ value: k.id, label: `${k.name} (cnt_${k.prefix}_…)` }))}
          />
        ) : null}
        <ServerError error={create.error} />
      </form>
    </Dialog>
  );
}
