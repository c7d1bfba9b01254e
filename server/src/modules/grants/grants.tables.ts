import type { Json } from '../../platform/db/schema.js';

/**
 * Calendar dates (`date` columns). The drivers turn them into JS Dates at different time zones, so
 * the repositories always read them cast to text (`YYYY-MM-DD`) and write them as text.
 */
export type DateText = string;
/** bigint cents: PGlite and pg (see platform/db) both read them as numbers; always below 2^53. */
export type Cents = number;

export type OrganisationType = 'association' | 'foundation';
export type RaexStatus = 'registered' | 'excluded' | 'not_applicable' | 'pending';
export type OrganisationStatus = 'active' | 'suspended' | 'barred' | 'dissolved';
export type CallStatus = 'draft' | 'published' | 'closed' | 'cancelled';
export type PlanStatus =
  | 'draft'
  | 'submitted'
  | 'under_review'
  | 'returned'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'agreement_signed'
  | 'in_execution'
  | 'suspended'
  | 'liquidation_submitted'
  | 'liquidation_overdue'
  | 'liquidated'
  | 'closed';
export type FundingSource = 'mjsp' | 'counterpart' | 'other';
export type DocumentKind =
  | 'legal_personality'
  | 'statutes'
  | 'board_credential'
  | 'legal_rep_credential'
  | 'registry_certificate'
  | 'financial_statements'
  | 'tax_solvency'
  | 'social_security_solvency'
  | 'bank_certificate'
  | 'raex_certificate'
  | 'conflict_declaration'
  | 'plan_annex'
  | 'other';
export type DocumentMime = 'application/pdf' | 'image/jpeg' | 'image/png';
export type DeclarantRole = 'board_member' | 'legal_representative' | 'staff';

export interface NgoOrganisationsTable {
  id: string;
  name: string;
  acronym: string | null;
  org_type: OrganisationType;
  registry_number: string;
  registry_date: DateText;
  registry_valid_until: DateText | null;
  nit: string;
  address: string;
  municipality_pcode: string;
  email: string | null;
  phone: string | null;
  legal_rep_name: string;
  legal_rep_dui: string;
  legal_rep_credential_valid_until: DateText;
  board_valid_until: DateText;
  bank_name: string;
  bank_account: string;
  raex_status: RaexStatus;
  raex_resolution: string | null;
  status: OrganisationStatus;
  status_reason: string | null;
  status_changed_at: Date | null;
  status_changed_by: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NgoBoardMembersTable {
  id: string;
  organisation_id: string;
  full_name: string;
  dui: string;
  position: string;
  from_date: DateText;
  to_date: DateText | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NgoUsersTable {
  id: string;
  organisation_id: string;
  user_id: string;
  position: string | null;
  linked_by: string | null;
  linked_at: Date;
  unlinked_by: string | null;
  unlinked_at: Date | null;
}

export interface EligibilityCriterion {
  code: string;
  text: string;
}

export interface NgoCallsTable {
  id: string;
  code: string;
  programme: string;
  title: string;
  description: string;
  fiscal_year: number;
  budget_specific: string;
  budget_envelope_cents: Cents;
  committed_cents: Cents;
  max_per_plan_cents: Cents | null;
  eligibility: Json<EligibilityCriterion[]>;
  opens_on: DateText;
  closes_on: DateText;
  status: CallStatus;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  status_reason: string | null;
}

export interface NgoPlansTable {
  id: string;
  code: string;
  organisation_id: string;
  call_id: string;
  title: string;
  status: PlanStatus;
  current_version: number;
  requested_cents: Cents;
  approved_cents: Cents | null;
  liquidation_due_at: Date | null;
  registered_by_staff: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
}

export interface NgoPlanVersionsTable {
  id: string;
  plan_id: string;
  version: number;
  content: Json<unknown>;
  requested_cents: Cents;
  total_cents: Cents;
  content_sha256: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  submitted_by: string | null;
}

export interface NgoPlanBudgetLinesTable {
  id: string;
  plan_version_id: string;
  line_code: string;
  description: string;
  funding_source: FundingSource;
  budget_specific: string;
  amount_cents: Cents;
  position: number;
}

export interface NgoDocumentsTable {
  id: string;
  organisation_id: string;
  plan_id: string | null;
  kind: DocumentKind;
  description: string | null;
  sha256: string;
  file_name: string;
  size_bytes: number;
  mime: DocumentMime;
  storage_key: string;
  valid_until: DateText | null;
  uploaded_by: string | null;
  uploaded_at: Date;
  superseded_by: string | null;
}

export interface NgoConflictDeclarationsTable {
  id: string;
  organisation_id: string;
  plan_id: string | null;
  declarant_name: string;
  declarant_dui: string;
  declarant_role: DeclarantRole;
  has_conflict: boolean;
  description: string | null;
  related_person: string | null;
  related_position: string | null;
  declared_on: DateText;
  document_id: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    ngo_organisations: NgoOrganisationsTable;
    ngo_board_members: NgoBoardMembersTable;
    ngo_users: NgoUsersTable;
    ngo_calls: NgoCallsTable;
    ngo_plans: NgoPlansTable;
    ngo_plan_versions: NgoPlanVersionsTable;
    ngo_plan_budget_lines: NgoPlanBudgetLinesTable;
    ngo_documents: NgoDocumentsTable;
    ngo_conflict_declarations: NgoConflictDeclarationsTable;
  }
}
