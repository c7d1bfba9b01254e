import { type KeyboardEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { EscalationAlerts, useEscalations } from '../../features/dispatch/escalations';
import { useDispatchStore, useNow, useStoreVersion } from '../../features/dispatch/hooks';
import { compareQueue, targetsByPriority } from '../../features/dispatch/timers';
import { useI18n } from '../../i18n';
import { Alert, Empty, ErrorState, Loading, useAsync } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { DispatchMap } from './DispatchMap';
import './dispatch.css';
import './dispatch.messages';
import { IncidentPanel } from './IncidentPanel';
import { IncidentQueue } from './IncidentQueue';
import { UnitBoard } from './UnitBoard';

/** Keys typed into these elements are never shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('dialog') !== null
  );
}

/**
 * Dispatch board: the queue of open incidents with response-time timers, the selected incident with
 * recommended units and its assignments, the unit status board, the live map and the escalations.
 * Everything follows live events; only the timers tick locally.
 */
export default function DispatchPage() {
  const { t } = useI18n();
  const auth = useAuth();
  usePageTitle(t('dispatch.title'));
  const store = useDispatchStore();
  const version = useStoreVersion(store, 250);
  const now = useNow(1000);
  const status = store.getStatus();
  const can = {
    assign: auth.can('dispatch.assign'),
    release: auth.can('dispatch.release'),
    recommend: auth.can('dispatch.recommend'),
    progress: auth.can('unit.status.set'),
  };
  const readOnly = !can.assign;

  const targetsQuery = useAsync(() => unwrap(api.GET('/api/v1/response-targets')).then((r) => r.items), []);
  const targets = useMemo(() => targetsByPriority(targetsQuery.data ?? []), [targetsQuery.data]);
  const stationsQuery = useAsync(() => unwrap(api.GET('/api/v1/stations')).then((r) => r.items), []);
  const stations = useMemo(
    () => new Map((stationsQuery.data ?? []).map((s) => [s.id, `${s.code} · ${s.name}`])),
    [stationsQuery.data],
  );
  const escalations = useEscalations();

  // biome-ignore lint/correctness/useExhaustiveDependencies: the store mutates in place; its version says when
  const queue = useMemo(() => [...store.incidents.values()].sort(compareQueue), [store, version]);

  // ?incidente=<id> (links from the command centre) opens that incident.
  const [search] = useSearchParams();
  const linked = search.get('incidente');
  const [activeId, setActiveId] = useState<string | null>(linked);
  const [openedId, setOpenedId] = useState<string | null>(linked);
  const [assignTopFor, setAssignTopFor] = useState<string | null>(null);
  const [assignmentsVersion, setAssignmentsVersion] = useState(0);
  const opened = openedId ? (store.incidents.get(openedId) ?? null) : null;

  // Live dispatch events of the opened incident reload its assignments.
  useEffect(() => {
    store.onDispatchEvent = (incidentId) => {
      if (incidentId === openedId) setAssignmentsVersion((v) => v + 1);
    };
    return () => {
      store.onDispatchEvent = null;
    };
  }, [store, openedId]);

  const open = useCallback((id: string) => {
    setActiveId(id);
    setOpenedId(id);
  }, []);
  const assignTop = useCallback((id: string) => {
    setActiveId(id);
    setOpenedId(id);
    setAssignTopFor(id);
  }, []);
  const assignTopHandled = useCallback(() => setAssignTopFor(null), []);

  // "A" anywhere on the board (outside fields and dialogs) confirms the top recommendation.
  const onBoardKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || isTyping(event.target)) return;
    if ((event.key === 'a' || event.key === 'A') && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (!can.assign) return;
      const id = openedId ?? activeId ?? queue[0]?.id;
      if (!id) return;
      event.preventDefault();
      assignTop(id);
    }
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: board-wide keyboard shortcut (A), documented on screen
    <div className="dx-board" onKeyDown={onBoardKey}>
      <div className="dx-board__title">
        <h1>{t('dispatch.title')}</h1>
        <p id="dx-queue-help" className="muted dx-help">
          {readOnly ? t('dispatch.keys.readOnly') : t('dispatch.keys')}
        </p>
      </div>
      {readOnly ? <Alert tone="info">{t('dispatch.readOnly')}</Alert> : null}
      <EscalationAlerts escalations={escalations} onOpenIncident={open} />
      {targetsQuery.error ? <ErrorState error={targetsQuery.error} onRetry={targetsQuery.reload} /> : null}

      <div className="dx-board__grid">
        <section className="dx-board__queue" aria-labelledby="dx-queue-title">
          <h2 id="dx-queue-title">{t('dispatch.queue.title', { count: queue.length })}</h2>
          {status.error && queue.length === 0 ? (
            <ErrorState error={status.error} onRetry={() => void store.reload()} />
          ) : status.loading && queue.length === 0 ? (
            <Loading />
          ) : queue.length === 0 ? (
            <Empty>{t('dispatch.queue.empty')}</Empty>
          ) : (
            <IncidentQueue
              incidents={queue}
              targets={targets}
              now={now}
              activeId={activeId}
              openedId={openedId}
              onActivate={setActiveId}
              onOpen={open}
              onAssignTop={can.assign ? assignTop : undefined}
            />
          )}
        </section>

        <section className="dx-board__detail" aria-label={t('dispatch.detail.label')}>
          {opened ? (
            <IncidentPanel
              key={opened.id}
              incident={opened}
              store={store}
              storeVersion={version}
              targets={targets}
              now={now}
              can={can}
              assignTopPending={assignTopFor === opened.id}
              onAssignTopHandled={assignTopHandled}
              assignmentsVersion={assignmentsVersion}
            />
          ) : openedId ? (
            <Empty>{t('dispatch.detail.closed')}</Empty>
          ) : (
            <Empty>{t('dispatch.detail.none')}</Empty>
          )}
        </section>

        <div className="dx-board__map">
          <DispatchMap store={store} onOpenIncident={open} />
        </div>
      </div>

      <UnitBoard
        store={store}
        storeVersion={version}
        stations={stations}
        now={now}
        canSetService={can.progress}
        onOpenIncident={open}
      />
    </div>
  );
}
