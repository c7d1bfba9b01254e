import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for notification parameters that must not rest in clear (a tracking secret sent once
 * by SMS). Key: config.dataEncryptionKey (64 hex). The notification id is bound as additional data,
 * so a sealed value copied to another row does not open. Format `v1.<iv>.<tag>.<ciphertext>`.
 */
function keyOf(hexKey: string): Buffer {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32) throw new Error('data encryption key must be 32 bytes in hex');
  return key;
}

export function sealParams(hexKey: string, params: Record<string, string>, notificationId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(hexKey), iv);
  cipher.setAAD(Buffer.from(notificationId, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(params), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openParams(hexKey: string, sealed: string, notificationId: string): Record<string, string> {
  const [version, iv, tag, body, ...rest] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined || rest.length > 0) {
    throw new Error('unrecognised sealed notification parameters');
  }
  const decipher = createDecipheriv('aes-256-gcm', keyOf(hexKey), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(notificationId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as Record<string, string>;
}
