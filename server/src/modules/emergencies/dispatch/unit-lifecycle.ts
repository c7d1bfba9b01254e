import type { UnitStatus } from './dispatch.tables.js';

/** Unit status machine as data: action → allowed from-statuses → resulting status. */
export const UNIT_TRANSITIONS: Record<string, { from: UnitStatus[]; to: UnitStatus }> = {
  assign: { from: ['available'], to: 'assigned' },
  acknowledge: { from: ['assigned'], to: 'assigned' },
  en_route: { from: ['assigned'], to: 'en_route' },
  on_scene: { from: ['assigned', 'en_route'], to: 'on_scene' },
  clear: { from: ['on_scene'], to: 'available' },
  release: { from: ['assigned', 'en_route', 'on_scene'], to: 'available' },
  out_of_service: { from: ['available'], to: 'out_of_service' },
  in_service: { from: ['out_of_service'], to: 'available' },
};

export function unitTransition(action: string, from: UnitStatus): UnitStatus | undefined {
  const rule = UNIT_TRANSITIONS[action];
  return rule?.from.includes(from) ? rule.to : undefined;
}
