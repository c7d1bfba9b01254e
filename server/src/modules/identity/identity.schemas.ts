import { type Static, Type } from '@sinclair/typebox';

export const LoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const TokenPair = Type.Object({
  status: Type.Literal('ok'),
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer({ description: 'segundos de validez del token de acceso' }),
  mustChangePassword: Type.Boolean(),
});
export type TokenPair = Static<typeof TokenPair>;

export const ScopeSchema = Type.Object({
  level: Type.Union([
    Type.Literal('national'),
    Type.Literal('department'),
    Type.Literal('municipality'),
    Type.Literal('unit'),
  ]),
  code: Type.Union([Type.String(), Type.Null()]),
});

export const Me = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), scope: ScopeSchema })),
  permissions: Type.Array(Type.String()),
  mfaEnabled: Type.Boolean(),
});
export type Me = Static<typeof Me>;
