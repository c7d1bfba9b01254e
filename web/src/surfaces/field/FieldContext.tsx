import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { api, toApiError, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { uuid } from '../../features/phone';
import { useI18n } from '../../i18n';
import { useLiveEvents } from '../../realtime';
import { type AsyncState, useAsync, useToast } from '../../ui';
import { assignmentCue } from './cue';
import { type GpsState, useDutyGps } from './gps';
import { fieldOutbox, type Outbox, type OutboxItem, type OutboxSnapshot, type StatusAction } from './outbox';
import {
  effectiveProgress,
  type FieldAssignment,
  type FieldIncident,
  type FieldMe,
  type Progress,
  type ReportFieldSpec,
  statusAfter,
} from './progress';

export interface ReportInput {
  incident: Pick<FieldIncident, 'id' | 'folio'>;
  fields: Record<string, unknown>;
  narrative: string;
}

export interface EvidenceInput {
  incident: Pick<FieldIncident, 'id' | 'folio'>;
  description: string;
  photo: { data: string; mime: string; fileName: string };
  collectedAt: string;
  lon?: number;
  lat?: number;
}

interface FieldState {
  me: AsyncState<FieldMe>;
  outbox: Outbox;
  queue: OutboxSnapshot;
  online: boolean;
  progress: Progress | null;
  /** On duty: the device position is sent to dispatch (whatever screen is open). */
  duty: { onDuty: boolean; setOnDuty: (value: boolean) => void; state: GpsState };
  /** The incident of the active assignment, or the last one of this session (report after clearing). */
  incident: FieldIncident | null;
  reportFields: (incidentId: string) => ReportFieldsState;
  status: (action: StatusAction) => Promise<OutboxItem | undefined>;
  backup: (reason: string, urgent: boolean) => Promise<OutboxItem | undefined>;
  report: (input: ReportInput) => Promise<OutboxItem>;
  evidence: (input: EvidenceInput) => Promise<OutboxItem>;
}

export interface ReportFieldsState {
  items: ReportFieldSpec[] | undefined;
  error: unknown;
  reload: () => void;
}

const FieldContext = createContext<FieldState | null>(null);

function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
    () => navigator.onLine,
    () => true,
  );
}

/** Data and actions of the field app: my unit and assignment, live updates, and the outbox. */
export function FieldProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const toast = useToast();
  const auth = useAuth();
  const outbox = fieldOutbox();
  const queue = useSyncExternalStore(outbox.subscribe, outbox.getSnapshot, outbox.getSnapshot);
  const online = useOnline();
  const me = useAsync(() => unwrap(api.GET('/api/v1/field/me')), []);
  const userId = auth.me?.id ?? null;
  const [lastIncident, setLastIncident] = useState<FieldIncident | null>(null);
  const [fieldSpecs, setFieldSpecs] = useState<Record<string, ReportFieldSpec[]>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, unknown>>({});
  const loadingSpecs = useRef(new Set<string>());
  const reloadMe = me.reload;
  const setMe = me.setData;

  // The server's answer to a status action updates the screen at once (the reload that follows
  // confirms it), so a button does not flicker back between delivery and reload.
  const applyStatus = useCallback(
    (action: StatusAction, body: unknown) => {
      const answer = body as FieldAssignment | null;
      setMe((previous) => {
        if (!previous?.unit || !previous.assignment || answer?.id !== previous.assignment.id)
          return previous as FieldMe;
        const status = statusAfter(action, previous.unit.status);
        return { ...previous, assignment: answer, unit: { ...previous.unit, status } };
      });
    },
    [setMe],
  );

  useEffect(() => outbox.setUser(userId), [outbox, userId]);

  const current = me.data?.incident ?? null;
  useEffect(() => {
    if (current) setLastIncident(current);
  }, [current]);

  const loadSpecs = useCallback((incidentId: string) => {
    if (loadingSpecs.current.has(incidentId)) return;
    loadingSpecs.current.add(incidentId);
    setFieldErrors(({ [incidentId]: _, ...rest }) => rest);
    unwrap(api.GET('/api/v1/incidents/{id}/field-report-fields', { params: { path: { id: incidentId } } }))
      .then(
        (answer) => setFieldSpecs((all) => ({ ...all, [incidentId]: answer.items })),
        (error: unknown) => setFieldErrors((all) => ({ ...all, [incidentId]: toApiError(error) })),
      )
      .finally(() => loadingSpecs.current.delete(incidentId));
  }, []);

  // The report form must work offline: load its fields as soon as the assignment is known.
  const currentId = current?.id;
  useEffect(() => {
    if (currentId) loadSpecs(currentId);
  }, [currentId, loadSpecs]);

  // What the server accepted: refresh the assignment after status actions, confirm the rest.
  useEffect(
    () =>
      outbox.onDelivered(({ item, body }) => {
        if (item.kind === 'status' && item.meta.action) applyStatus(item.meta.action, body);
        if (item.kind === 'status' || item.kind === 'backup') reloadMe();
        if (item.kind === 'report')
          toast.show(t('field.toast.reportSent', { folio: item.meta.folio ?? '' }), 'success');
        if (item.kind === 'evidence')
          toast.show(t('field.toast.photoSent', { folio: item.meta.folio ?? '' }), 'success');
        if (item.kind === 'backup') toast.show(t('field.toast.backupSent'), 'success');
      }),
    [outbox, reloadMe, applyStatus, toast, t],
  );

  // Back online or back to the app: the assignment may have changed meanwhile.
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible' && navigator.onLine) reloadMe();
    };
    window.addEventListener('online', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.removeEventListener('online', refresh);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [reloadMe]);

  const unitId = me.data?.unit?.id ?? null;
  useLiveEvents(
    ['dispatch'],
    (event) => {
      if (!unitId || event.payload.unitId !== unitId) return;
      if (event.type === 'dispatch.unit_assigned') {
        assignmentCue();
        toast.show(t('field.toast.newAssignment', { folio: String(event.payload.folio ?? '') }), 'warning');
      }
      if (event.type === 'dispatch.unit_released') {
        toast.show(t('field.toast.released', { folio: String(event.payload.folio ?? '') }), 'warning');
      }
      reloadMe();
    },
    { enabled: unitId !== null, onResync: reloadMe },
  );

  const progress = useMemo(() => effectiveProgress(me.data, queue.items), [me.data, queue.items]);
  const duty = useDutyGps(outbox, unitId !== null);

  const value = useMemo<FieldState>(() => {
    const assignment = me.data?.assignment ?? null;
    const incident = me.data?.incident ?? null;
    return {
      me,
      outbox,
      queue,
      online,
      progress,
      duty,
      incident: incident ?? lastIncident,
      reportFields: (incidentId) => ({
        items: fieldSpecs[incidentId],
        error: fieldErrors[incidentId] ?? null,
        reload: () => loadSpecs(incidentId),
      }),
      status: async (action) => {
        if (!assignment || !incident) return undefined;
        return outbox.enqueue({
          kind: 'status',
          path: `/api/v1/field/assignments/${assignment.id}/${action}`,
          body: {},
          meta: { action, assignmentId: assignment.id, incidentId: incident.id, folio: incident.folio },
        });
      },
      backup: async (reason, urgent) => {
        if (!incident) return undefined;
        return outbox.enqueue({
          kind: 'backup',
          path: '/api/v1/field/backup',
          body: { reason, urgent },
          meta: {
            incidentId: incident.id,
            folio: incident.folio,
            ...(assignment ? { assignmentId: assignment.id } : {}),
          },
        });
      },
      report: async ({ incident: target, fields, narrative }) => {
        const key = uuid();
        return outbox.enqueue({
          key,
          kind: 'report',
          path: `/api/v1/incidents/${target.id}/field-reports`,
          body: { id: key, fields, narrative, writtenAt: new Date().toISOString() },
          meta: { incidentId: target.id, folio: target.folio },
        });
      },
      evidence: async ({ incident: target, description, photo, collectedAt, lon, lat }) => {
        const key = uuid();
        return outbox.enqueue({
          key,
          kind: 'evidence',
          path: `/api/v1/incidents/${target.id}/evidence`,
          body: {
            id: key,
            description,
            photo,
            collectedAt,
            ...(lon !== undefined && lat !== undefined ? { lon, lat } : {}),
          },
          meta: { incidentId: target.id, folio: target.folio },
        });
      },
    };
  }, [me, outbox, queue, online, progress, duty, lastIncident, fieldSpecs, fieldErrors, loadSpecs]);

  return <FieldContext.Provider value={value}>{children}</FieldContext.Provider>;
}

export function useField(): FieldState {
  const value = useContext(FieldContext);
  if (!value) throw new Error('useField outside <FieldProvider>');
  return value;
}
