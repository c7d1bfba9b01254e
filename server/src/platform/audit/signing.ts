import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Ed25519 keys for signed tree heads. The configured secret is a 32-byte seed in base64url; the
 * key id is the first 16 hex digits of SHA-256 of the raw 32-byte public key.
 */
export interface AuditSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  publicKeyRaw: Buffer;
}

export interface AuditVerifyingKey {
  keyId: string;
  publicKey: KeyObject;
  publicKeyRaw: Buffer;
}

// DER prefixes of an Ed25519 PKCS#8 private key (RFC 8410) and of its SubjectPublicKeyInfo.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class AuditKeyError extends Error {}

export function keyIdOf(publicKeyRaw: Buffer): string {
  return createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 16);
}

export function loadAuditSigningKey(seedBase64url: string): AuditSigningKey {
  const seed = /^[A-Za-z0-9_-]+={0,2}$/.test(seedBase64url) ? Buffer.from(seedBase64url, 'base64url') : null;
  if (seed?.length !== 32) {
    throw new AuditKeyError(
      'AUDIT_SIGNING_KEY no es válida: debe ser una semilla Ed25519 de 32 bytes codificada en base64url (43 caracteres).',
    );
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  const publicKeyRaw = Buffer.from(jwk.x ?? '', 'base64url');
  return { keyId: keyIdOf(publicKeyRaw), privateKey, publicKey, publicKeyRaw };
}

/** A verifying key from a raw 32-byte public key (e.g. published on the transparency page). */
export function verifyingKeyFromRaw(publicKeyRaw: Buffer): AuditVerifyingKey {
  if (publicKeyRaw.length !== 32) throw new AuditKeyError('La clave pública Ed25519 debe tener 32 bytes.');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, publicKeyRaw]),
    format: 'der',
    type: 'spki',
  });
  return { keyId: keyIdOf(publicKeyRaw), publicKey, publicKeyRaw };
}

export interface TreeHeadFields {
  treeSize: number;
  /** Lowercase hex of the 32-byte root hash. */
  rootHash: string;
  signedAt: Date;
}

export const TREE_HEAD_FORMAT = 'centinela.sth.v1';

/**
 * The exact bytes that are signed: four lines of ASCII, each ending in a newline:
 *   centinela.sth.v1
 *   <tree size in decimal>
 *   <root hash, 64 lowercase hex digits>
 *   <timestamp: milliseconds since 1970-01-01T00:00:00Z in decimal>
 */
export function treeHeadMessage(head: TreeHeadFields): Buffer {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0)
    throw new RangeError(`tamaño de árbol inválido: ${head.treeSize}`);
  if (!/^[0-9a-f]{64}$/.test(head.rootHash))
    throw new RangeError('el hash raíz debe ser hexadecimal de 32 bytes');
  const ms = head.signedAt.getTime();
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('marca de tiempo inválida');
  return Buffer.from(`${TREE_HEAD_FORMAT}\n${head.treeSize}\n${head.rootHash}\n${ms}\n`, 'ascii');
}

/** Base64 Ed25519 signature of the tree head message. */
export function signTreeHeadFields(key: AuditSigningKey, head: TreeHeadFields): string {
  return sign(null, treeHeadMessage(head), key.privateKey).toString('base64');
}

export function verifyTreeHeadSignature(
  key: Pick<AuditVerifyingKey, 'publicKey'>,
  head: TreeHeadFields,
  signatureBase64: string,
): boolean {
  try {
    const signature = Buffer.from(signatureBase64, 'base64');
    if (signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
    return verify(null, treeHeadMessage(head), key.publicKey, signature);
  } catch {
    return false;
  }
}
