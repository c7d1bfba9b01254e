import { describe, expect, it } from 'vitest';
import { decodePhotos } from './attachments.js';
import { stripImageMetadata } from './strip-metadata.js';

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

const JFIF = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'));
const EXIF_GPS = segment(0xe1, Buffer.from('Exif\0\0GPSLatitude 13.6989 GPSLongitude -89.1907', 'latin1'));
const COMMENT = segment(0xfe, Buffer.from('Samsung SM-A546E', 'latin1'));
const ICC = segment(0xe2, Buffer.from('ICC_PROFILE\0colour', 'latin1'));
const SCAN = Buffer.concat([
  segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
  Buffer.from([0x12, 0x34, 0xff, 0xd9]),
]);

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, data, Buffer.alloc(4)]); // CRC not checked here
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}
function webp(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}

describe('stripImageMetadata', () => {
  it('drops EXIF (GPS), comments and IPTC from a JPEG and keeps the colour profile and the scan', () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8]), JFIF, EXIF_GPS, COMMENT, ICC, SCAN]);
    const clean = stripImageMetadata(photo, 'image/jpeg', 1);
    expect(clean).toEqual(Buffer.concat([Buffer.from([0xff, 0xd8]), JFIF, ICC, SCAN]));
    expect(clean.toString('latin1')).not.toContain('GPS');
    expect(clean.toString('latin1')).not.toContain('Samsung');
  });

  it('drops eXIf and text chunks from a PNG and stops at IEND', () => {
    const ihdr = pngChunk('IHDR', Buffer.alloc(13, 1));
    const idat = pngChunk('IDAT', Buffer.from([1, 2, 3]));
    const iend = pngChunk('IEND', Buffer.alloc(0));
    const photo = Buffer.concat([
      PNG_SIGNATURE,
      ihdr,
      pngChunk('eXIf', Buffer.from('MM\0*GPS', 'latin1')),
      pngChunk('tEXt', Buffer.from('Author\0Juan', 'latin1')),
      idat,
      iend,
    ]);
    expect(stripImageMetadata(photo, 'image/png', 1)).toEqual(
      Buffer.concat([PNG_SIGNATURE, ihdr, idat, iend]),
    );
  });

  it('drops EXIF and XMP chunks from a WebP, clears their flags and fixes the RIFF size', () => {
    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x08 | 0x04 | 0x10; // EXIF, XMP and alpha flags
    const image = riffChunk('VP8L', Buffer.from([1, 2, 3, 4, 5]));
    const photo = webp(
      riffChunk('VP8X', vp8x),
      image,
      riffChunk('EXIF', Buffer.from('GPS', 'latin1')),
      riffChunk('XMP ', Buffer.from('<x/>', 'latin1')),
    );
    const clean = stripImageMetadata(photo, 'image/webp', 1);
    const cleanedFlags = Buffer.from(vp8x);
    cleanedFlags[0] = 0x10;
    expect(clean).toEqual(webp(riffChunk('VP8X', cleanedFlags), image));
    expect(clean.readUInt32LE(4)).toBe(clean.length - 8);
  });

  it('refuses a file whose structure cannot be walked (PHOTO_MALFORMED)', () => {
    const truncated = Buffer.concat([Buffer.from([0xff, 0xd8]), EXIF_GPS.subarray(0, 10)]);
    expect(() => stripImageMetadata(truncated, 'image/jpeg', 2)).toThrow(
      expect.objectContaining({ code: 'PHOTO_MALFORMED', status: 400 }),
    );
    expect(() =>
      stripImageMetadata(Buffer.concat([PNG_SIGNATURE, Buffer.alloc(5)]), 'image/png', 1),
    ).toThrow();
  });

  it('is applied to citizens’ photos (hash of the clean file) and not to field evidence', () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8]), JFIF, EXIF_GPS, SCAN]);
    const [citizen] = decodePhotos([{ data: photo.toString('base64'), mime: 'image/jpeg' }]);
    expect(citizen!.bytes.toString('latin1')).not.toContain('GPS');
    expect(citizen!.bytes.length).toBe(photo.length - EXIF_GPS.length);
    const [evidence] = decodePhotos([{ data: photo.toString('base64') }], { keepMetadata: true });
    expect(evidence!.bytes).toEqual(photo);
  });
});
