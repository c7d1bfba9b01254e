import { uuid } from './uuid';

/**
 * Photos taken on a phone are several megabytes; the field app and the citizen portal send them as
 * base64 JSON, so they are first drawn into a canvas no larger than `maxSide` pixels and re-encoded as
 * JPEG. The browser applies the EXIF orientation when decoding, so the result is upright.
 */
export const MAX_PHOTO_SIDE = 1600;
const JPEG_QUALITY = 0.82;

export interface PreparedPhoto {
  /** Random id (list keys, removal). */
  id: string;
  /** Base64 of the JPEG bytes (no `data:` prefix). */
  data: string;
  mime: 'image/jpeg';
  fileName: string;
  width: number;
  height: number;
  /** Approximate size of the encoded file in bytes. */
  bytes: number;
}

/** Width and height scaled down (never up) so the longer side is at most `maxSide`. */
export function fitWithin(width: number, height: number, maxSide = MAX_PHOTO_SIDE): [number, number] {
  const longest = Math.max(width, height);
  if (longest <= maxSide || longest === 0) return [width, height];
  const scale = maxSide / longest;
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

async function decode(
  file: Blob,
): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
    } catch {
      // fall back to an <img> (older engines, some formats)
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => {} };
  } finally {
    URL.revokeObjectURL(url);
  }
}

function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('canvas.toBlob returned nothing'))),
      'image/jpeg',
      JPEG_QUALITY,
    );
  });
}

export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
    reader.readAsDataURL(blob);
  });
}

function jpegName(name: string): string {
  const base =
    name
      .replace(/\.[^.]*$/, '')
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 80) || 'foto';
  return `${base}.jpg`;
}

/** Decodes an image file and returns it as a JPEG no larger than `maxSide` on its longer side. */
export async function preparePhoto(file: File, maxSide = MAX_PHOTO_SIDE): Promise<PreparedPhoto> {
  const image = await decode(file);
  try {
    const [width, height] = fitWithin(image.width, image.height, maxSide);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('2D canvas unavailable');
    // JPEG has no transparency: paint white under transparent PNGs instead of black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image.source, 0, 0, width, height);
    const blob = await toBlob(canvas);
    return {
      id: uuid(),
      data: await blobToBase64(blob),
      mime: 'image/jpeg',
      fileName: jpegName(file.name),
      width,
      height,
      bytes: blob.size,
    };
  } finally {
    image.close();
  }
}

/** `data:` URL of a prepared photo, for a preview <img> (allowed by the app's CSP). */
export function photoDataUrl(photo: Pick<PreparedPhoto, 'data' | 'mime'>): string {
  return `data:${photo.mime};base64,${photo.data}`;
}
