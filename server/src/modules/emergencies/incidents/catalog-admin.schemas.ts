import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';
import { Priority, Reason } from './incidents.schemas.js';

// Null first: with type coercion on (app.ts), a string branch first would turn null into "".
const Name = Type.String({ minLength: 2, maxLength: 120, pattern: '\\S' });
const Referral = Type.Union([Type.Literal('fire'), Type.Literal('medical')], {
  description: 'derivación automática a bomberos o emergencias médicas',
});

export const TypeCode = Type.String({
  pattern: '^[A-Z][A-Z0-9_]{1,29}(\\.[A-Z][A-Z0-9_]{1,39})?$',
  description: 'FAMILIA o FAMILIA.SUBTIPO en mayúsculas, p. ej. VIDA.HOMICIDIO',
});

export const AdminQuestion = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'minúsculas, dígitos y guion bajo' }),
    textEs: Type.String({ minLength: 3, maxLength: 300, pattern: '\\S' }),
    textEn: Type.String({ minLength: 3, maxLength: 300, pattern: '\\S' }),
    priorityIfYes: Priority,
  },
  { additionalProperties: false },
);
export type AdminQuestion = Static<typeof AdminQuestion>;
const Questions = Type.Array(AdminQuestion, { maxItems: 20 });

export const AdminIncidentType = Type.Object({
  code: Type.String(),
  parentCode: Nullable(Type.String()),
  family: Type.String(),
  nameEs: Type.String(),
  nameEn: Type.String(),
  defaultPriority: Type.Integer(),
  referral: Nullable(Type.String()),
  keywords: Type.String(),
  questions: Type.Array(AdminQuestion),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedBy: Nullable(Type.String({ format: 'uuid' })),
});
export type AdminIncidentType = Static<typeof AdminIncidentType>;

export const AdminIncidentTypeList = Type.Object({ items: Type.Array(AdminIncidentType) });
export type AdminIncidentTypeList = Static<typeof AdminIncidentTypeList>;

export const AdminIncidentTypeQuery = Type.Object(
  { includeInactive: Type.Boolean({ default: true, description: 'incluir los tipos desactivados' }) },
  { additionalProperties: false },
);
export type AdminIncidentTypeQuery = Static<typeof AdminIncidentTypeQuery>;

export const TypeCodeParams = Type.Object({ code: TypeCode }, { additionalProperties: false });
export type TypeCodeParams = Static<typeof TypeCodeParams>;

export const IncidentTypeCreate = Type.Object(
  {
    code: TypeCode,
    parentCode: Type.Optional(Nullable(TypeCode)),
    nameEs: Name,
    nameEn: Name,
    defaultPriority: Priority,
    referral: Type.Optional(Nullable(Referral)),
    keywords: Type.Optional(Type.String({ maxLength: 500 })),
    questions: Type.Optional(Questions),
    reason: Reason,
  },
  { additionalProperties: false },
);
export type IncidentTypeCreate = Static<typeof IncidentTypeCreate>;

export const IncidentTypeUpdate = Type.Object(
  {
    nameEs: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    defaultPriority: Type.Optional(Priority),
    referral: Type.Optional(Nullable(Referral)),
    keywords: Type.Optional(Type.String({ maxLength: 500 })),
    questions: Type.Optional(Questions),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    reason: Reason,
  },
  { additionalProperties: false, minProperties: 2 },
);
export type IncidentTypeUpdate = Static<typeof IncidentTypeUpdate>;

export const TypeReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export type TypeReasonBody = Static<typeof TypeReasonBody>;
