import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../platform/http/errors.js';
import type { DocumentMime } from '../grants.tables.js';

/** Documents of NGOs and plans: PDF, JPEG or PNG, at most 10 MB each. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Base64 of MAX_DOCUMENT_BYTES plus room for a `data:` prefix. */
export const MAX_DOCUMENT_BASE64_CHARS = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 1_000;
/** Route body limit for one document in JSON with its metadata. */
export const DOCUMENT_BODY_LIMIT = MAX_DOCUMENT_BASE64_CHARS + 64 * 1024;

const EXTENSIONS: Record<DocumentMime, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

export interface VerifiedDocument {
  bytes: Buffer;
  mime: DocumentMime;
  sha256: string;
  fileName: string;
}

/** The type the first bytes say (never the name or the declared type). */
export function detectDocumentMime(bytes: Buffer): DocumentMime | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  return null;
}

function safeFileName(name: string | undefined, mime: DocumentMime): string {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strip control characters from names
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .trim()
    .slice(0, 200);
  return base && base !== '.' && base !== '..' ? base : `documento.${EXTENSIONS[mime]}`;
}

/**
 * Decodes a base64 document (optionally a `data:` URL) and checks it: not empty, at most 10 MB,
 * a PDF, JPEG or PNG by its content, matching the declared type when one is given.
 */
export function decodeDocument(input: {
  data: string;
  fileName?: string | undefined;
  mime?: string | undefined;
}) {
  let data = input.data.trim();
  let declared = input.mime;
  const dataUrl = /^data:([\w/+.-]+);base64,/i.exec(data);
  if (dataUrl) {
    declared ??= dataUrl[1];
    data = data.slice(dataUrl[0].length);
  }
  data = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0)
    throw new AppError('DOCUMENT_NOT_BASE64', 400);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0) throw new AppError('DOCUMENT_EMPTY', 400);
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new AppError('DOCUMENT_TOO_LARGE', 413, { maxMb: 10 });
  const mime = detectDocumentMime(bytes);
  if (!mime) throw new AppError('DOCUMENT_TYPE_UNSUPPORTED', 415);
  const normalizedDeclared = declared?.trim().toLowerCase().replace('image/jpg', 'image/jpeg');
  if (normalizedDeclared && normalizedDeclared !== mime) {
    throw new AppError('DOCUMENT_TYPE_MISMATCH', 400, { declared: declared!, detected: mime });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes, mime, sha256, fileName: safeFileName(input.fileName, mime) } satisfies VerifiedDocument;
}

export function documentStorageKey(sha256: string): string {
  return `grants/documents/${sha256}`;
}

/**
 * Writes the file under `<dataDir>/grants/documents/<sha256>` (content-addressed) through a temporary
 * name and a rename. Called before the transaction that records it: a rollback leaves at most an
 * unreferenced file, never a row without its file.
 */
export async function storeDocument(dataDir: string, doc: VerifiedDocument): Promise<string> {
  const key = documentStorageKey(doc.sha256);
  const target = path.join(dataDir, key);
  await mkdir(path.dirname(target), { recursive: true });
  const existing = await stat(target).catch(() => null);
  if (existing?.size === doc.bytes.length) return key;
  const temporary = `${target}.${randomUUID()}.tmp`;
  await writeFile(temporary, doc.bytes, { mode: 0o640 });
  await rename(temporary, target);
  return key;
}

/** Reads a stored document back, checking that its content still has the recorded SHA-256. */
export async function readDocument(dataDir: string, storageKey: string, sha256: string): Promise<Buffer> {
  const bytes = await readFile(path.join(dataDir, storageKey)).catch(() => null);
  if (!bytes) throw new AppError('DOCUMENT_FILE_MISSING', 410);
  if (createHash('sha256').update(bytes).digest('hex') !== sha256)
    throw new AppError('DOCUMENT_FILE_ALTERED', 409);
  return bytes;
}
