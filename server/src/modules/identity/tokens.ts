import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export type TokenType = 'access' | 'mfa';

export interface TokenClaims {
  sub: string;
  sid?: string;
  typ: TokenType;
}

const ISSUER = 'centinela';

export function createTokenSigner(secret: string) {
  // A KeyObject, not raw bytes: jose would import raw bytes into WebCrypto on every verification.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    async sign(claims: TokenClaims, ttlSeconds: number, now: Date): Promise<string> {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({ sid: claims.sid, typ: claims.typ })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(key);
    },
    async verify(token: string, now: Date): Promise<TokenClaims | null> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: now,
        });
        if (typeof payload.sub !== 'string' || (payload.typ !== 'access' && payload.typ !== 'mfa'))
          return null;
        return { sub: payload.sub, sid: payload.sid as string | undefined, typ: payload.typ };
      } catch {
        return null;
      }
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;

/** Opaque random secret (refresh tokens, API keys); only its SHA-256 is stored. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
