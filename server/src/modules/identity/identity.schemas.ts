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

export const MfaChallenge = Type.Object({
  status: Type.Union([Type.Literal('mfa_required'), Type.Literal('mfa_enrollment_required')]),
  mfaToken: Type.String({
    description: 'token de corta duración; envíelo como Bearer a /auth/mfa/enroll y /auth/mfa/verify',
  }),
  expiresIn: Type.Integer({ description: 'segundos de validez del token MFA' }),
});
export type MfaChallenge = Static<typeof MfaChallenge>;

export const LoginResponse = Type.Union([TokenPair, MfaChallenge]);
export type LoginResponse = Static<typeof LoginResponse>;

export const RefreshRequest = Type.Object(
  { refreshToken: Type.String({ minLength: 16, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshRequest = Static<typeof RefreshRequest>;

export const MfaEnrollment = Type.Object({
  otpauthUri: Type.String({ description: 'URI otpauth:// para la aplicación autenticadora' }),
  secret: Type.String({ description: 'secreto base32 (para ingresarlo a mano)' }),
  issuer: Type.String(),
  account: Type.String(),
  digits: Type.Integer(),
  period: Type.Integer(),
});
export type MfaEnrollment = Static<typeof MfaEnrollment>;

export const MfaVerifyRequest = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$', description: 'código TOTP de 6 dígitos' }) },
  { additionalProperties: false },
);
export type MfaVerifyRequest = Static<typeof MfaVerifyRequest>;

export const PasswordChangeRequest = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type PasswordChangeRequest = Static<typeof PasswordChangeRequest>;

export const PasswordChanged = Type.Object({
  status: Type.Literal('ok'),
  revokedSessions: Type.Integer({ description: 'otras sesiones cerradas' }),
});

export const ScopeSchema = Type.Object(
  {
    level: Type.Union([
      Type.Literal('national'),
      Type.Literal('department'),
      Type.Literal('municipality'),
      Type.Literal('unit'),
    ]),
    // Null first: with type coercion on, a string branch first would turn null into "".
    code: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 64 })], {
      description:
        'null (nacional), código ISO de departamento (SV-SS), pcode de municipio (SV10001) o unidad',
    }),
  },
  { additionalProperties: false },
);
export type ScopeInput = Static<typeof ScopeSchema>;

export const Me = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), scope: ScopeSchema })),
  permissions: Type.Array(Type.String()),
  mfaEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const Session = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  mfaVerified: Type.Boolean(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});
export type Session = Static<typeof Session>;

export const SessionList = Type.Object({ items: Type.Array(Session) });

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

export const OptionalReason = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 3, maxLength: 500, pattern: '\\S' })) },
  { additionalProperties: false },
);
export type OptionalReason = Static<typeof OptionalReason>;

export const RequiredReason = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type RequiredReason = Static<typeof RequiredReason>;

export const DeactivateUserBody = Type.Object(
  {
    reason: Type.String({ minLength: 3, maxLength: 500, pattern: '\\S' }),
    revokeApiKeys: Type.Boolean({
      default: false,
      description:
        'Revocar también las claves de API que el usuario emitió (dispositivos e integraciones quedan sin acceso)',
    }),
  },
  { additionalProperties: false },
);

export const Done = Type.Object({ status: Type.Literal('ok') });
