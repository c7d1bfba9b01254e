import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for small secrets at rest (TOTP secrets). The key is config.dataEncryptionKey
 * (64 hex characters). `context` is bound as additional authenticated data, so a ciphertext copied
 * to another row (another user) does not decrypt. Format: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
const VERSION = 'v1';

function keyFrom(hexKey: string): Buffer {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32 || !/^[0-9a-fA-F]{64}$/.test(hexKey)) {
    throw new Error('data encryption key must be 32 bytes in hex (64 characters)');
  }
  return key;
}

export function encryptSecret(hexKey: string, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(hexKey), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Throws when the ciphertext was altered, or the key or context differ. */
export function decryptSecret(hexKey: string, sealed: string, context: string): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length > 0) {
    throw new Error('unrecognised encrypted secret format');
  }
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(hexKey), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}
