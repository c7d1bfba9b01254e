import { type FormEvent, useMemo, useState } from 'react';
import { api, unwrap } from '../../api';
import { UnitStatusBadge } from '../../features/dispatch/badges';
import type { DispatchStore } from '../../features/dispatch/live-store';
import { UNIT_STATUSES, type Unit } from '../../features/dispatch/types';
import { formatRelative, useI18n } from '../../i18n';
import {
  Alert,
  Button,
  Dialog,
  ErrorState,
  Select,
  TextArea,
  TextField,
  useAction,
  useToast,
} from '../../ui';

/** Rows rendered at once (the filters narrow a large fleet). */
const MAX_ROWS = 150;
/** A position older than this is flagged as stale. */
const STALE_POSITION_MS = 5 * 60_000;

export function UnitBoard({
  store,
  storeVersion,
  stations,
  now,
  canSetService,
  onOpenIncident,
}: {
  store: DispatchStore;
  storeVersion: number;
  stations: ReadonlyMap<string, string>;
  now: number;
  canSetService: boolean;
  onOpenIncident: (incidentId: string) => void;
}) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [outOfService, setOutOfService] = useState<Unit | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the store mutates in place; its version says when
  const all = useMemo(
    () => [...store.units.values()].sort((a, b) => a.callSign.localeCompare(b.callSign)),
    [store, storeVersion],
  );
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const u of all) c.set(u.status, (c.get(u.status) ?? 0) + 1);
    return c;
  }, [all]);
  const needle = search.trim().toUpperCase();
  const filtered = all.filter(
    (u) => (!status || u.status === status) && (!needle || u.callSign.toUpperCase().includes(needle)),
  );
  const rows = filtered.slice(0, MAX_ROWS);

  return (
    <section className="dx-units" aria-labelledby="dx-units-title">
      <div className="dx-units__head">
        <h2 id="dx-units-title">{t('dispatch.units.title', { count: all.length })}</h2>
        <p className="dx-units__counts">
          {UNIT_STATUSES.map((s) => (
            <span key={s}>
              {t(`dispatchx.unitStatus.${s}`)}: <strong>{counts.get(s) ?? 0}</strong>
            </span>
          ))}
        </p>
        <div className="dx-units__filters">
          <Select
            label={t('dispatch.units.filterStatus')}
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            options={UNIT_STATUSES.map((s) => ({ value: s, label: t(`dispatchx.unitStatus.${s}`) }))}
            placeholder={t('dispatch.units.allStatuses')}
          />
          <TextField
            label={t('dispatch.units.search')}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t('dispatch.units.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table dx-units__table">
            <caption className="visually-hidden">{t('dispatch.units.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dispatch.units.callSign')}</th>
                <th scope="col">{t('dispatch.units.status')}</th>
                <th scope="col">{t('dispatch.units.station')}</th>
                <th scope="col">{t('dispatch.units.incident')}</th>
                <th scope="col">{t('dispatch.units.position')}</th>
                {canSetService ? <th scope="col">{t('dispatch.units.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => {
                const age = u.position ? now - Date.parse(u.position.recordedAt) : null;
                return (
                  <tr key={u.id} data-unit={u.callSign}>
                    <th scope="row" className="mono">
                      {u.callSign}
                    </th>
                    <td>
                      <UnitStatusBadge status={u.status} />
                    </td>
                    <td>{u.stationId ? (stations.get(u.stationId) ?? '—') : '—'}</td>
                    <td>
                      {u.activeAssignment ? (
                        <button
                          type="button"
                          className="dx-link"
                          onClick={() => onOpenIncident(u.activeAssignment!.incidentId)}
                        >
                          {u.activeAssignment.folio}
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className={age !== null && age > STALE_POSITION_MS ? 'dx-stale' : undefined}>
                      {u.position
                        ? formatRelative(u.position.recordedAt, new Date(now))
                        : t('dispatch.units.noPosition')}
                    </td>
                    {canSetService ? (
                      <td>
                        {u.status === 'available' ? (
                          <Button
                            variant="secondary"
                            onClick={() => setOutOfService(u)}
                            aria-label={t('dispatch.units.outAria', { unit: u.callSign })}
                          >
                            {t('dispatch.units.out')}
                          </Button>
                        ) : u.status === 'out_of_service' ? (
                          <InServiceButton unit={u} store={store} />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {filtered.length > rows.length ? (
        <p className="muted">{t('dispatch.units.more', { shown: rows.length, total: filtered.length })}</p>
      ) : null}
      <Dialog
        open={outOfService !== null}
        title={outOfService ? t('dispatch.units.outTitle', { unit: outOfService.callSign }) : ''}
        onClose={() => setOutOfService(null)}
      >
        {outOfService ? (
          <OutOfServiceForm
            key={outOfService.id}
            unit={outOfService}
            store={store}
            onClose={() => setOutOfService(null)}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function InServiceButton({ unit, store }: { unit: Unit; store: DispatchStore }) {
  const { t } = useI18n();
  const toast = useToast();
  const action = useAction(async () => {
    const updated = await unwrap(
      api.POST('/api/v1/units/{id}/service', {
        params: { path: { id: unit.id } },
        body: { action: 'in_service' },
      }),
    );
    store.applyUnit(updated.id, updated);
    toast.show(t('dispatch.units.inDone', { unit: unit.callSign }), 'success');
  });
  return (
    <>
      <Button
        variant="secondary"
        busy={action.busy}
        onClick={() => void action.run()}
        aria-label={t('dispatch.units.inAria', { unit: unit.callSign })}
      >
        {t('dispatch.units.in')}
      </Button>
      {action.error ? <ErrorState error={action.error} /> : null}
    </>
  );
}

function OutOfServiceForm({
  unit,
  store,
  onClose,
}: {
  unit: Unit;
  store: DispatchStore;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const action = useAction(async (text: string) => {
    const updated = await unwrap(
      api.POST('/api/v1/units/{id}/service', {
        params: { path: { id: unit.id } },
        body: { action: 'out_of_service', reason: text },
      }),
    );
    store.applyUnit(updated.id, updated);
    toast.show(t('dispatch.units.outDone', { unit: unit.callSign }), 'success');
    return true;
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError(t('dispatch.units.reasonRequired'));
      return;
    }
    setError(null);
    if (await action.run(reason.trim())) onClose();
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Alert tone="info">{t('dispatch.units.outExplain')}</Alert>
      <TextArea
        label={t('dispatch.units.reason')}
        name="serviceReason"
        required
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
        error={error ?? action.error?.fieldErrors().reason ?? null}
      />
      {action.error && !action.error.fieldErrors().reason ? <ErrorState error={action.error} /> : null}
      <div className="row" style={{ justifyContent: 'flex-end' }}>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" busy={action.busy}>
          {t('dispatch.units.outSubmit')}
        </Button>
      </div>
    </form>
  );
}
