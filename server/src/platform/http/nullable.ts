import { type TNull, type TSchema, type TUnion, Type } from '@sinclair/typebox';

/**
 * A schema that also accepts null. Null is listed first: with ajv's coerceTypes a null checked
 * against a number or string schema first would be coerced to 0 or "" instead of staying null.
 */
export function Nullable<T extends TSchema>(schema: T): TUnion<[TNull, T]> {
  return Type.Union([Type.Null(), schema]);
}
