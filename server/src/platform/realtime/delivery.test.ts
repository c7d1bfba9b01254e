import { describe, expect, it } from 'vitest';
import type { EventScope } from '../events/types.js';
import type { Principal, Scope } from '../http/principal.js';
import { canReceive, topicMatches } from './delivery.js';

function principal(grants: Record<string, Scope[]>): Principal {
  return {
    kind: 'user',
    id: 'u1',
    name: 'Prueba',
    sessionId: 's1',
    roles: [],
    grants: new Map(Object.entries(grants)),
  };
}

const national = principal({ 'incident.read': [{ level: 'national', code: null }] });
const sanSalvador = principal({ 'incident.read': [{ level: 'department', code: 'SV-SS' }] });
const twoDepartments = principal({
  'incident.read': [
    { level: 'department', code: 'SV-SS' },
    { level: 'department', code: 'SV-LI' },
  ],
});
const municipality = principal({ 'incident.read': [{ level: 'municipality', code: 'SV0614' }] });
const unit = principal({ 'incident.read': [{ level: 'unit', code: 'unit-7' }] });
const otherPermission = principal({ 'grant.read': [{ level: 'national', code: null }] });

const ss: EventScope = { department: 'SV-SS' };
const ssMunicipality: EventScope = { department: 'SV-SS', municipality: 'SV0614' };
const ssUnit: EventScope = { department: 'SV-SS', municipality: 'SV0614', unit: 'unit-7' };
const santaAna: EventScope = { department: 'SV-SA' };
const none: EventScope = {};
const nulls: EventScope = { department: null, municipality: null, unit: null };

describe('canReceive (permission × scope)', () => {
  const cases: [string, Principal | null, EventScope, boolean][] = [
    ['national sees a department event', national, ss, true],
    ['national sees an unscoped event', national, none, true],
    ['department sees its own department', sanSalvador, ss, true],
    ['department sees a municipality inside it', sanSalvador, ssMunicipality, true],
    ['department sees a unit event inside it', sanSalvador, ssUnit, true],
    ['department does not see another department', sanSalvador, santaAna, false],
    ['department sees an unscoped event (permission in any scope)', sanSalvador, none, true],
    ['scope with only nulls counts as unscoped', sanSalvador, nulls, true],
    ['two departments: not a third one', twoDepartments, santaAna, false],
    ['two departments: the second one', twoDepartments, { department: 'SV-LI' }, true],
    ['municipality does not see the whole department', municipality, ss, false],
    ['municipality sees its municipality', municipality, ssMunicipality, true],
    ['unit sees its unit', unit, ssUnit, true],
    ['unit does not see the municipality', unit, ssMunicipality, false],
    ['another permission sees nothing', otherPermission, ss, false],
    ['another permission does not see unscoped events either', otherPermission, none, false],
    ['no principal sees nothing', null, none, false],
  ];
  it.each(cases)('%s', (_name, who, scope, expected) => {
    expect(canReceive(who, { permission: 'incident.read', scope })).toBe(expected);
  });

  it('refuses an event without a permission', () => {
    expect(canReceive(national, { permission: '', scope: none })).toBe(false);
  });
});

describe('topicMatches', () => {
  it('matches listed topics and the * wildcard only', () => {
    expect(topicMatches(new Set(['incident']), 'incident')).toBe(true);
    expect(topicMatches(new Set(['incident']), 'unit')).toBe(false);
    expect(topicMatches(new Set(['*']), 'unit')).toBe(true);
    expect(topicMatches(new Set(), 'unit')).toBe(false);
  });
});
