import type { AppDeps } from '../../platform/deps.js';
import { CLOSURE_CODES, familyOf, INCIDENT_TYPES, STATUSES, TRANSITIONS } from './catalog.js';

export const DEFAULT_RESPONSE_TARGETS = [
  { priority: 1, answer_seconds: 15, dispatch_seconds: 120, on_scene_seconds: 600 },
  { priority: 2, answer_seconds: 20, dispatch_seconds: 300, on_scene_seconds: 900 },
  { priority: 3, answer_seconds: 20, dispatch_seconds: 900, on_scene_seconds: 1800 },
  { priority: 4, answer_seconds: 20, dispatch_seconds: 1800, on_scene_seconds: 3600 },
];

/** Reference data of the 911 module (idempotent upserts; runs at every start). */
export async function seedEmergenciesReference(deps: AppDeps): Promise<void> {
  const db = deps.db;
  for (const s of STATUSES) {
    const values = {
      name_es: s.nameEs,
      name_en: s.nameEn,
      is_open: s.isOpen,
      public_es: s.publicEs,
      public_en: s.publicEn,
    };
    await db
      .insertInto('incident_statuses')
      .values({ code: s.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute();
  }
  for (const t of TRANSITIONS) {
    for (const from of t.from) {
      await db
        .insertInto('incident_transitions')
        .values({
          action: t.action,
          from_status: from,
          to_status: t.to,
          requires_reason: t.requiresReason ?? false,
        })
        .onConflict((oc) =>
          oc
            .columns(['action', 'from_status'])
            .doUpdateSet({ to_status: t.to, requires_reason: t.requiresReason ?? false }),
        )
        .execute();
    }
  }
  let order = 0;
  for (const t of INCIDENT_TYPES) {
    order += 1;
    const values = {
      parent_code: t.parent,
      family: familyOf(t.code),
      name_es: t.nameEs,
      name_en: t.nameEn,
      default_priority: t.priority,
      referral: t.referral ?? null,
      questions: JSON.stringify(t.questions ?? []),
      keywords: t.keywords ?? '',
      sort_order: order,
    };
    await db
      .insertInto('incident_types')
      .values({ code: t.code, active: true, ...values })
      // A type an administrator changed through the API (updated_by set) keeps the change.
      .onConflict((oc) =>
        oc.column('code').doUpdateSet(values).where('incident_types.updated_by', 'is', null),
      )
      .execute();
  }
  for (const c of CLOSURE_CODES) {
    await db
      .insertInto('closure_codes')
      .values({ code: c.code, name_es: c.nameEs, name_en: c.nameEn, active: true })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name_es: c.nameEs, name_en: c.nameEn }))
      .execute();
  }
  const now = deps.clock.now();
  for (const t of DEFAULT_RESPONSE_TARGETS) {
    await db
      .insertInto('response_targets')
      .values({ ...t, updated_at: now, updated_by: null })
      .onConflict((oc) => oc.column('priority').doNothing())
      .execute();
  }
}
