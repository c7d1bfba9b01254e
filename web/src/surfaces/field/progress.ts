import type { ApiResponse } from '../../api';
import type { OutboxItem, StatusAction } from './outbox';

export type FieldMe = ApiResponse<'/api/v1/field/me'>;
export type FieldIncident = NonNullable<FieldMe['incident']>;
export type FieldAssignment = NonNullable<FieldMe['assignment']>;
export type UnitStatus = NonNullable<FieldMe['unit']>['status'];
export type ReportFieldSpec = ApiResponse<'/api/v1/incidents/{id}/field-report-fields'>['items'][number];

/** The status buttons, in the order the officer uses them. */
export const STATUS_ACTIONS: readonly StatusAction[] = ['acknowledge', 'en-route', 'on-scene', 'clear'];

export interface Progress {
  /** Unit status once the queued actions are applied (what the officer sees). */
  unitStatus: string;
  acknowledged: boolean;
  enRoute: boolean;
  onScene: boolean;
  cleared: boolean;
  /** Actions written but not yet accepted by the server. */
  pending: ReadonlySet<StatusAction>;
  /** Actions the server refused (kept in the outbox until discarded). */
  failed: ReadonlySet<StatusAction>;
}

/** The unit status after a status action succeeds (mirrors the server's unit status machine). */
export function statusAfter(action: StatusAction, from: UnitStatus): UnitStatus {
  return { acknowledge: from, 'en-route': 'en_route', 'on-scene': 'on_scene', clear: 'available' }[
    action
  ] as UnitStatus;
}

/**
 * The assignment's progress as the server last reported it, plus the status actions still waiting
 * in the outbox (applied in order), so buttons follow what the officer did even without network.
 */
export function effectiveProgress(me: FieldMe | undefined, items: readonly OutboxItem[]): Progress | null {
  const assignment = me?.assignment;
  if (!me?.unit || !assignment) return null;
  const progress: Omit<Progress, 'pending' | 'failed'> = {
    unitStatus: me.unit.status,
    acknowledged: assignment.acknowledgedAt !== null,
    enRoute: assignment.enRouteAt !== null,
    onScene: assignment.onSceneAt !== null,
    cleared: assignment.clearedAt !== null,
  };
  const pending = new Set<StatusAction>();
  const failed = new Set<StatusAction>();
  for (const item of items) {
    if (item.kind !== 'status' || item.meta.assignmentId !== assignment.id || !item.meta.action) continue;
    const action = item.meta.action;
    if (item.state === 'failed') {
      failed.add(action);
      continue;
    }
    pending.add(action);
    progress.unitStatus = statusAfter(action, progress.unitStatus as UnitStatus);
    if (action === 'acknowledge') progress.acknowledged = true;
    if (action === 'en-route') progress.enRoute = true;
    if (action === 'on-scene') progress.onScene = true;
    if (action === 'clear') progress.cleared = true;
  }
  return { ...progress, pending, failed };
}

/** Whether a status button can be used now (mirrors the server's unit status machine). */
export function canDo(action: StatusAction | 'backup', p: Progress): boolean {
  if (p.cleared) return false;
  switch (action) {
    case 'acknowledge':
      return p.unitStatus === 'assigned' && !p.acknowledged;
    case 'en-route':
      return p.unitStatus === 'assigned';
    case 'on-scene':
      return p.unitStatus === 'assigned' || p.unitStatus === 'en_route';
    case 'clear':
      return p.unitStatus === 'on_scene';
    case 'backup':
      return true;
  }
}

export function isDone(action: StatusAction, p: Progress): boolean {
  return {
    acknowledge: p.acknowledged,
    'en-route': p.enRoute,
    'on-scene': p.onScene,
    clear: p.cleared,
  }[action];
}

const PLATE = /^[A-Z]{1,3}[ -]?\d{1,6}(-\d{1,3})?$/;

/** Plates typed as a list (commas, semicolons or new lines), upper-cased; invalid ones reported. */
export function parsePlates(text: string): { plates: string[]; invalid: string[] } {
  const plates = text
    .split(/[,;\n]+/)
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  return { plates, invalid: plates.filter((p) => !PLATE.test(p)) };
}

/** "medicina_legal" → "Medicina legal"; acronyms (FGR) stay as they are. */
export function optionLabel(option: string): string {
  if (option === option.toUpperCase()) return option;
  const text = option.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
