import { duiCheckDigit } from '../../src/modules/identity/dui.js';
import { nitCheckDigit } from '../../src/modules/identity/nit.js';
import type { TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

let serial = 0;

/** A valid DUI (check digit computed) different at every call. */
export function validDui(): string {
  const body = String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8);
  return `${body}-${duiCheckDigit(body)}`;
}

/** A valid NIT of a legal person (correlative above 100) different at every call. */
export function validNit(): string {
  serial += 1;
  const correlative = String(101 + ((serial * 7 + Math.floor(Math.random() * 800)) % 899)).padStart(3, '0');
  const date = `${String(1 + (serial % 28)).padStart(2, '0')}0${1 + (serial % 9)}${String(90 + (serial % 10)).slice(-2)}`;
  const body = `0614${date}${correlative}`;
  return `0614-${date}-${correlative}-${nitCheckDigit(body)}`;
}

export function validBankAccount(): string {
  return String(Math.floor(1e11 + Math.random() * 8.9e11));
}

/** A date `days` from today (UTC), `YYYY-MM-DD`. */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function organisationBody(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    name: `Fundación Prueba ${serial} ${Math.random().toString(36).slice(2, 7)}`,
    acronym: `FP${serial}`,
    type: 'foundation',
    registryNumber: `RAF-${serial}-${Math.random().toString(36).slice(2, 8)}`,
    registryDate: '2015-03-10',
    registryValidUntil: day(400),
    nit: validNit(),
    address: 'Colonia Escalón, calle principal 10',
    municipalityPcode: 'SV10001',
    email: 'contacto@ong.example',
    phone: '+50322223333',
    legalRepresentative: { name: 'Ana María Pérez', dui: validDui(), credentialValidUntil: day(300) },
    boardValidUntil: day(300),
    bankName: 'Banco Agrícola',
    bankAccount: validBankAccount(),
    raexStatus: 'not_applicable',
    ...overrides,
  };
}

/** Users of every role the grants tests need, logged in. */
export async function grantsUsers(t: TestApp) {
  const admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
  const legal = await loginAs(t.app, await makeUser(t.deps, 'ngo_legal_reviewer'));
  const financial = await loginAs(t.app, await makeUser(t.deps, 'ngo_financial_reviewer'));
  const authority = await loginAs(t.app, await makeUser(t.deps, 'ngo_authority'));
  const auditor = await loginAs(t.app, await makeUser(t.deps, 'auditor'));
  const dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
  return { admin, legal, financial, authority, auditor, dispatcher };
}

export async function createOrganisation(t: TestApp, token: string, overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/grants/organisations',
    headers: bearer(token),
    payload: organisationBody(overrides),
  });
  if (res.statusCode !== 201) throw new Error(`organisation: ${res.statusCode} ${res.body}`);
  return res.json() as {
    id: string;
    name: string;
    bankAccount: string;
    legalRepresentative: { dui: string };
  };
}

/** An NGO staff user linked to `organisationId`, logged in. */
export async function ngoStaff(t: TestApp, adminToken: string, organisationId: string) {
  const user = await makeUser(t.deps, 'ngo_staff');
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/grants/organisations/${organisationId}/users`,
    headers: bearer(adminToken),
    payload: { userId: user.id, position: 'Coordinadora de proyectos' },
  });
  if (res.statusCode !== 201) throw new Error(`link: ${res.statusCode} ${res.body}`);
  return { user, token: await loginAs(t.app, user) };
}

/** A published call open today. */
export async function publishedCall(t: TestApp, token: string, overrides: Record<string, unknown> = {}) {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/grants/calls',
    headers: bearer(token),
    payload: {
      programme: 'Prevención de la violencia juvenil',
      title: 'Convocatoria de prueba',
      description: 'Proyectos comunitarios de prevención.',
      fiscalYear: 2026,
      budgetEnvelopeCents: 10_000_000,
      maxPerPlanCents: 5_000_000,
      eligibility: [{ code: 'E1', text: 'Personería jurídica vigente' }],
      opensOn: day(-10),
      closesOn: day(30),
      ...overrides,
    },
  });
  if (created.statusCode !== 201) throw new Error(`call: ${created.statusCode} ${created.body}`);
  const id = created.json().id as string;
  const published = await t.app.inject({
    method: 'POST',
    url: `/api/v1/grants/calls/${id}/publish`,
    headers: bearer(token),
    payload: {},
  });
  if (published.statusCode !== 200) throw new Error(`publish: ${published.statusCode} ${published.body}`);
  return published.json() as { id: string; code: string; remainingCents: number };
}

export function completeContent() {
  return {
    summary: 'Talleres de prevención en centros escolares.',
    objectives: [{ code: 'O1', text: 'Reducir la deserción escolar en jóvenes en riesgo.' }],
    activities: [
      { code: 'A1', description: 'Talleres semanales de habilidades para la vida', objectiveCode: 'O1' },
      { code: 'A2', description: 'Tutorías de refuerzo escolar', objectiveCode: 'O1' },
    ],
    beneficiaries: {
      description: 'Jóvenes de 12 a 18 años',
      direct: 300,
      indirect: 1200,
      groups: ['jóvenes'],
    },
    territory: { municipalityPcodes: ['SV10001'], description: 'Distritos del municipio' },
    schedule: [
      { code: 'H1', milestone: 'Inicio de talleres', activityCode: 'A1', start: day(40), end: day(70) },
    ],
    indicators: [
      {
        code: 'I1',
        name: 'Jóvenes que completan el programa',
        unit: 'personas',
        baseline: 0,
        target: 250,
        frequency: 'trimestral',
        verification: 'Listas de asistencia',
      },
    ],
    risks: [
      {
        code: 'R1',
        description: 'Inseguridad en la zona',
        likelihood: 'medium',
        mitigation: 'Horarios diurnos',
      },
    ],
  };
}

export function budgetLines() {
  return [
    { lineCode: 'L1', description: 'Facilitadores', fundingSource: 'mjsp', amountCents: 1_500_000 },
    { lineCode: 'L2', description: 'Materiales', fundingSource: 'mjsp', amountCents: 500_000 },
    {
      lineCode: 'L3',
      description: 'Local (contrapartida)',
      fundingSource: 'counterpart',
      amountCents: 300_000,
    },
  ];
}
