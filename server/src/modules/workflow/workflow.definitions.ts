import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { isKnownPermission } from '../../platform/http/permissions.js';
import { ROLE_CODES } from '../identity/index.js';
import type { WorkflowOutcome } from './workflow.tables.js';

/** Pseudo-step naming the person who opened the case (the requester), for `distinct` groups. */
export const OPENER = '$opener';

export interface ChecklistItemDef {
  code: string;
  labelEs: string;
  labelEn: string;
  /** Must be answered `checked: true` to approve (default true). */
  required?: boolean;
}

export interface DocumentRequirementDef {
  kind: string;
  labelEs: string;
  labelEn: string;
}

export interface WorkflowStepDef {
  code: string;
  nameEs: string;
  nameEn: string;
  /** The permission the actor must hold, in a scope covering the case's scope. */
  permission: string;
  checklist: ChecklistItemDef[];
  /** Kinds of documents (with SHA-256) that must accompany an approval. */
  requiredDocuments: DocumentRequirementDef[];
  outcomes: WorkflowOutcome[];
  /** Hours from the moment the step opens until it is due. */
  deadlineHours: number;
  /** A reminder goes to the people who can act this many hours before the due time. */
  reminderHoursBefore: number;
  /** Role notified (with an escalation event) once the step is overdue. */
  escalationRole: string;
}

export interface WorkflowDefinitionSpec {
  code: string;
  version: number;
  nameEs: string;
  nameEn: string;
  steps: WorkflowStepDef[];
  /**
   * Order: stages run one after the other; the steps of one stage form a parallel group and may be
   * done in any order. A sequential step is a stage with one step.
   */
  stages: string[][];
  /**
   * Segregation of duties: in each group, one person may act on at most one of the steps of a case.
   * `$opener` stands for the person who opened the case (the requester cannot approve).
   */
  distinct: string[][];
}

const registry = new Map<string, WorkflowDefinitionSpec>();

function specKey(code: string, version: number): string {
  return `${code}@${version}`;
}

/** Checks the shape of a definition; throws a developer error naming what is wrong. */
export function validateDefinition(spec: WorkflowDefinitionSpec): void {
  const where = `workflow ${spec.code}@${spec.version}`;
  if (!/^[a-z][a-z0-9_]{1,60}$/.test(spec.code)) throw new Error(`${where}: invalid code`);
  if (!Number.isInteger(spec.version) || spec.version < 1) throw new Error(`${where}: invalid version`);
  const codes = new Set<string>();
  for (const step of spec.steps) {
    if (!/^[a-z][a-z0-9_]{0,60}$/.test(step.code))
      throw new Error(`${where}: invalid step code ${step.code}`);
    if (codes.has(step.code)) throw new Error(`${where}: step ${step.code} twice`);
    codes.add(step.code);
    if (step.outcomes.length === 0 || !step.outcomes.includes('approve'))
      throw new Error(`${where}: step ${step.code} must allow approve`);
    if (!(step.deadlineHours > 0)) throw new Error(`${where}: step ${step.code} needs a deadline`);
    if (!(step.reminderHoursBefore >= 0 && step.reminderHoursBefore < step.deadlineHours))
      throw new Error(`${where}: step ${step.code} reminder must fall before the deadline`);
    const items = new Set(step.checklist.map((i) => i.code));
    if (items.size !== step.checklist.length)
      throw new Error(`${where}: step ${step.code} repeats a checklist item`);
  }
  const staged = spec.stages.flat();
  if (spec.stages.some((s) => s.length === 0)) throw new Error(`${where}: empty stage`);
  if (
    staged.length !== codes.size ||
    new Set(staged).size !== staged.length ||
    staged.some((c) => !codes.has(c))
  )
    throw new Error(`${where}: every step must be in exactly one stage`);
  for (const group of spec.distinct) {
    for (const member of group) {
      if (member !== OPENER && !codes.has(member))
        throw new Error(`${where}: distinct names unknown step ${member}`);
    }
  }
}

/**
 * Registers a definition (at import time of the owning module). The workflow module's seed stores it;
 * a stored version whose content differs stops start-up: change the version instead.
 */
export function defineWorkflow(spec: WorkflowDefinitionSpec): WorkflowDefinitionSpec {
  validateDefinition(spec);
  const key = specKey(spec.code, spec.version);
  const existing = registry.get(key);
  if (existing && checksumOf(existing) !== checksumOf(spec))
    throw new Error(`workflow ${key} defined twice with different content`);
  registry.set(key, spec);
  return spec;
}

export function registeredDefinitions(): WorkflowDefinitionSpec[] {
  return [...registry.values()];
}

/** The newest registered version of a definition. */
export function latestDefinition(code: string): WorkflowDefinitionSpec | undefined {
  let best: WorkflowDefinitionSpec | undefined;
  for (const spec of registry.values())
    if (spec.code === code && (!best || spec.version > best.version)) best = spec;
  return best;
}

function checksumOf(spec: WorkflowDefinitionSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

/** Stores every registered definition not yet stored (idempotent; runs at every start). */
export async function seedWorkflowDefinitions(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<void> {
  for (const spec of registry.values()) {
    for (const step of spec.steps) {
      if (!isKnownPermission(step.permission))
        throw new Error(
          `workflow ${spec.code}: step ${step.code} names unknown permission ${step.permission}`,
        );
      if (!ROLE_CODES.includes(step.escalationRole))
        throw new Error(
          `workflow ${spec.code}: step ${step.code} escalates to unknown role ${step.escalationRole}`,
        );
    }
    const key = specKey(spec.code, spec.version);
    const checksum = checksumOf(spec);
    await deps.db
      .insertInto('workflow_definitions')
      .values({
        code: spec.code,
        version: spec.version,
        name_es: spec.nameEs,
        name_en: spec.nameEn,
        spec: JSON.stringify(spec),
        checksum,
        created_at: deps.clock.now(),
      })
      .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
      .execute();
    const stored = await deps.db
      .selectFrom('workflow_definitions')
      .select('checksum')
      .where('code', '=', spec.code)
      .where('version', '=', spec.version)
      .executeTakeFirstOrThrow();
    if (stored.checksum !== checksum)
      throw new Error(
        `workflow ${key}: stored definition differs from the code; give the change a new version`,
      );
  }
}

const loaded = new Map<string, WorkflowDefinitionSpec>();

/** A stored definition (the version a case was opened with). */
export async function loadDefinition(db: Db, code: string, version: number): Promise<WorkflowDefinitionSpec> {
  const key = specKey(code, version);
  const cached = registry.get(key) ?? loaded.get(key);
  if (cached) return cached;
  const row = await db
    .selectFrom('workflow_definitions')
    .select('spec')
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new Error(`workflow ${key} is not stored`);
  const spec = row.spec as unknown as WorkflowDefinitionSpec;
  loaded.set(key, spec);
  return spec;
}

export function stepOf(spec: WorkflowDefinitionSpec, code: string): WorkflowStepDef | undefined {
  return spec.steps.find((s) => s.code === code);
}
