/**
 * Extra data that comes with a fix (battery, ignition, hdop, cell towers…), stored as the jsonb
 * `attributes` of the history row. Devices choose the keys, so both their number and size are capped.
 */
export type AttributeValue = string | number | boolean | Record<string, string | number>[];
export type Attributes = Record<string, AttributeValue>;

export const MAX_ATTRIBUTES = 32;
export const MAX_ATTRIBUTE_KEY_LENGTH = 64;
export const MAX_ATTRIBUTE_STRING_LENGTH = 256;
export const MAX_NETWORK_ENTRIES = 16;

/** Keys a device may use: plain identifiers only (no `__proto__` tricks, no control characters). */
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Collects attributes with the caps applied. Keys set by the decoder itself win over device keys. */
export class AttributeBag {
  private readonly values = new Map<string, AttributeValue>();
  private readonly known = new Set<string>();
  private custom = 0;

  /** A value decoded from a known field (not counted against the cap, never overwritten by a device key). */
  setKnown(key: string, value: AttributeValue): void {
    this.known.add(key);
    this.values.set(key, value);
  }

  /** A device-chosen key: dropped when malformed, too long, or past the cap; long strings truncated. */
  setCustom(key: string, value: AttributeValue): boolean {
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH || !KEY_PATTERN.test(key) || this.known.has(key)) return false;
    if (!this.values.has(key)) {
      if (this.custom >= MAX_ATTRIBUTES) return false;
      this.custom++;
    }
    this.values.set(key, typeof value === 'string' ? value.slice(0, MAX_ATTRIBUTE_STRING_LENGTH) : value);
    return true;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  toObject(): Attributes {
    return Object.fromEntries(this.values);
  }
}

/** Applies the same caps to attributes that arrive already as an object (batch API, MQTT). */
export function capAttributes(input: Record<string, unknown> | null | undefined): Attributes {
  const bag = new AttributeBag();
  for (const [key, value] of Object.entries(input ?? {})) {
    if (typeof value === 'string' || typeof value === 'boolean') bag.setCustom(key, value);
    else if (typeof value === 'number' && Number.isFinite(value)) bag.setCustom(key, value);
  }
  return bag.toObject();
}
