import type { ApiResponse } from '../../api';

export type Incident = ApiResponse<'/api/v1/incidents/{id}'>;
export type IncidentType = ApiResponse<'/api/v1/incident-types'>['items'][number];
export type GuidedQuestion = IncidentType['questions'][number];
export type NearbyIncident = ApiResponse<'/api/v1/incidents/nearby'>['items'][number];
/** A place search result; bbox = [west, south, east, north]. */
export type Place = Omit<ApiResponse<'/api/v1/geo/search'>[number], 'bbox'> & { bbox: number[] };
export type LocatedPoint = ApiResponse<'/api/v1/geo/locate'>;
export type TimelineEntry = ApiResponse<'/api/v1/incidents/{id}/timeline'>['items'][number];
export type Note = ApiResponse<'/api/v1/incidents/{id}/notes'>['items'][number];
export type Caller = ApiResponse<'/api/v1/incidents/{id}/callers'>['items'][number];
export type Assignment = ApiResponse<'/api/v1/incidents/{id}/assignments'>['items'][number];
export type Evidence = ApiResponse<'/api/v1/incidents/{id}/evidence'>['items'][number];
export type AuditEntry = ApiResponse<'/api/v1/audit/entries'>['items'][number];
export type ClosureCode = ApiResponse<'/api/v1/closure-codes'>['items'][number];

/** Guided answers: question code → yes (true) / no (false); unanswered questions are absent. */
export type Answers = Record<string, boolean>;

export const PRIORITIES = [1, 2, 3, 4] as const;
