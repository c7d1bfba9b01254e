import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { duiCheckDigit, isValidDui, normalizeDui } from './dui.js';
import { LOCKOUT_MAX_SECONDS, lockoutSeconds, secondsUntil } from './lockout.js';
import { passwordPolicyViolations } from './passwords.js';
import { scopeContains, scopeProblem } from './scopes.js';
import { decryptSecret, encryptSecret } from './secret-box.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

describe('DUI validator', () => {
  it('computes the check digit as (10 − Σ dᵢ·(9−i) mod 10) mod 10', () => {
    // 0·9+4·8+5·7+6·6+7·5+8·4+9·3+1·2 = 199 → 1
    expect(duiCheckDigit('04567891')).toBe(1);
    // 1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2 = 156 → 4
    expect(duiCheckDigit('12345678')).toBe(4);
    expect(duiCheckDigit('00000000')).toBe(0);
    // 5·4 + 5·2 = 30 → (10 − 0) mod 10 = 0: the outer mod 10 matters
    expect(duiCheckDigit('00000505')).toBe(0);
    expect(() => duiCheckDigit('1234567')).toThrow();
  });

  it.each([
    ['04567891-1', '04567891-1'],
    ['045678911', '04567891-1'],
    [' 12345678-4 ', '12345678-4'],
  ])('accepts %j as %j', (input, canonical) => {
    expect(normalizeDui(input)).toBe(canonical);
    expect(isValidDui(input)).toBe(true);
  });

  it.each(['04567891-2', '12345678-0', '1234567-8', '123456789-0', 'abcdefgh-1', '', '04567891_1'])(
    'rejects %j',
    (input) => {
      expect(normalizeDui(input)).toBeNull();
      expect(isValidDui(input)).toBe(false);
    },
  );

  it('accepts exactly one check digit for any eight digits', () => {
    for (let n = 0; n < 200; n += 1) {
      const body = String((n * 7_919_113) % 100_000_000).padStart(8, '0');
      const valid = [...Array(10).keys()].filter((d) => isValidDui(`${body}-${d}`));
      expect(valid).toEqual([duiCheckDigit(body)]);
    }
  });
});

describe('password policy', () => {
  it.each([
    ['Prueba#Segura2026', undefined, []],
    ['corta1A!', undefined, ['PASSWORD_TOO_SHORT']],
    ['solominusculasmuylargas', undefined, ['PASSWORD_TOO_SIMPLE']],
    ['Password1234', undefined, ['PASSWORD_TOO_COMMON']],
    ['Xx1!'.repeat(40), undefined, ['PASSWORD_TOO_LONG']],
    ['mi.usuario#2026X', 'mi.usuario', ['PASSWORD_CONTAINS_USERNAME']],
    ['abc', undefined, ['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_SIMPLE']],
  ])('%j (username %j) → %j', (password, username, expected) => {
    expect(passwordPolicyViolations(password, username)).toEqual(expected);
  });
});

describe('secret box (AES-256-GCM)', () => {
  const key = randomBytes(32).toString('hex');

  it('round-trips and never repeats a ciphertext', () => {
    const a = encryptSecret(key, 'JBSWY3DPEHPK3PXPJBSWY3DP', 'ctx:1');
    const b = encryptSecret(key, 'JBSWY3DPEHPK3PXPJBSWY3DP', 'ctx:1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DP');
    expect(decryptSecret(key, a, 'ctx:1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DP');
    expect(decryptSecret(key, b, 'ctx:1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DP');
  });

  it('refuses another context, another key, a tampered ciphertext and a bad key', () => {
    const sealed = encryptSecret(key, 'secreto', 'identity.mfa.totp:user-1');
    expect(() => decryptSecret(key, sealed, 'identity.mfa.totp:user-2')).toThrow();
    expect(() =>
      decryptSecret(randomBytes(32).toString('hex'), sealed, 'identity.mfa.totp:user-1'),
    ).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => decryptSecret(key, parts.join('.'), 'identity.mfa.totp:user-1')).toThrow();
    expect(() => decryptSecret(key, 'v2.a.b.c', 'x')).toThrow(/format/);
    expect(() => encryptSecret('abcd', 'x', 'y')).toThrow(/32 bytes/);
  });
});

describe('lockout back-off schedule', () => {
  it('locks after 5 failures for 1 minute, doubling up to 1 hour', () => {
    const schedule = Array.from({ length: 14 }, (_, i) => lockoutSeconds(i + 1));
    expect(schedule).toEqual([0, 0, 0, 0, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]);
    expect(lockoutSeconds(1_000)).toBe(LOCKOUT_MAX_SECONDS);
  });

  it('reports whole seconds left, at least one while locked', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    expect(secondsUntil(null, now)).toBe(0);
    expect(secondsUntil(new Date('2026-05-01T09:59:00Z'), now)).toBe(0);
    expect(secondsUntil(new Date('2026-05-01T10:00:00.200Z'), now)).toBe(1);
    expect(secondsUntil(new Date('2026-05-01T10:01:00Z'), now)).toBe(60);
  });
});

describe('scopes', () => {
  it.each([
    [{ level: 'national', code: null }, null],
    [{ level: 'national', code: 'SV-SS' }, 'SCOPE_CODE_NOT_ALLOWED'],
    [{ level: 'department', code: 'SV-SS' }, null],
    [{ level: 'department', code: 'SV-XX' }, 'SCOPE_DEPARTMENT_INVALID'],
    [{ level: 'department', code: null }, 'SCOPE_DEPARTMENT_INVALID'],
    [{ level: 'municipality', code: 'SV10001' }, null],
    [{ level: 'municipality', code: 'SV15001' }, 'SCOPE_MUNICIPALITY_INVALID'],
    [{ level: 'municipality', code: 'SV-SS' }, 'SCOPE_MUNICIPALITY_INVALID'],
    [{ level: 'unit', code: '7f1c9a52-3d4e-4b6f-8a9b-0c1d2e3f4a5b' }, null],
    [{ level: 'unit', code: 'PNC-911-SS' }, null],
    [{ level: 'unit', code: 'x' }, 'SCOPE_UNIT_INVALID'],
    [{ level: 'unit', code: 'con espacio' }, 'SCOPE_UNIT_INVALID'],
  ] as const)('%j → %j', (scope, problem) => {
    expect(scopeProblem(scope)).toBe(problem);
  });

  it('orders national ⊇ department ⊇ municipality', () => {
    const national = { level: 'national', code: null } as const;
    const sanSalvador = { level: 'department', code: 'SV-SS' } as const;
    const sanMiguel = { level: 'department', code: 'SV-SM' } as const;
    const ssCentro = { level: 'municipality', code: 'SV10001' } as const;
    const unit = { level: 'unit', code: 'PNC-911-SS' } as const;
    expect(scopeContains(national, unit)).toBe(true);
    expect(scopeContains(sanSalvador, ssCentro)).toBe(true);
    expect(scopeContains(sanMiguel, ssCentro)).toBe(false);
    expect(scopeContains(sanSalvador, sanSalvador)).toBe(true);
    expect(scopeContains(sanSalvador, national)).toBe(false);
    expect(scopeContains(ssCentro, sanSalvador)).toBe(false);
    expect(scopeContains(sanSalvador, unit)).toBe(false);
    expect(scopeContains(unit, unit)).toBe(true);
  });
});

describe('TOTP', () => {
  const secret = newTotpSecret();
  const at = new Date('2026-05-01T10:00:10Z');
  const epoch = Math.floor(at.getTime() / 1000);

  it('builds an otpauth URI for authenticator apps', () => {
    const uri = totpUri(secret, 'ana.admin');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Centinela%20MJSP:ana\.admin\?/);
    expect(uri).toContain(`secret=${secret}`);
  });

  it('accepts the current and adjacent steps once, and refuses replays and older steps', async () => {
    const now = await generate({ secret, epoch });
    const first = await checkTotp(secret, now, at, null);
    expect(first).toMatchObject({ ok: true });
    const step = (first as { step: number }).step;
    expect(await checkTotp(secret, now, at, step)).toEqual({ ok: false, reason: 'reused' });
    const previous = await generate({ secret, epoch: epoch - 30 });
    expect(await checkTotp(secret, previous, at, step)).toEqual({ ok: false, reason: 'reused' });
    const next = await generate({ secret, epoch: epoch + 30 });
    expect(await checkTotp(secret, next, at, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses wrong and out-of-window codes', async () => {
    const old = await generate({ secret, epoch: epoch - 120 });
    expect(await checkTotp(secret, old, at, null)).toEqual({ ok: false, reason: 'invalid' });
    const wrong = String((Number(await generate({ secret, epoch })) + 1) % 1_000_000).padStart(6, '0');
    expect((await checkTotp(secret, wrong, at, null)).ok).toBe(false);
    expect(await checkTotp(secret, '12a456', at, null)).toEqual({ ok: false, reason: 'invalid' });
  });
});
