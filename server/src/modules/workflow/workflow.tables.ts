import type { Generated, Selectable } from 'kysely';
import type { Json } from '../../platform/db/schema.js';
import type { WorkflowDefinitionSpec } from './workflow.definitions.js';

export type WorkflowOutcome = 'approve' | 'return' | 'reject';
export type WorkflowCaseStatus = 'open' | 'approved' | 'returned' | 'rejected';
export type WorkflowStepStatus = 'waiting' | 'open' | 'approved' | 'returned' | 'rejected' | 'cancelled';

export interface ChecklistAnswer {
  code: string;
  checked: boolean;
  note?: string | undefined;
}

export interface ActionDocument {
  sha256: string;
  name: string;
  kind: string;
}

export interface WorkflowDefinitionsTable {
  code: string;
  version: number;
  name_es: string;
  name_en: string;
  spec: Json<WorkflowDefinitionSpec>;
  checksum: string;
  created_at: Date;
}

export interface WorkflowCasesTable {
  id: string;
  definition_code: string;
  definition_version: number;
  subject_type: string;
  subject_id: string;
  title: string;
  scope_department: string | null;
  scope_municipality: string | null;
  scope_unit: string | null;
  status: WorkflowCaseStatus;
  stage: number;
  opened_by: string | null;
  opened_by_name: string | null;
  excluded_user_ids: Json<string[]>;
  excluded_duis: Json<string[]>;
  opened_at: Date;
  closed_at: Date | null;
  updated_at: Date;
}

export interface WorkflowCaseStepsTable {
  case_id: string;
  step_code: string;
  stage: number;
  permission: string;
  status: WorkflowStepStatus;
  opened_at: Date | null;
  remind_at: Date | null;
  due_at: Date | null;
  completed_at: Date | null;
  completed_by: string | null;
}

export interface WorkflowActionsTable {
  id: string;
  case_id: string;
  step_code: string;
  outcome: WorkflowOutcome;
  actor_id: string;
  actor_name: string;
  reason: string | null;
  checklist: Json<ChecklistAnswer[]>;
  documents: Json<ActionDocument[]>;
  data: Json<Record<string, unknown>>;
  acted_at: Date;
  /** Recording order (migration 0002). */
  seq: Generated<number>;
}

export interface WorkflowDeadlineNoticesTable {
  case_id: string;
  step_code: string;
  kind: 'reminder' | 'escalation';
  sent_at: Date;
  recipients: number;
}

export type WorkflowCaseRow = Selectable<WorkflowCasesTable>;
export type WorkflowCaseStepRow = Selectable<WorkflowCaseStepsTable>;
export type WorkflowActionRow = Selectable<WorkflowActionsTable>;

declare module '../../platform/db/schema.js' {
  interface Database {
    workflow_definitions: WorkflowDefinitionsTable;
    workflow_cases: WorkflowCasesTable;
    workflow_case_steps: WorkflowCaseStepsTable;
    workflow_actions: WorkflowActionsTable;
    workflow_deadline_notices: WorkflowDeadlineNoticesTable;
  }
}
