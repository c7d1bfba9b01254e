-- Public funds for NGOs (fondos a ONG), part 1: the NGO registry (organisations, board, documents,
-- conflict-of-interest declarations, portal users), calls for proposals and plans with versions.
-- Money is integer cents (bigint, never fractional); dates of legal validity are `date` (calendar
-- days in El Salvador); instants are timestamptz UTC. Later migrations (0002+) add agreements,
-- disbursements, receipts, liquidation and the review records.

-- Registered associations and foundations (RAFSFL, Ministerio de Gobernación). Never deleted: the
-- status changes, with a reason, audited.
CREATE TABLE ngo_organisations (
  id                              uuid PRIMARY KEY,
  name                            text NOT NULL CHECK (length(btrim(name)) BETWEEN 3 AND 300),
  acronym                         text CHECK (acronym IS NULL OR length(btrim(acronym)) BETWEEN 1 AND 40),
  org_type                        text NOT NULL CHECK (org_type IN ('association', 'foundation')),
  -- Inscription in the Registro de Asociaciones y Fundaciones sin Fines de Lucro.
  registry_number                 text NOT NULL CHECK (length(btrim(registry_number)) BETWEEN 1 AND 60),
  registry_date                   date NOT NULL,
  -- Validity of the registry inscription / solvency in the registry (red flag when past).
  registry_valid_until            date,
  -- NIT in canonical form 0614-010190-101-3 (check digit validated by the service).
  nit                             text NOT NULL CHECK (nit ~ '^\d{4}-\d{6}-\d{3}-\d$'),
  address                         text NOT NULL CHECK (length(btrim(address)) BETWEEN 3 AND 500),
  municipality_pcode              text NOT NULL CHECK (municipality_pcode ~ '^SV(0[1-9]|1[0-4])\d{3}$'),
  email                           text,
  phone                           text,
  legal_rep_name                  text NOT NULL CHECK (length(btrim(legal_rep_name)) BETWEEN 3 AND 200),
  -- DUI in canonical form 00000000-0 (check digit validated by the service).
  legal_rep_dui                   text NOT NULL CHECK (legal_rep_dui ~ '^\d{8}-\d$'),
  legal_rep_credential_valid_until date NOT NULL,
  board_valid_until               date NOT NULL,
  bank_name                       text NOT NULL CHECK (length(btrim(bank_name)) BETWEEN 2 AND 120),
  -- Project bank account: digits only (the service strips spaces and hyphens), compared across NGOs.
  bank_account                    text NOT NULL CHECK (bank_account ~ '^\d{6,30}$'),
  raex_status                     text NOT NULL DEFAULT 'pending'
                                  CHECK (raex_status IN ('registered', 'excluded', 'not_applicable', 'pending')),
  raex_resolution                 text,
  status                          text NOT NULL DEFAULT 'active'
                                  CHECK (status IN ('active', 'suspended', 'barred', 'dissolved')),
  status_reason                   text,
  status_changed_at               timestamptz,
  status_changed_by               uuid REFERENCES users (id),
  created_by                      uuid REFERENCES users (id),
  created_at                      timestamptz NOT NULL,
  updated_at                      timestamptz NOT NULL,
  CHECK (status = 'active' OR status_reason IS NOT NULL)
);
CREATE UNIQUE INDEX ngo_organisations_nit_key ON ngo_organisations (nit);
CREATE UNIQUE INDEX ngo_organisations_registry_key ON ngo_organisations (lower(btrim(registry_number)));
CREATE INDEX ngo_organisations_bank_account_idx ON ngo_organisations (bank_account);
CREATE INDEX ngo_organisations_legal_rep_dui_idx ON ngo_organisations (legal_rep_dui);
CREATE INDEX ngo_organisations_status_idx ON ngo_organisations (status, name);

-- Junta Directiva: who sat on the board and when (to_date NULL = still sitting).
CREATE TABLE ngo_board_members (
  id               uuid PRIMARY KEY,
  organisation_id  uuid NOT NULL REFERENCES ngo_organisations (id),
  full_name        text NOT NULL CHECK (length(btrim(full_name)) BETWEEN 3 AND 200),
  dui              text NOT NULL CHECK (dui ~ '^\d{8}-\d$'),
  position         text NOT NULL CHECK (length(btrim(position)) BETWEEN 2 AND 80),
  from_date        date NOT NULL,
  to_date          date,
  created_by       uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX ngo_board_members_org_idx ON ngo_board_members (organisation_id, from_date);
CREATE INDEX ngo_board_members_dui_idx ON ngo_board_members (dui);

-- Portal users of an organisation (NGO staff). One active organisation per user.
CREATE TABLE ngo_users (
  id               uuid PRIMARY KEY,
  organisation_id  uuid NOT NULL REFERENCES ngo_organisations (id),
  user_id          uuid NOT NULL REFERENCES users (id),
  position         text,
  linked_by        uuid REFERENCES users (id),
  linked_at        timestamptz NOT NULL,
  unlinked_by      uuid REFERENCES users (id),
  unlinked_at      timestamptz
);
CREATE UNIQUE INDEX ngo_users_active_user_key ON ngo_users (user_id) WHERE unlinked_at IS NULL;
CREATE INDEX ngo_users_org_idx ON ngo_users (organisation_id) WHERE unlinked_at IS NULL;

-- Calls for proposals (convocatorias). committed_cents is the part of the envelope taken by approved
-- plans; it can never exceed the envelope (the approval locks the call row and the table checks it).
CREATE TABLE ngo_calls (
  id                     uuid PRIMARY KEY,
  code                   text NOT NULL UNIQUE,
  programme              text NOT NULL CHECK (length(btrim(programme)) BETWEEN 2 AND 200),
  title                  text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 300),
  description            text NOT NULL DEFAULT '',
  fiscal_year            integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  budget_specific        text NOT NULL DEFAULT '56303' CHECK (budget_specific ~ '^\d{5}$'),
  budget_envelope_cents  bigint NOT NULL CHECK (budget_envelope_cents > 0 AND budget_envelope_cents <= 9007199254740991),
  committed_cents        bigint NOT NULL DEFAULT 0 CHECK (committed_cents >= 0),
  max_per_plan_cents     bigint CHECK (max_per_plan_cents IS NULL OR max_per_plan_cents > 0),
  -- Eligibility criteria as a list of { code, text } (shown to NGOs, checked by reviewers).
  eligibility            jsonb NOT NULL DEFAULT '[]'::jsonb,
  opens_on               date NOT NULL,
  closes_on              date NOT NULL,
  status                 text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed', 'cancelled')),
  created_by             uuid REFERENCES users (id),
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  published_at           timestamptz,
  published_by           uuid REFERENCES users (id),
  closed_at              timestamptz,
  closed_by              uuid REFERENCES users (id),
  status_reason          text,
  CHECK (closes_on >= opens_on),
  CHECK (committed_cents <= budget_envelope_cents),
  CHECK (max_per_plan_cents IS NULL OR max_per_plan_cents <= budget_envelope_cents)
);
CREATE INDEX ngo_calls_status_idx ON ngo_calls (status, closes_on);

-- Work plans (planes de trabajo) submitted by an NGO to a call. The content lives in versions; a
-- plan returned with observations is corrected in a new version, so every version stays readable.
CREATE TABLE ngo_plans (
  id                  uuid PRIMARY KEY,
  code                text NOT NULL UNIQUE,
  organisation_id     uuid NOT NULL REFERENCES ngo_organisations (id),
  call_id             uuid NOT NULL REFERENCES ngo_calls (id),
  title               text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 300),
  status              text NOT NULL DEFAULT 'draft' CHECK (status IN (
                        'draft', 'submitted', 'under_review', 'returned', 'approved', 'rejected', 'withdrawn',
                        'agreement_signed', 'in_execution', 'suspended', 'liquidation_submitted',
                        'liquidation_overdue', 'liquidated', 'closed')),
  current_version     integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
  -- Sum of the current version's budget lines funded by the ministry.
  requested_cents     bigint NOT NULL DEFAULT 0 CHECK (requested_cents >= 0),
  approved_cents      bigint CHECK (approved_cents IS NULL OR approved_cents >= 0),
  -- Deadline to liquidate the funds received; past it with the plan still in execution the NGO
  -- cannot receive new funds (red flag "previous funds not liquidated").
  liquidation_due_at  timestamptz,
  registered_by_staff boolean NOT NULL DEFAULT false,
  created_by          uuid REFERENCES users (id),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  submitted_at        timestamptz,
  decided_at          timestamptz
);
CREATE INDEX ngo_plans_org_idx ON ngo_plans (organisation_id, created_at);
CREATE INDEX ngo_plans_call_idx ON ngo_plans (call_id, status);
CREATE INDEX ngo_plans_status_idx ON ngo_plans (status, updated_at);
CREATE INDEX ngo_plans_liquidation_due_idx ON ngo_plans (organisation_id, liquidation_due_at)
  WHERE liquidation_due_at IS NOT NULL;

-- One row per version of a plan. content: { objectives[], activities[], beneficiaries{}, territory{},
-- schedule[], indicators[] {name, unit, baseline, target, frequency, verification}, risks[] }.
-- A version is frozen once submitted (submitted_at set): corrections go into the next version.
CREATE TABLE ngo_plan_versions (
  id               uuid PRIMARY KEY,
  plan_id          uuid NOT NULL REFERENCES ngo_plans (id),
  version          integer NOT NULL CHECK (version >= 1),
  content          jsonb NOT NULL,
  requested_cents  bigint NOT NULL DEFAULT 0 CHECK (requested_cents >= 0),
  total_cents      bigint NOT NULL DEFAULT 0 CHECK (total_cents >= 0),
  -- SHA-256 of the canonical JSON of content + budget lines, fixed at submission.
  content_sha256   text CHECK (content_sha256 IS NULL OR content_sha256 ~ '^[0-9a-f]{64}$'),
  created_by       uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  submitted_at     timestamptz,
  submitted_by     uuid REFERENCES users (id),
  UNIQUE (plan_id, version),
  CHECK ((submitted_at IS NULL) = (content_sha256 IS NULL))
);

-- Budget lines of a plan version (line code unique within the version; compared across versions).
CREATE TABLE ngo_plan_budget_lines (
  id               uuid PRIMARY KEY,
  plan_version_id  uuid NOT NULL REFERENCES ngo_plan_versions (id),
  line_code        text NOT NULL CHECK (line_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$'),
  description      text NOT NULL CHECK (length(btrim(description)) BETWEEN 2 AND 500),
  funding_source   text NOT NULL DEFAULT 'mjsp' CHECK (funding_source IN ('mjsp', 'counterpart', 'other')),
  budget_specific  text NOT NULL DEFAULT '56303' CHECK (budget_specific ~ '^\d{5}$'),
  amount_cents     bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 9007199254740991),
  position         integer NOT NULL DEFAULT 0,
  UNIQUE (plan_version_id, line_code)
);

-- A submitted version and its budget lines never change.
CREATE FUNCTION ngo_plan_versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'las versiones de un plan no se eliminan' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.submitted_at IS NOT NULL THEN
    RAISE EXCEPTION 'una versión presentada de un plan no cambia' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ngo_plan_versions_frozen BEFORE UPDATE OR DELETE ON ngo_plan_versions
  FOR EACH ROW EXECUTE FUNCTION ngo_plan_versions_refuse_change();

CREATE FUNCTION ngo_plan_budget_lines_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  frozen boolean;
BEGIN
  SELECT submitted_at IS NOT NULL INTO frozen FROM ngo_plan_versions
   WHERE id = COALESCE(NEW.plan_version_id, OLD.plan_version_id);
  IF frozen THEN
    RAISE EXCEPTION 'las líneas de una versión presentada no cambian' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ngo_plan_budget_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON ngo_plan_budget_lines
  FOR EACH ROW EXECUTE FUNCTION ngo_plan_budget_lines_refuse_change();

-- Files of an organisation (and optionally of one of its plans): PDF, JPEG or PNG, content-addressed
-- by SHA-256 under <DATA_DIR>/<storage_key>. valid_until drives the expiry alerts. Append-only:
-- a newer document of the same kind supersedes the older one (superseded_by set once).
CREATE TABLE ngo_documents (
  id               uuid PRIMARY KEY,
  organisation_id  uuid NOT NULL REFERENCES ngo_organisations (id),
  plan_id          uuid REFERENCES ngo_plans (id),
  kind             text NOT NULL CHECK (kind IN (
                     'legal_personality', 'statutes', 'board_credential', 'legal_rep_credential',
                     'registry_certificate', 'financial_statements', 'tax_solvency', 'social_security_solvency',
                     'bank_certificate', 'raex_certificate', 'conflict_declaration', 'plan_annex', 'other')),
  description      text,
  sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file_name        text NOT NULL,
  size_bytes       integer NOT NULL CHECK (size_bytes > 0),
  mime             text NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  storage_key      text NOT NULL,
  valid_until      date,
  uploaded_by      uuid REFERENCES users (id),
  uploaded_at      timestamptz NOT NULL,
  superseded_by    uuid REFERENCES ngo_documents (id)
);
CREATE INDEX ngo_documents_org_idx ON ngo_documents (organisation_id, kind, uploaded_at);
CREATE INDEX ngo_documents_plan_idx ON ngo_documents (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX ngo_documents_expiry_idx ON ngo_documents (valid_until) WHERE valid_until IS NOT NULL AND superseded_by IS NULL;
CREATE INDEX ngo_documents_sha_idx ON ngo_documents (sha256);

CREATE FUNCTION ngo_documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'los documentos de una ONG no se eliminan' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
     OR (to_jsonb(NEW) - 'superseded_by') <> (to_jsonb(OLD) - 'superseded_by') THEN
    RAISE EXCEPTION 'un documento sólo se marca una vez como reemplazado' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ngo_documents_append_only BEFORE UPDATE OR DELETE ON ngo_documents
  FOR EACH ROW EXECUTE FUNCTION ngo_documents_refuse_change();

-- Conflict-of-interest declarations (Ley de Ética Gubernamental): by board members, the legal
-- representative or staff of the NGO, about links with ministry officials. Append-only.
CREATE TABLE ngo_conflict_declarations (
  id                  uuid PRIMARY KEY,
  organisation_id     uuid NOT NULL REFERENCES ngo_organisations (id),
  plan_id             uuid REFERENCES ngo_plans (id),
  declarant_name      text NOT NULL CHECK (length(btrim(declarant_name)) BETWEEN 3 AND 200),
  declarant_dui       text NOT NULL CHECK (declarant_dui ~ '^\d{8}-\d$'),
  declarant_role      text NOT NULL CHECK (declarant_role IN ('board_member', 'legal_representative', 'staff')),
  has_conflict        boolean NOT NULL,
  description         text,
  related_person      text,
  related_position    text,
  declared_on         date NOT NULL,
  document_id         uuid REFERENCES ngo_documents (id),
  recorded_by         uuid REFERENCES users (id),
  recorded_at         timestamptz NOT NULL,
  CHECK (NOT has_conflict OR (description IS NOT NULL AND length(btrim(description)) >= 3))
);
CREATE INDEX ngo_conflict_declarations_org_idx ON ngo_conflict_declarations (organisation_id, declared_on);

CREATE FUNCTION ngo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'registro de sólo anexado: % no admite cambios', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ngo_conflict_declarations_append_only BEFORE UPDATE OR DELETE ON ngo_conflict_declarations
  FOR EACH ROW EXECUTE FUNCTION ngo_append_only();

CREATE FUNCTION ngo_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% no se eliminan: cambie su estado', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ngo_organisations_no_delete BEFORE DELETE ON ngo_organisations
  FOR EACH ROW EXECUTE FUNCTION ngo_refuse_delete();
CREATE TRIGGER ngo_plans_no_delete BEFORE DELETE ON ngo_plans
  FOR EACH ROW EXECUTE FUNCTION ngo_refuse_delete();
CREATE TRIGGER ngo_calls_no_delete BEFORE DELETE ON ngo_calls
  FOR EACH ROW EXECUTE FUNCTION ngo_refuse_delete();
