import type { Json } from '../../../platform/db/schema.js';
import type { Cents, DateText } from '../grants.tables.js';

/** Tables of migration 0002 (agreements, disbursements, receipts, monitoring, liquidation). */

export type DisbursementStatus = 'requested' | 'authorised' | 'paid' | 'rejected';
export type ReceiptStatus = 'pending' | 'approved' | 'observed' | 'rejected';
export type ReceiptDocumentType = '01' | '03' | '05' | '06' | '11' | '14' | '15' | 'paper';
export type VisitStatus = 'submitted' | 'approved' | 'returned';
export type LiquidationStatus = 'submitted' | 'approved' | 'returned';

export interface ConditionResult {
  code: string;
  met: boolean;
  message: string;
}

export interface ReceiptCheck {
  code: string;
  severity: 'high' | 'medium';
  message: string;
  messageEn: string;
  details: Record<string, string | number | null>;
}

export interface NgoAgreementsTable {
  id: string;
  number: string;
  plan_id: string;
  plan_version: number;
  organisation_id: string;
  amount_cents: Cents;
  starts_on: DateText;
  ends_on: DateText;
  signed_on: DateText;
  liquidation_days: number;
  split_threshold_cents: Cents;
  split_window_days: number;
  administrator_id: string;
  budget_specific: string;
  summary_sha256: string;
  summary_storage_key: string;
  closing_act_sha256: string | null;
  closing_act_storage_key: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NgoAgreementTranchesTable {
  id: string;
  agreement_id: string;
  number: number;
  amount_cents: Cents;
  min_justified_pct: number;
  requires_visit: boolean;
  planned_on: DateText | null;
}

export interface NgoDisbursementsTable {
  id: string;
  agreement_id: string;
  tranche_id: string;
  amount_cents: Cents;
  status: DisbursementStatus;
  case_id: string | null;
  conditions: Json<ConditionResult[]>;
  requested_by: string | null;
  requested_at: Date;
  authorised_by: string | null;
  authorised_at: Date | null;
  paid_by: string | null;
  paid_at: Date | null;
  paid_on: DateText | null;
  payment_reference: string | null;
  rejected_reason: string | null;
}

export interface NgoExpenseReportsTable {
  id: string;
  agreement_id: string;
  number: number;
  description: string;
  status: 'open' | 'submitted';
  created_by: string | null;
  created_at: Date;
  submitted_by: string | null;
  submitted_at: Date | null;
}

export interface NgoReceiptsTable {
  id: string;
  report_id: string;
  agreement_id: string;
  organisation_id: string;
  supplier_nit: string;
  supplier_dui: string | null;
  supplier_name: string;
  document_type: ReceiptDocumentType;
  document_number: string;
  generation_code: string | null;
  issued_on: DateText;
  amount_cents: Cents;
  budget_line_code: string;
  description: string;
  sha256: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  storage_key: string;
  checks: Json<ReceiptCheck[]>;
  status: ReceiptStatus;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  created_by: string | null;
  created_at: Date;
}

export interface NgoIndicatorReportsTable {
  id: string;
  agreement_id: string;
  indicator_code: string;
  period_from: DateText;
  period_to: DateText;
  value: number;
  notes: string | null;
  reported_by: string | null;
  reported_at: Date;
}

export interface FollowUpAction {
  action: string;
  dueOn: string | null;
}

export interface NgoMonitoringVisitsTable {
  id: string;
  agreement_id: string;
  visited_on: DateText;
  visit_type: 'announced' | 'unannounced';
  team: Json<string[]>;
  findings: Json<string[]>;
  follow_up: Json<FollowUpAction[]>;
  status: VisitStatus;
  decision_reason: string | null;
  created_by: string | null;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface NgoVisitPhotosTable {
  id: string;
  visit_id: string;
  sha256: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  storage_key: string;
  caption: string | null;
  uploaded_by: string | null;
  uploaded_at: Date;
}

export interface NgoRefundsTable {
  id: string;
  agreement_id: string;
  amount_cents: Cents;
  reference: string;
  paid_on: DateText;
  budget_line_code: string | null;
  sha256: string | null;
  storage_key: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}

export interface ReconciliationLine {
  lineCode: string;
  description: string;
  budgetCents: number;
  justifiedCents: number;
  refundedCents: number;
}

export interface Reconciliation {
  disbursedCents: number;
  justifiedCents: number;
  refundedCents: number;
  /** disbursed − justified − refunded: what the NGO still has to justify or refund. */
  balanceCents: number;
  pendingReceipts: number;
  lines: ReconciliationLine[];
}

export interface NgoLiquidationsTable {
  id: string;
  agreement_id: string;
  status: LiquidationStatus;
  final_report: string;
  reconciliation: Json<Reconciliation>;
  disbursed_cents: Cents;
  justified_cents: Cents;
  refunded_cents: Cents;
  case_id: string | null;
  submitted_by: string | null;
  submitted_at: Date;
  decided_at: Date | null;
  decision_reason: string | null;
}

export interface NgoLiquidationAlertsTable {
  plan_id: string;
  liquidation_due_at: Date;
  raised_at: Date;
  recipients: number;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    ngo_agreements: NgoAgreementsTable;
    ngo_agreement_tranches: NgoAgreementTranchesTable;
    ngo_disbursements: NgoDisbursementsTable;
    ngo_expense_reports: NgoExpenseReportsTable;
    ngo_receipts: NgoReceiptsTable;
    ngo_indicator_reports: NgoIndicatorReportsTable;
    ngo_monitoring_visits: NgoMonitoringVisitsTable;
    ngo_visit_photos: NgoVisitPhotosTable;
    ngo_refunds: NgoRefundsTable;
    ngo_liquidations: NgoLiquidationsTable;
    ngo_liquidation_alerts: NgoLiquidationAlertsTable;
  }
}
