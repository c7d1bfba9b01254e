import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id is an ambient const enum, not importable with verbatimModuleSyntax.
const ARGON2ID = 2;

// OWASP recommendation for argon2id: m=19 MiB, t=2, p=1.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('centinela-dummy-password-for-timing');
  return dummyHash;
}

const COMMON = new Set([
  'password1234',
  'contraseña123',
  'contrasena123',
  '123456789012',
  'qwertyuiop12',
  'centinela123',
  'administrador',
  'elsalvador123',
]);

/** Password policy: 12–128 characters, three of four character classes, not common, not the username. */
export function passwordPolicyViolations(password: string, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('PASSWORD_TOO_SHORT');
  if (password.length > 128) problems.push('PASSWORD_TOO_LONG');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push('PASSWORD_TOO_SIMPLE');
  if (COMMON.has(password.toLowerCase())) problems.push('PASSWORD_TOO_COMMON');
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    problems.push('PASSWORD_CONTAINS_USERNAME');
  return problems;
}
