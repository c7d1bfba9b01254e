-- Public funds for NGOs, part 2: execution. Agreements (convenios) with tranches and their
-- conditions, disbursements (requested → authorised by finance → paid), expense reports with
-- receipts and their automatic checks, indicator progress reports, monitoring visits with photos,
-- refunds (reintegros), liquidation and closing. Money in integer cents; calendar dates as `date`;
-- instants timestamptz UTC. Files are content-addressed by SHA-256 under <DATA_DIR>/<storage_key>.

-- One agreement per approved plan.
CREATE TABLE ngo_agreements (
  id                     uuid PRIMARY KEY,
  number                 text NOT NULL CHECK (length(btrim(number)) BETWEEN 3 AND 60),
  plan_id                uuid NOT NULL UNIQUE REFERENCES ngo_plans (id),
  plan_version           integer NOT NULL CHECK (plan_version >= 1),
  organisation_id        uuid NOT NULL REFERENCES ngo_organisations (id),
  amount_cents           bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 9007199254740991),
  starts_on              date NOT NULL,
  ends_on                date NOT NULL,
  signed_on              date NOT NULL,
  liquidation_days       integer NOT NULL CHECK (liquidation_days BETWEEN 1 AND 365),
  -- Threshold of the split-purchase check (receipts of one supplier each just below it).
  split_threshold_cents  bigint NOT NULL CHECK (split_threshold_cents > 0),
  split_window_days      integer NOT NULL CHECK (split_window_days BETWEEN 1 AND 365),
  administrator_id       uuid NOT NULL REFERENCES users (id),
  budget_specific        text NOT NULL DEFAULT '56303' CHECK (budget_specific ~ '^\d{5}$'),
  summary_sha256         text NOT NULL CHECK (summary_sha256 ~ '^[0-9a-f]{64}$'),
  summary_storage_key    text NOT NULL,
  closing_act_sha256     text CHECK (closing_act_sha256 IS NULL OR closing_act_sha256 ~ '^[0-9a-f]{64}$'),
  closing_act_storage_key text,
  closed_at              timestamptz,
  closed_by              uuid REFERENCES users (id),
  created_by             uuid REFERENCES users (id),
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  CHECK (ends_on >= starts_on)
);
CREATE UNIQUE INDEX ngo_agreements_number_key ON ngo_agreements (upper(btrim(number)));
CREATE INDEX ngo_agreements_org_idx ON ngo_agreements (organisation_id);

-- Tranches (tramos): tranche n > 1 is paid only when min_justified_pct % of what was paid before
-- is justified with approved receipts and, when requires_visit, a monitoring visit report was
-- approved after the previous payment.
CREATE TABLE ngo_agreement_tranches (
  id                 uuid PRIMARY KEY,
  agreement_id       uuid NOT NULL REFERENCES ngo_agreements (id),
  number             integer NOT NULL CHECK (number BETWEEN 1 AND 24),
  amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
  min_justified_pct  integer NOT NULL DEFAULT 0 CHECK (min_justified_pct BETWEEN 0 AND 100),
  requires_visit     boolean NOT NULL DEFAULT false,
  planned_on         date,
  UNIQUE (agreement_id, number)
);

CREATE TABLE ngo_disbursements (
  id                 uuid PRIMARY KEY,
  agreement_id       uuid NOT NULL REFERENCES ngo_agreements (id),
  tranche_id         uuid NOT NULL REFERENCES ngo_agreement_tranches (id),
  amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
  status             text NOT NULL CHECK (status IN ('requested', 'authorised', 'paid', 'rejected')),
  case_id            uuid,
  -- Conditions as evaluated at the last step: [{ code, met, message }].
  conditions         jsonb NOT NULL DEFAULT '[]'::jsonb,
  requested_by       uuid REFERENCES users (id),
  requested_at       timestamptz NOT NULL,
  authorised_by      uuid REFERENCES users (id),
  authorised_at      timestamptz,
  paid_by            uuid REFERENCES users (id),
  paid_at            timestamptz,
  paid_on            date,
  payment_reference  text,
  rejected_reason    text,
  CHECK (status <> 'paid' OR (payment_reference IS NOT NULL AND paid_by IS NOT NULL AND authorised_by IS NOT NULL)),
  CHECK (paid_by IS NULL OR paid_by <> authorised_by),
  CHECK (authorised_by IS NULL OR requested_by IS NULL OR authorised_by <> requested_by),
  CHECK (paid_by IS NULL OR requested_by IS NULL OR paid_by <> requested_by)
);
-- One live disbursement per tranche (a rejected one may be requested again).
CREATE UNIQUE INDEX ngo_disbursements_tranche_key ON ngo_disbursements (tranche_id) WHERE status <> 'rejected';
CREATE INDEX ngo_disbursements_agreement_idx ON ngo_disbursements (agreement_id, status);
CREATE UNIQUE INDEX ngo_disbursements_reference_key ON ngo_disbursements (payment_reference)
  WHERE payment_reference IS NOT NULL;

-- Expense reports (informes de gastos) of an agreement; receipts belong to one report.
CREATE TABLE ngo_expense_reports (
  id               uuid PRIMARY KEY,
  agreement_id     uuid NOT NULL REFERENCES ngo_agreements (id),
  number           integer NOT NULL CHECK (number >= 1),
  description      text NOT NULL CHECK (length(btrim(description)) BETWEEN 3 AND 500),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
  created_by       uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL,
  submitted_by     uuid REFERENCES users (id),
  submitted_at     timestamptz,
  UNIQUE (agreement_id, number)
);

CREATE TABLE ngo_receipts (
  id                uuid PRIMARY KEY,
  report_id         uuid NOT NULL REFERENCES ngo_expense_reports (id),
  agreement_id      uuid NOT NULL REFERENCES ngo_agreements (id),
  organisation_id   uuid NOT NULL REFERENCES ngo_organisations (id),
  supplier_nit      text NOT NULL CHECK (supplier_nit ~ '^\d{4}-\d{6}-\d{3}-\d$'),
  supplier_dui      text CHECK (supplier_dui IS NULL OR supplier_dui ~ '^\d{8}-\d$'),
  supplier_name     text NOT NULL CHECK (length(btrim(supplier_name)) BETWEEN 2 AND 300),
  -- DTE tipoDte (01, 03, 05, 06, 11, 14, 15) or 'paper' for a non-electronic document.
  document_type     text NOT NULL CHECK (document_type IN ('01', '03', '05', '06', '11', '14', '15', 'paper')),
  document_number   text NOT NULL CHECK (length(btrim(document_number)) BETWEEN 1 AND 60),
  generation_code   uuid,
  issued_on         date NOT NULL,
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 9007199254740991),
  budget_line_code  text NOT NULL,
  description       text NOT NULL CHECK (length(btrim(description)) BETWEEN 3 AND 500),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file_name         text NOT NULL,
  mime              text NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes        integer NOT NULL CHECK (size_bytes > 0),
  storage_key       text NOT NULL,
  -- Automatic checks at registration: [{ code, severity, message, messageEn, details }].
  checks            jsonb NOT NULL DEFAULT '[]'::jsonb,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'observed', 'rejected')),
  review_reason     text,
  reviewed_by       uuid REFERENCES users (id),
  reviewed_at       timestamptz,
  created_by        uuid REFERENCES users (id),
  created_at        timestamptz NOT NULL,
  CHECK (document_type = 'paper' OR generation_code IS NOT NULL),
  CHECK (status IN ('pending', 'approved') OR review_reason IS NOT NULL)
);
CREATE INDEX ngo_receipts_agreement_idx ON ngo_receipts (agreement_id, status);
CREATE INDEX ngo_receipts_generation_idx ON ngo_receipts (generation_code) WHERE generation_code IS NOT NULL;
CREATE INDEX ngo_receipts_supplier_idx ON ngo_receipts (supplier_nit, document_number);
CREATE INDEX ngo_receipts_sha_idx ON ngo_receipts (sha256);

-- Indicator progress (against the indicators of the agreement's plan version).
CREATE TABLE ngo_indicator_reports (
  id               uuid PRIMARY KEY,
  agreement_id     uuid NOT NULL REFERENCES ngo_agreements (id),
  indicator_code   text NOT NULL,
  period_from      date NOT NULL,
  period_to        date NOT NULL,
  value            double precision NOT NULL,
  notes            text,
  reported_by      uuid REFERENCES users (id),
  reported_at      timestamptz NOT NULL,
  CHECK (period_to >= period_from)
);
CREATE INDEX ngo_indicator_reports_idx ON ngo_indicator_reports (agreement_id, indicator_code, period_to);

CREATE TABLE ngo_monitoring_visits (
  id               uuid PRIMARY KEY,
  agreement_id     uuid NOT NULL REFERENCES ngo_agreements (id),
  visited_on       date NOT NULL,
  visit_type       text NOT NULL CHECK (visit_type IN ('announced', 'unannounced')),
  team             jsonb NOT NULL,
  findings         jsonb NOT NULL,
  follow_up        jsonb NOT NULL DEFAULT '[]'::jsonb,
  status           text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'returned')),
  decision_reason  text,
  created_by       uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL,
  decided_by       uuid REFERENCES users (id),
  decided_at       timestamptz,
  CHECK (decided_by IS NULL OR created_by IS NULL OR decided_by <> created_by)
);
CREATE INDEX ngo_monitoring_visits_idx ON ngo_monitoring_visits (agreement_id, status, decided_at);

CREATE TABLE ngo_visit_photos (
  id               uuid PRIMARY KEY,
  visit_id         uuid NOT NULL REFERENCES ngo_monitoring_visits (id),
  sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file_name        text NOT NULL,
  mime             text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
  size_bytes       integer NOT NULL CHECK (size_bytes > 0),
  storage_key      text NOT NULL,
  caption          text,
  uploaded_by      uuid REFERENCES users (id),
  uploaded_at      timestamptz NOT NULL
);
CREATE INDEX ngo_visit_photos_idx ON ngo_visit_photos (visit_id);

-- Refunds (reintegros) of unused or ineligible funds to the Treasury.
CREATE TABLE ngo_refunds (
  id                uuid PRIMARY KEY,
  agreement_id      uuid NOT NULL REFERENCES ngo_agreements (id),
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  reference         text NOT NULL CHECK (length(btrim(reference)) BETWEEN 3 AND 100),
  paid_on           date NOT NULL,
  budget_line_code  text,
  sha256            text CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'),
  storage_key       text,
  recorded_by       uuid REFERENCES users (id),
  recorded_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX ngo_refunds_reference_key ON ngo_refunds (upper(btrim(reference)));
CREATE INDEX ngo_refunds_agreement_idx ON ngo_refunds (agreement_id);

-- Liquidation of an agreement; approved by finance and monitoring (two people) on a workflow case.
CREATE TABLE ngo_liquidations (
  id                uuid PRIMARY KEY,
  agreement_id      uuid NOT NULL REFERENCES ngo_agreements (id),
  status            text NOT NULL CHECK (status IN ('submitted', 'approved', 'returned')),
  final_report      text NOT NULL CHECK (length(btrim(final_report)) >= 10),
  reconciliation    jsonb NOT NULL,
  disbursed_cents   bigint NOT NULL,
  justified_cents   bigint NOT NULL,
  refunded_cents    bigint NOT NULL,
  case_id           uuid,
  submitted_by      uuid REFERENCES users (id),
  submitted_at      timestamptz NOT NULL,
  decided_at        timestamptz,
  decision_reason   text
);
CREATE UNIQUE INDEX ngo_liquidations_live_key ON ngo_liquidations (agreement_id) WHERE status <> 'returned';

-- Overdue-liquidation alerts raised by the timer (one per plan and deadline).
CREATE TABLE ngo_liquidation_alerts (
  plan_id            uuid NOT NULL REFERENCES ngo_plans (id),
  liquidation_due_at timestamptz NOT NULL,
  raised_at          timestamptz NOT NULL,
  recipients         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (plan_id, liquidation_due_at)
);

CREATE TRIGGER ngo_agreements_no_delete BEFORE DELETE ON ngo_agreements
  FOR EACH ROW EXECUTE FUNCTION ngo_refuse_delete();
CREATE TRIGGER ngo_disbursements_no_delete BEFORE DELETE ON ngo_disbursements
  FOR EACH ROW EXECUTE FUNCTION ngo_refuse_delete();
CREATE TRIGGER ngo_receipts_no_delete BEFORE DELETE ON ngo_receipts
  FOR EACH ROW EXECUTE FUNCTION ngo_refuse_delete();
CREATE TRIGGER ngo_refunds_append_only BEFORE UPDATE OR DELETE ON ngo_refunds
  FOR EACH ROW EXECUTE FUNCTION ngo_append_only();
CREATE TRIGGER ngo_indicator_reports_append_only BEFORE UPDATE OR DELETE ON ngo_indicator_reports
  FOR EACH ROW EXECUTE FUNCTION ngo_append_only();
CREATE TRIGGER ngo_visit_photos_append_only BEFORE UPDATE OR DELETE ON ngo_visit_photos
  FOR EACH ROW EXECUTE FUNCTION ngo_append_only();
