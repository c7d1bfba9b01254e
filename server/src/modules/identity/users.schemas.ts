import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/nullable.js';
import { ScopeSchema } from './identity.schemas.js';

// Null first: with type coercion on (app.ts), a string branch first would turn null into "".
const DateTime = Type.String({ format: 'date-time' });

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{2,49}$',
  description: 'minúsculas, dígitos, punto, guion y guion bajo; 3 a 50 caracteres',
});
const DisplayName = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Email = Type.String({ format: 'email', maxLength: 254 });
const Dui = Type.String({ pattern: '^[0-9]{8}-?[0-9]$', description: 'DUI salvadoreño: 00000000-0' });

export const UserRole = Type.Object({
  id: Type.String({ format: 'uuid' }),
  role: Type.String(),
  scope: ScopeSchema,
  grantedAt: DateTime,
  grantedBy: Nullable(Type.String({ format: 'uuid' })),
});
export type UserRole = Static<typeof UserRole>;

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  email: Nullable(Type.String()),
  active: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  mfaEnabled: Type.Boolean(),
  lockedUntil: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
  deactivatedAt: Nullable(DateTime),
  roles: Type.Array(UserRole),
});
export type User = Static<typeof User>;

export const UserDetail = Type.Composite([User, Type.Object({ dui: Nullable(Type.String()) })]);
export type UserDetail = Static<typeof UserDetail>;

export const UserList = Type.Object({ items: Type.Array(User), total: Type.Integer() });
export type UserList = Static<typeof UserList>;

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'busca en usuario, nombre y correo' }),
    ),
    active: Type.Optional(Type.Boolean()),
    role: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: DisplayName,
    email: Type.Optional(Email),
    dui: Type.Optional(Dui),
    password: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'contraseña inicial; se exige cambiarla',
    }),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    email: Type.Optional(Nullable(Email)),
    dui: Type.Optional(Nullable(Dui)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserUpdate = Static<typeof UserUpdate>;

const AssignmentReason = Type.String({
  minLength: 3,
  maxLength: 1000,
  pattern: '\\S',
  description: 'motivo (queda en la bitácora de auditoría)',
});

export const RoleAssign = Type.Object(
  {
    role: Type.String({ minLength: 1, maxLength: 64 }),
    scope: ScopeSchema,
    reason: Type.Optional(AssignmentReason),
  },
  { additionalProperties: false },
);
export type RoleAssign = Static<typeof RoleAssign>;

export const RoleScopeChange = Type.Object(
  { scope: ScopeSchema, reason: AssignmentReason },
  { additionalProperties: false },
);
export type RoleScopeChange = Static<typeof RoleScopeChange>;

export const AssignmentParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), assignmentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type AssignmentParams = Static<typeof AssignmentParams>;

export const RoleInfo = Type.Object({
  code: Type.String(),
  nameEs: Type.String(),
  nameEn: Type.String(),
  mfaRequired: Type.Boolean(),
  permissions: Type.Array(Type.String()),
});
export const RoleCatalogue = Type.Object({ items: Type.Array(RoleInfo) });
export type RoleCatalogue = Static<typeof RoleCatalogue>;
