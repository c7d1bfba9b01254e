/**
 * The form fields of an Open311 POST as FixMyStreet and Mark-a-Spot send them: plain fields,
 * `attribute[CODE]=value`, and `attribute[CODE][]=v1&attribute[CODE][]=v2` for multi-value lists.
 * The body parser itself is @fastify/formbody (see open311.routes.ts); this gathers the
 * `attribute[...]` keys under `attribute`. A repeated plain field keeps its last value.
 */
export interface ParsedForm {
  [field: string]: string | Record<string, string | string[]>;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The decoded `key=value` pairs of the body, in order (repeated keys included). */
export function open311Form(pairs: Iterable<[string, string]>): ParsedForm {
  const fields: ParsedForm = {};
  const attributes: Record<string, string | string[]> = {};
  let hasAttributes = false;
  for (const [key, value] of pairs) {
    const attribute = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (attribute) {
      const code = attribute[1]!;
      if (FORBIDDEN_KEYS.has(code)) continue;
      hasAttributes = true;
      if (attribute[2]) {
        const current = attributes[code];
        attributes[code] = Array.isArray(current)
          ? [...current, value]
          : current !== undefined
            ? [current, value]
            : [value];
      } else {
        attributes[code] = value;
      }
      continue;
    }
    if (FORBIDDEN_KEYS.has(key) || key === 'attribute') continue;
    fields[key] = value;
  }
  if (hasAttributes) fields.attribute = attributes;
  return fields;
}
