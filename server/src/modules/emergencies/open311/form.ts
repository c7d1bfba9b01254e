/**
 * `application/x-www-form-urlencoded` as Open311 clients send it (FixMyStreet, Mark-a-Spot):
 * plain fields, `attribute[CODE]=value`, and `attribute[CODE][]=v1&attribute[CODE][]=v2` for
 * multi-value lists. A repeated plain field keeps its last value.
 */
export interface ParsedForm {
  [field: string]: string | Record<string, string | string[]>;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseOpen311Form(body: string): ParsedForm {
  const fields: ParsedForm = {};
  const attributes: Record<string, string | string[]> = {};
  let hasAttributes = false;
  for (const [key, value] of new URLSearchParams(body)) {
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
