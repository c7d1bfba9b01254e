/** Roles of Centinela. Modules attach permissions to them in their policies. */
export interface RoleDefinition {
  code: string;
  nameEs: string;
  nameEn: string;
  /** Privileged roles must complete TOTP MFA at every login. */
  mfaRequired: boolean;
}

export const ROLES: readonly RoleDefinition[] = [
  {
    code: 'administrator',
    nameEs: 'Administrador del sistema',
    nameEn: 'System administrator',
    mfaRequired: true,
  },
  { code: 'call_taker', nameEs: 'Operador de llamadas 911', nameEn: '911 call-taker', mfaRequired: false },
  { code: 'dispatcher', nameEs: 'Despachador', nameEn: 'Dispatcher', mfaRequired: false },
  { code: 'supervisor', nameEs: 'Supervisor', nameEn: 'Supervisor', mfaRequired: true },
  { code: 'field_officer', nameEs: 'Agente de campo', nameEn: 'Field officer', mfaRequired: false },
  { code: 'analyst', nameEs: 'Analista', nameEn: 'Analyst', mfaRequired: false },
  { code: 'internal_affairs', nameEs: 'Asuntos internos', nameEn: 'Internal affairs', mfaRequired: true },
  { code: 'auditor', nameEs: 'Auditor', nameEn: 'Auditor', mfaRequired: false },
  {
    code: 'ngo_legal_reviewer',
    nameEs: 'Revisor jurídico de fondos a ONG',
    nameEn: 'NGO funds legal reviewer',
    mfaRequired: false,
  },
  {
    code: 'ngo_financial_reviewer',
    nameEs: 'Revisor financiero de fondos a ONG',
    nameEn: 'NGO funds financial reviewer',
    mfaRequired: false,
  },
  {
    code: 'ngo_monitoring_reviewer',
    nameEs: 'Revisor de monitoreo y control interno',
    nameEn: 'NGO monitoring and internal-control reviewer',
    mfaRequired: false,
  },
  {
    code: 'ngo_authority',
    nameEs: 'Titular / autoridad que aprueba',
    nameEn: 'Head of institution / approving authority',
    mfaRequired: true,
  },
  {
    code: 'ngo_staff',
    nameEs: 'Personal de ONG',
    nameEn: 'NGO staff',
    mfaRequired: false,
  },
  {
    code: 'ngo_finance',
    nameEs: 'Tesorería / UFI: desembolsos',
    nameEn: 'Treasury / finance unit: disbursements',
    mfaRequired: true,
  },
  {
    code: 'contract_administrator',
    nameEs: 'Administrador de contrato',
    nameEn: 'Contract administrator',
    mfaRequired: false,
  },
  { code: 'asset_custodian', nameEs: 'Custodio de bienes', nameEn: 'Asset custodian', mfaRequired: false },
  {
    code: 'disposal_committee',
    nameEs: 'Comité de descargo de bienes',
    nameEn: 'Asset disposal committee',
    mfaRequired: false,
  },
];

export const ROLE_CODES = ROLES.map((r) => r.code);

export function roleRequiresMfa(codes: readonly string[]): boolean {
  return ROLES.some((r) => r.mfaRequired && codes.includes(r.code));
}
