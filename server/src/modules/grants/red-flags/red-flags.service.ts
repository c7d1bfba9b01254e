import type { Kysely } from 'kysely';
import type { Locale } from '../../../platform/context.js';
import type { Database } from '../../../platform/db/schema.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { t } from '../../../platform/i18n/catalog.js';
import { findEmployeesByDui } from '../../identity/index.js';
import type { PlanStatus } from '../grants.tables.js';
import { addDays, dateText, todayInElSalvador } from '../shared/dates.js';

type Executor = Kysely<Database>;

/** How many days before a document or credential expires the alert starts. */
export const EXPIRY_WARNING_DAYS = 30;

/** A plan in one of these states has received (or is about to receive) public funds. */
export const FUNDED_PLAN_STATUSES: readonly PlanStatus[] = [
  'approved',
  'agreement_signed',
  'in_execution',
  'suspended',
  'liquidation_submitted',
  'liquidation_overdue',
  'liquidated',
  'closed',
];

/** Plans whose funds are still to be liquidated (checked against their liquidation deadline). */
export const UNLIQUIDATED_PLAN_STATUSES: readonly PlanStatus[] = [
  'in_execution',
  'suspended',
  'liquidation_overdue',
];

export type RedFlagSeverity = 'high' | 'medium' | 'low';

export type RedFlagCode =
  | 'REGISTRY_EXPIRED'
  | 'REGISTRY_EXPIRING'
  | 'LEGAL_REP_CREDENTIAL_EXPIRED'
  | 'LEGAL_REP_CREDENTIAL_EXPIRING'
  | 'BOARD_EXPIRED'
  | 'BOARD_EXPIRING'
  | 'DOCUMENT_EXPIRED'
  | 'DOCUMENT_EXPIRING'
  | 'PENDING_LIQUIDATION'
  | 'BOARD_MEMBER_ON_OTHER_FUNDED_NGO'
  | 'BOARD_MEMBER_IS_MINISTRY_EMPLOYEE'
  | 'BANK_ACCOUNT_SHARED'
  | 'RAEX_PENDING'
  | 'CONFLICT_DECLARED';

export interface RedFlag {
  code: RedFlagCode;
  severity: RedFlagSeverity;
  /** Why the flag is raised, in the caller's language, with the facts that raised it. */
  message: string;
  details: Record<string, string | number | boolean | null>;
}

export interface RedFlagReport {
  organisationId: string;
  organisationName: string;
  evaluatedOn: string;
  flags: RedFlag[];
}

/**
 * Plans of the organisation that are still in execution (or already overdue) past their liquidation
 * deadline. While any exists the organisation has "previous funds not liquidated" and must not
 * receive new funds.
 */
export async function pendingLiquidations(
  db: Executor,
  organisationId: string,
  now: Date,
): Promise<{ planId: string; code: string; status: PlanStatus; liquidationDueAt: Date }[]> {
  const rows = await db
    .selectFrom('ngo_plans')
    .select(['id', 'code', 'status', 'liquidation_due_at'])
    .where('organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'liquidation_overdue'),
        eb.and([eb('status', 'in', [...UNLIQUIDATED_PLAN_STATUSES]), eb('liquidation_due_at', '<', now)]),
      ]),
    )
    .orderBy('liquidation_due_at')
    .execute();
  return rows.map((r) => ({
    planId: r.id,
    code: r.code,
    status: r.status,
    liquidationDueAt: r.liquidation_due_at ?? now,
  }));
}

/** True when the organisation has funds pending liquidation beyond the deadline. */
export async function hasPendingLiquidation(
  db: Executor,
  organisationId: string,
  now: Date,
): Promise<boolean> {
  return (await pendingLiquidations(db, organisationId, now)).length > 0;
}

/** A person of the organisation: a sitting board member or the legal representative. */
interface Person {
  name: string;
  dui: string;
  role: string;
}

/**
 * Computes the red flags of one organisation, each explained: expired or expiring registry,
 * credential, board or documents; funds not liquidated in time; board members (or the legal
 * representative) on the board of another funded NGO or employed by the ministry; a bank account
 * shared with another NGO; RAEX status unresolved; conflicts of interest declared.
 */
export async function computeRedFlags(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  organisationId: string,
  locale: Locale,
): Promise<RedFlagReport> {
  const db = deps.db;
  const now = deps.clock.now();
  const today = todayInElSalvador(now);
  const soon = addDays(today, EXPIRY_WARNING_DAYS);
  const org = await db
    .selectFrom('ngo_organisations')
    .select([
      'id',
      'name',
      'legal_rep_name',
      'legal_rep_dui',
      'bank_account',
      'raex_status',
      dateText('registry_valid_until').as('registry_valid_until'),
      dateText('legal_rep_credential_valid_until').as('credential_valid_until'),
      dateText('board_valid_until').as('board_valid_until'),
    ])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!org) throw new AppError('ORGANISATION_NOT_FOUND', 404);

  const flags: RedFlag[] = [];
  const add = (code: RedFlagCode, severity: RedFlagSeverity, details: RedFlag['details']) =>
    flags.push({ code, severity, details, message: t(locale, `grants.redFlag.${code}`, details) });

  const validity = (
    date: string | null,
    expired: RedFlagCode,
    expiring: RedFlagCode,
    extra: RedFlag['details'] = {},
  ) => {
    if (!date) return;
    if (date < today) add(expired, 'high', { ...extra, validUntil: date });
    else if (date <= soon) add(expiring, 'medium', { ...extra, validUntil: date });
  };
  validity(org.registry_valid_until, 'REGISTRY_EXPIRED', 'REGISTRY_EXPIRING');
  validity(org.credential_valid_until, 'LEGAL_REP_CREDENTIAL_EXPIRED', 'LEGAL_REP_CREDENTIAL_EXPIRING', {
    name: org.legal_rep_name,
  });
  validity(org.board_valid_until, 'BOARD_EXPIRED', 'BOARD_EXPIRING');

  const documents = await db
    .selectFrom('ngo_documents')
    .select(['id', 'kind', 'file_name', dateText('valid_until').as('valid_until')])
    .where('organisation_id', '=', organisationId)
    .where('superseded_by', 'is', null)
    .where('valid_until', 'is not', null)
    .where('valid_until', '<=', soon)
    .orderBy('valid_until')
    .execute();
  for (const d of documents) {
    validity(d.valid_until, 'DOCUMENT_EXPIRED', 'DOCUMENT_EXPIRING', {
      documentId: d.id,
      kind: t(locale, `grants.documentKind.${d.kind}`),
      fileName: d.file_name,
    });
  }

  for (const p of await pendingLiquidations(db, organisationId, now)) {
    add('PENDING_LIQUIDATION', 'high', {
      planId: p.planId,
      plan: p.code,
      dueAt: p.liquidationDueAt.toISOString().slice(0, 10),
    });
  }

  // People of the organisation: sitting board members and the legal representative.
  const board = await db
    .selectFrom('ngo_board_members')
    .select(['full_name', 'dui', 'position'])
    .where('organisation_id', '=', organisationId)
    .where('from_date', '<=', today)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', today)]))
    .execute();
  const people: Person[] = [
    ...board.map((b) => ({ name: b.full_name, dui: b.dui, role: b.position })),
    { name: org.legal_rep_name, dui: org.legal_rep_dui, role: t(locale, 'grants.legalRepresentative') },
  ];
  const duis = [...new Set(people.map((p) => p.dui))];
  const personOf = (dui: string) => people.find((p) => p.dui === dui)!;

  // The same DUI on the board (or as legal representative) of another NGO that received funds.
  const otherBoards = await db
    .selectFrom('ngo_board_members as b')
    .innerJoin('ngo_organisations as o', 'o.id', 'b.organisation_id')
    .select(['b.dui', 'o.id', 'o.name'])
    .where('b.dui', 'in', duis)
    .where('b.organisation_id', '<>', organisationId)
    .where((eb) => eb.or([eb('b.to_date', 'is', null), eb('b.to_date', '>=', today)]))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('ngo_plans as p')
          .select('p.id')
          .whereRef('p.organisation_id', '=', 'o.id')
          .where('p.status', 'in', [...FUNDED_PLAN_STATUSES]),
      ),
    )
    .union((eb) =>
      eb
        .selectFrom('ngo_organisations as o')
        .select(['o.legal_rep_dui as dui', 'o.id', 'o.name'])
        .where('o.legal_rep_dui', 'in', duis)
        .where('o.id', '<>', organisationId)
        .where((eb2) =>
          eb2.exists(
            eb2
              .selectFrom('ngo_plans as p')
              .select('p.id')
              .whereRef('p.organisation_id', '=', 'o.id')
              .where('p.status', 'in', [...FUNDED_PLAN_STATUSES]),
          ),
        ),
    )
    .execute();
  const seenPairs = new Set<string>();
  for (const row of otherBoards) {
    const key = `${row.dui}|${row.id}`;
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    const person = personOf(row.dui);
    add('BOARD_MEMBER_ON_OTHER_FUNDED_NGO', 'high', {
      name: person.name,
      dui: row.dui,
      role: person.role,
      otherOrganisationId: row.id,
      otherOrganisation: row.name,
    });
  }

  // A person of the organisation who is a ministry employee (same DUI in the user directory).
  for (const employee of await findEmployeesByDui(db, duis)) {
    const person = personOf(employee.dui);
    add('BOARD_MEMBER_IS_MINISTRY_EMPLOYEE', 'high', {
      name: person.name,
      dui: employee.dui,
      role: person.role,
      userId: employee.userId,
      employee: employee.displayName,
    });
  }

  const sharedAccounts = await db
    .selectFrom('ngo_organisations')
    .select(['id', 'name'])
    .where('bank_account', '=', org.bank_account)
    .where('id', '<>', organisationId)
    .orderBy('name')
    .execute();
  for (const other of sharedAccounts) {
    add('BANK_ACCOUNT_SHARED', 'high', {
      bankAccount: org.bank_account,
      otherOrganisationId: other.id,
      otherOrganisation: other.name,
    });
  }

  if (org.raex_status === 'pending') add('RAEX_PENDING', 'low', {});

  const conflicts = await db
    .selectFrom('ngo_conflict_declarations')
    .select([
      'id',
      'declarant_name',
      'related_person',
      'related_position',
      dateText('declared_on').as('declared_on'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('has_conflict', '=', true)
    .orderBy('declared_on')
    .execute();
  for (const c of conflicts) {
    add('CONFLICT_DECLARED', 'medium', {
      declarationId: c.id,
      name: c.declarant_name,
      relatedPerson: c.related_person ?? '—',
      relatedPosition: c.related_position ?? '—',
      declaredOn: c.declared_on,
    });
  }

  const order: Record<RedFlagSeverity, number> = { high: 0, medium: 1, low: 2 };
  flags.sort((a, b) => order[a.severity] - order[b.severity]);
  return { organisationId, organisationName: org.name, evaluatedOn: today, flags };
}
