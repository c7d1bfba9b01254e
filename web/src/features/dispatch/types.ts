import type { ApiResponse } from '../../api';

/** Server shapes the dispatch board and the command centre work with (from the generated client). */
export type Incident = ApiResponse<'/api/v1/incidents/{id}'>;
export type Unit = ApiResponse<'/api/v1/units/{id}'>;
export type UnitStatus = Unit['status'];
export type Recommendation = ApiResponse<'/api/v1/incidents/{id}/recommendations'>['items'][number];
export type Assignment = ApiResponse<'/api/v1/incidents/{id}/assignments'>['items'][number];
export type ResponseTarget = ApiResponse<'/api/v1/response-targets'>['items'][number];
export type Escalation = ApiResponse<'/api/v1/escalations'>['items'][number];
export type MachineAlert = ApiResponse<'/api/v1/video/alerts'>['items'][number];

/** Statuses of an incident still being handled (the dispatch queue and the wall show these). */
export const OPEN_STATUSES = ['received', 'classified', 'dispatched', 'en_route', 'on_scene'] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export function isOpen(status: string): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export const UNIT_STATUSES: readonly UnitStatus[] = [
  'available',
  'assigned',
  'en_route',
  'on_scene',
  'out_of_service',
];

/** A unit position as the AVL events carry it (`unit.positions` on topic `units`). */
export interface PositionUpdate {
  unitId: string;
  callSign?: string;
  lon: number;
  lat: number;
  speedKmh?: number | null;
  heading?: number | null;
  recordedAt: string;
}
