export {
  familyOf,
  loadClosureCodes,
  loadIncidentTypes,
  normalize,
  searchTypes,
  suggestPriority,
  type TypeOption,
  typeOptions,
  typePath,
} from './catalog';
export { newIdempotencyKey } from './idempotency';
export { PriorityBadge, StatusBadge } from './PriorityBadge';
export { useTerritoryLabel } from './territory';
export * from './types';

import './incidents.messages';

export { Combobox, type ComboboxProps } from './Combobox';
export { GuidedQuestions } from './GuidedQuestions';
export { TypePicker } from './TypePicker';
