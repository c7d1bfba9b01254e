import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { stripImageMetadata } from './strip-metadata.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 3;
/** Base64 of MAX_PHOTO_BYTES, plus room for a `data:` prefix and line breaks. */
export const MAX_PHOTO_BASE64_CHARS = Math.ceil(MAX_PHOTO_BYTES / 3) * 4 + 1_000;
/** Route body limit for JSON with up to MAX_PHOTOS photos and text. */
export const PHOTO_BODY_LIMIT = MAX_PHOTOS * MAX_PHOTO_BASE64_CHARS + 256 * 1024;

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';
const EXTENSIONS: Record<ImageMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export interface PhotoInput {
  /** Base64 (optionally a `data:image/...;base64,` URL). */
  data: string;
  fileName?: string | undefined;
  mime?: string | undefined;
}

/** A verified image, ready to be stored. */
export interface VerifiedFile {
  bytes: Buffer;
  mime: ImageMime;
  sha256: string;
  fileName: string;
}

/** The type the file's first bytes say it is (never the name or the declared type). */
export function detectImageMime(bytes: Buffer): ImageMime | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

function safeFileName(name: string | undefined, fallback: string, mime: ImageMime): string {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strip control characters from names
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .trim()
    .slice(0, 200);
  return base && base !== '.' && base !== '..' ? base : `${fallback}.${EXTENSIONS[mime]}`;
}

/** Checks size and type of raw bytes (from base64 or a download). `index` is 1-based, for messages. */
export function verifyImage(
  bytes: Buffer,
  index: number,
  declared: string | undefined,
  fileName: string | undefined,
  options: MetadataOption = {},
): VerifiedFile {
  if (bytes.length === 0) throw new AppError('PHOTO_EMPTY', 400, { index });
  if (bytes.length > MAX_PHOTO_BYTES) throw new AppError('PHOTO_TOO_LARGE', 413, { index, maxMb: 5 });
  const mime = detectImageMime(bytes);
  if (!mime) throw new AppError('PHOTO_TYPE_UNSUPPORTED', 400, { index });
  const normalizedDeclared = declared?.trim().toLowerCase().replace('image/jpg', 'image/jpeg');
  if (normalizedDeclared && normalizedDeclared !== mime) {
    throw new AppError('PHOTO_TYPE_MISMATCH', 400, { index, declared: declared!, detected: mime });
  }
  // Citizens' photos lose their EXIF/XMP (GPS position, device); field evidence keeps it as taken.
  const stored = options.keepMetadata ? bytes : stripImageMetadata(bytes, mime, index);
  const sha256 = createHash('sha256').update(stored).digest('hex');
  return { bytes: stored, mime, sha256, fileName: safeFileName(fileName, `foto-${index}`, mime) };
}

export interface MetadataOption {
  /** Keep the file exactly as received (evidence whose hash must match the original). */
  keepMetadata?: boolean;
}

/** Decodes and verifies base64 photos: at most MAX_PHOTOS, each a JPEG, PNG or WebP up to 5 MB. */
export function decodePhotos(photos: PhotoInput[] | undefined, options: MetadataOption = {}): VerifiedFile[] {
  if (!photos || photos.length === 0) return [];
  if (photos.length > MAX_PHOTOS) throw new AppError('TOO_MANY_PHOTOS', 400, { max: MAX_PHOTOS });
  return photos.map((photo, i) => {
    const index = i + 1;
    let data = photo.data.trim();
    let declared = photo.mime;
    const dataUrl = /^data:([\w/+.-]+);base64,/i.exec(data);
    if (dataUrl) {
      declared ??= dataUrl[1];
      data = data.slice(dataUrl[0].length);
    }
    data = data.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) {
      throw new AppError('PHOTO_NOT_BASE64', 400, { index });
    }
    return verifyImage(Buffer.from(data, 'base64'), index, declared, photo.fileName, options);
  });
}

export function storageKeyOf(sha256: string): string {
  return `attachments/${sha256}`;
}

/**
 * Writes files under `<dataDir>/attachments/<sha256>` (content-addressed: the same photo sent twice
 * is stored once). Written to a temporary name and renamed, so a reader never sees half a file.
 * Called before the transaction that records them: a rollback leaves at most an unreferenced file.
 */
export async function storeFiles(dataDir: string, files: VerifiedFile[]): Promise<void> {
  if (files.length === 0) return;
  const dir = path.join(dataDir, 'attachments');
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    const target = path.join(dataDir, storageKeyOf(file.sha256));
    const existing = await stat(target).catch(() => null);
    if (existing?.size === file.bytes.length) continue;
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, file.bytes, { mode: 0o640 });
    await rename(temporary, target);
  }
}

/** One append-only row per file, attributed to the unit of work's actor. */
export async function insertAttachments(
  uow: UnitOfWork,
  incidentId: string,
  files: VerifiedFile[],
  options: { source: string; lon?: number | null; lat?: number | null },
): Promise<{ id: string; sha256: string }[]> {
  if (files.length === 0) return [];
  const rows = files.map((file) => ({
    id: randomUUID(),
    incident_id: incidentId,
    sha256: file.sha256,
    mime: file.mime,
    size_bytes: file.bytes.length,
    file_name: file.fileName,
    storage_key: storageKeyOf(file.sha256),
    source: options.source,
    uploaded_by_type: uow.ctx.actor.type,
    uploaded_by: uow.ctx.actor.id,
    uploaded_at: uow.now,
    lon: options.lon ?? null,
    lat: options.lon != null && options.lat != null ? options.lat : null,
  }));
  // Keep lon/lat paired (the table checks it).
  for (const row of rows) if (row.lat === null) row.lon = null;
  await uow.db.insertInto('incident_attachments').values(rows).execute();
  return rows.map((r) => ({ id: r.id, sha256: r.sha256 }));
}
