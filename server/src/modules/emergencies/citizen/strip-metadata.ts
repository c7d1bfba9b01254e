import { AppError } from '../../../platform/http/errors.js';
import type { ImageMime } from './attachments.js';

/**
 * Removes the metadata a phone camera writes into a photo (EXIF with the GPS position, the device
 * and the time; XMP; IPTC; text comments) and keeps the pixels, so a citizen's photo — above all an
 * anonymous report's — does not reveal where they stood or which phone they own. Colour profiles
 * stay. A file whose structure cannot be walked is refused rather than stored with its metadata.
 */
export function stripImageMetadata(bytes: Buffer, mime: ImageMime, index: number): Buffer {
  const stripped =
    mime === 'image/jpeg' ? stripJpeg(bytes) : mime === 'image/png' ? stripPng(bytes) : stripWebp(bytes);
  if (!stripped) throw new AppError('PHOTO_MALFORMED', 400, { index });
  return stripped;
}

/** JPEG segments dropped: APP1 (EXIF, XMP), APP13 (IPTC), COM (comments). */
const JPEG_DROPPED = new Set([0xe1, 0xed, 0xfe]);

function stripJpeg(bytes: Buffer): Buffer | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 2 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      kept.push(bytes.subarray(at, at + 2)); // end of image (a file with no scan)
      return Buffer.concat(kept);
    }
    if (marker === 0xda) {
      kept.push(bytes.subarray(at)); // start of scan: the compressed image follows to the end
      return Buffer.concat(kept);
    }
    if (at + 4 > bytes.length) return null;
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return null;
    if (!JPEG_DROPPED.has(marker)) kept.push(bytes.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG chunks dropped: EXIF, text (tEXt, zTXt, iTXt: XMP lives there) and the modification time. */
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function stripPng(bytes: Buffer): Buffer | null {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  const kept: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > bytes.length) return null;
    if (!PNG_DROPPED.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') return Buffer.concat(kept);
  }
  return null;
}

/** WebP (RIFF) chunks dropped: EXIF and XMP; the VP8X header's flags for them are cleared. */
function stripWebp(bytes: Buffer): Buffer | null {
  if (
    bytes.length < 12 ||
    bytes.toString('latin1', 0, 4) !== 'RIFF' ||
    bytes.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    return null;
  }
  const kept: Buffer[] = [];
  let at = 12;
  while (at + 8 <= bytes.length) {
    const type = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const end = at + 8 + size + (size % 2); // chunks are padded to an even size
    if (at + 8 + size > bytes.length) return null;
    if (type === 'VP8X') {
      const chunk = Buffer.from(bytes.subarray(at, Math.min(end, bytes.length)));
      chunk[8] = chunk[8]! & ~0x0c; // EXIF (0x08) and XMP (0x04) flags
      kept.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') {
      kept.push(bytes.subarray(at, Math.min(end, bytes.length)));
    }
    at = end;
  }
  const body = Buffer.concat(kept);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}
