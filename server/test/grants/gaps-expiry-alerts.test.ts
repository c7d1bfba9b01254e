import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExpiryAlerts } from '../../src/modules/grants/red-flags/expiry-alerts.js';
import { renderNotification } from '../../src/modules/notifications/index.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import { linkStaff, makeOrganisation, type OrgFixture, pdf } from './execution-fixtures.js';
import { day } from './grants-helpers.js';

/**
 * Issue 7, NGO registry: "documents with expiry dates (e.g. the legal representative's credential)
 * and alerts before they expire". Besides the red flags and the expiring-documents list, a periodic
 * job e-mails the NGO's portal users and the legal reviewers from 30 days before a registration,
 * credential, board term or document expires, and again once it has expired — once per item, date
 * and stage, audited, with an event.
 */
describe('NGO registry: alerts before documents and credentials expire', () => {
  let t: TestApp;
  const u: Record<string, TestUser & { token: string }> = {};
  let orgA: OrgFixture;
  let orgB: OrgFixture;
  const docs: Record<string, string> = {};

  const notifications = () =>
    t.deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('template', 'like', 'grant_expiry_%')
      .orderBy('created_at')
      .execute();

  beforeAll(async () => {
    t = await buildTestApp();
    for (const [key, role] of [
      ['admin', 'administrator'],
      ['legal', 'ngo_legal_reviewer'],
      ['legalNoMail', 'ngo_legal_reviewer'],
      ['finance', 'ngo_finance'],
      ['staffA', 'ngo_staff'],
      ['staffB', 'ngo_staff'],
    ] as const) {
      u[key] = { ...(await makeUser(t.deps, role)), token: '' };
    }
    for (const key of ['legal', 'finance', 'staffA', 'staffB']) {
      await t.deps.db
        .updateTable('users')
        .set({ email: `${key.toLowerCase()}@ejemplo.gob.sv` })
        .where('id', '=', u[key]!.id)
        .execute();
    }
    for (const user of Object.values(u)) user.token = await loginAs(t.app, user);
    orgA = await makeOrganisation(t.deps, 'Asociación Credencial por Vencer');
    orgB = await makeOrganisation(t.deps, 'Fundación Al Día');
    await linkStaff(t.deps, orgA.orgId, u.staffA!.id);
    await linkStaff(t.deps, orgB.orgId, u.staffB!.id);
    await t.deps.db
      .updateTable('ngo_organisations')
      .set({ legal_rep_credential_valid_until: day(5) })
      .where('id', '=', orgA.orgId)
      .execute();
    for (const [key, org, kind, validUntil] of [
      ['soon', orgA, 'tax_solvency', day(10)],
      ['later', orgA, 'bank_certificate', day(60)],
      ['expired', orgA, 'social_security_solvency', day(-3)],
      ['other', orgB, 'tax_solvency', day(90)],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/grants/organisations/${org.orgId}/documents`,
        headers: bearer(u.admin!.token),
        payload: { kind, validUntil, fileName: `${key}.pdf`, data: pdf(key) },
      });
      expect(res.statusCode, res.body).toBe(201);
      docs[key] = res.json().id;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('e-mails the NGO and the legal reviewers once per expiring or expired item, in Spanish', async () => {
    expect(await runExpiryAlerts(t.deps)).toEqual({ alerted: 3, notifications: 6 });
    const sent = await notifications();
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((n) => n.recipient))).toEqual(
      new Set(['staffa@ejemplo.gob.sv', 'legal@ejemplo.gob.sv']),
    );
    const byEntity = (id: string) => sent.filter((n) => n.entity_id === id);
    expect(byEntity(docs.soon!).map((n) => n.template)).toEqual([
      'grant_expiry_warning',
      'grant_expiry_warning',
    ]);
    expect(byEntity(docs.expired!).map((n) => n.template)).toEqual([
      'grant_expiry_expired',
      'grant_expiry_expired',
    ]);
    expect(byEntity(docs.later!)).toHaveLength(0);
    expect(byEntity(docs.other!)).toHaveLength(0);
    const credential = byEntity(orgA.orgId);
    expect(credential).toHaveLength(2);
    const text = renderNotification(t.deps, credential[0]!);
    expect(text.subject).toBe(
      'Vence pronto: La credencial del representante legal de Asociación Credencial por Vencer',
    );
    expect(text.text).toContain(`vence el ${day(5)} (en 5 días)`);
    const expired = renderNotification(t.deps, byEntity(docs.expired!)[0]!);
    expect(expired.text).toContain('«expired.pdf»');
    expect(expired.text).toContain(`venció el ${day(-3)}`);

    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['entity_id'])
      .where('action', '=', 'grant.expiry_alert')
      .execute();
    expect(audit.map((a) => a.entity_id).sort()).toEqual([docs.soon!, docs.expired!, orgA.orgId].sort());
    const events = await t.deps.db
      .selectFrom('outbox')
      .select('type')
      .where('type', '=', 'grant.expiry_alert')
      .execute();
    expect(events).toHaveLength(3);
  });

  it('does not repeat itself; a renewed date or the expiry itself alerts again', async () => {
    expect(await runExpiryAlerts(t.deps)).toEqual({ alerted: 0, notifications: 0 });
    // The credential is renewed... but only until day 20: a new date, a new warning.
    await t.deps.db
      .updateTable('ngo_organisations')
      .set({ legal_rep_credential_valid_until: day(20) })
      .where('id', '=', orgA.orgId)
      .execute();
    expect(await runExpiryAlerts(t.deps)).toEqual({ alerted: 1, notifications: 2 });
    // Eleven days later the "soon" document has expired: the expired notice goes out once.
    const later = { ...t.deps, clock: { now: () => new Date(Date.now() + 11 * 86_400_000) } };
    const after = await runExpiryAlerts(later as typeof t.deps);
    expect(after.notifications).toBeGreaterThanOrEqual(2);
    expect(await runExpiryAlerts(later as typeof t.deps)).toEqual({ alerted: 0, notifications: 0 });
    const soon = (await notifications()).filter((n) => n.entity_id === docs.soon);
    expect(soon.map((n) => n.template).sort()).toEqual([
      'grant_expiry_expired',
      'grant_expiry_expired',
      'grant_expiry_warning',
      'grant_expiry_warning',
    ]);
    // Nobody outside the NGO and the legal area is told.
    const recipients = new Set((await notifications()).map((n) => n.recipient));
    expect(recipients.has('finance@ejemplo.gob.sv')).toBe(false);
    expect(recipients.has('staffb@ejemplo.gob.sv')).toBe(false);
  });

  it('the same items are listed as expiry alerts and red flags', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/grants/documents/expiring',
      headers: bearer(u.legal!.token),
    });
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json().items.map((d: { documentId: string }) => d.documentId);
    expect(ids).toEqual(expect.arrayContaining([docs.soon, docs.expired]));
    expect(ids).not.toContain(docs.later);
    const flags = await t.app.inject({
      method: 'GET',
      url: `/api/v1/grants/organisations/${orgA.orgId}/red-flags`,
      headers: bearer(u.legal!.token),
    });
    expect(flags.json().flags.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['LEGAL_REP_CREDENTIAL_EXPIRING', 'DOCUMENT_EXPIRED']),
    );
  });
});
