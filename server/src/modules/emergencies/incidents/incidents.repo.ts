import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { IncidentRecord } from './incidents.tables.js';

type Q = Kysely<Database> | Transaction<Database>;

export type IncidentRow = IncidentRecord & {
  type_name_es: string | null;
  type_name_en: string | null;
  status_name_es: string;
  status_name_en: string;
};

export function selectIncidents(db: Q) {
  return db
    .selectFrom('incidents')
    .leftJoin('incident_types', 'incident_types.code', 'incidents.type_code')
    .innerJoin('incident_statuses', 'incident_statuses.code', 'incidents.status')
    .selectAll('incidents')
    .select([
      'incident_types.name_es as type_name_es',
      'incident_types.name_en as type_name_en',
      'incident_statuses.name_es as status_name_es',
      'incident_statuses.name_en as status_name_en',
    ]);
}

export async function findIncident(db: Q, id: string): Promise<IncidentRow | undefined> {
  return (await selectIncidents(db).where('incidents.id', '=', id).executeTakeFirst()) as
    | IncidentRow
    | undefined;
}

/** Locks the incident row for the rest of the transaction (serialises concurrent changes). */
export async function lockIncident(
  trx: Transaction<Database>,
  id: string,
): Promise<IncidentRecord | undefined> {
  return trx.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface DuplicateCandidateRow {
  incident_id: string;
  candidate_id: string;
  distance_m: number;
  minutes_apart: number;
  folio: string;
  status: string;
  type_code: string | null;
}

export async function duplicateCandidatesOf(db: Q, ids: string[]): Promise<DuplicateCandidateRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('incident_duplicate_candidates as d')
    .innerJoin('incidents as c', 'c.id', 'd.candidate_id')
    .select([
      'd.incident_id',
      'd.candidate_id',
      'd.distance_m',
      'd.minutes_apart',
      'c.folio',
      'c.status',
      'c.type_code',
    ])
    .where('d.incident_id', 'in', ids)
    .orderBy('d.distance_m')
    .execute();
}
