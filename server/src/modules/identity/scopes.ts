import { type Scope, type ScopeTarget, scopeCovers } from '../../platform/http/principal.js';

/** ISO 3166-2 department codes → department pcode (the first four characters of a municipality pcode). */
export const DEPARTMENT_PCODES: Readonly<Record<string, string>> = {
  'SV-AH': 'SV01',
  'SV-CA': 'SV02',
  'SV-CH': 'SV03',
  'SV-CU': 'SV04',
  'SV-LI': 'SV05',
  'SV-PA': 'SV06',
  'SV-UN': 'SV07',
  'SV-MO': 'SV08',
  'SV-SM': 'SV09',
  'SV-SS': 'SV10',
  'SV-SV': 'SV11',
  'SV-SA': 'SV12',
  'SV-SO': 'SV13',
  'SV-US': 'SV14',
};

const MUNICIPALITY_PCODE = /^SV(0[1-9]|1[0-4])\d{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

/** Why a scope is malformed (an i18n error code), or null when it is well formed. */
export function scopeProblem(scope: Scope): string | null {
  switch (scope.level) {
    case 'national':
      return scope.code === null ? null : 'SCOPE_CODE_NOT_ALLOWED';
    case 'department':
      return scope.code && scope.code in DEPARTMENT_PCODES ? null : 'SCOPE_DEPARTMENT_INVALID';
    case 'municipality':
      return scope.code && MUNICIPALITY_PCODE.test(scope.code) ? null : 'SCOPE_MUNICIPALITY_INVALID';
    case 'unit':
      return scope.code && (UUID.test(scope.code) || UNIT_CODE.test(scope.code))
        ? null
        : 'SCOPE_UNIT_INVALID';
  }
}

const DEPARTMENT_OF_PCODE = new Map(Object.entries(DEPARTMENT_PCODES).map(([iso, pcode]) => [pcode, iso]));

/** The place a scope stands for, as a target of the platform's scope checks. */
function targetOf(scope: Scope): ScopeTarget {
  switch (scope.level) {
    case 'national':
      return {};
    case 'department':
      return { department: scope.code };
    case 'municipality':
      return {
        municipality: scope.code,
        department: DEPARTMENT_OF_PCODE.get(scope.code?.slice(0, 4) ?? '') ?? null,
      };
    case 'unit':
      return { unit: scope.code };
  }
}

/** True when everything inside `inner` is also inside `outer` (national ⊇ department ⊇ municipality). */
export function scopeContains(outer: Scope, inner: Scope): boolean {
  return scopeCovers(outer, targetOf(inner));
}

/** True when one of `held` covers `wanted`. */
export function scopesCover(held: readonly Scope[] | undefined, wanted: Scope): boolean {
  return !!held && held.some((s) => scopeContains(s, wanted));
}
