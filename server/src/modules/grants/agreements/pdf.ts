import { createHash } from 'node:crypto';
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import { storeDocument } from '../shared/files.js';

/** A generated document (agreement summary, closing act): title, key/value rows, sections of text. */
export interface PdfSpec {
  title: string;
  subtitle?: string;
  rows: [string, string][];
  sections: { heading: string; lines: string[] }[];
  footer: string;
}

/** Standard fonts encode WinAnsi only: typographic signs outside it are spelled out. */
function winAnsi(text: string): string {
  return text
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/→/g, '->')
    .replace(/−/g, '-')
    .replace(/[^\u0020-\u007e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/g, '?');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of winAnsi(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/** Renders the spec as an A4-size PDF (several pages when needed). Deterministic for a given spec and date. */
export async function renderPdf(spec: PdfSpec, createdAt: Date): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(spec.title));
  doc.setProducer('Centinela');
  doc.setCreator('Centinela — fondos a ONG');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [W, H, M] = [595.28, 841.89, 50];
  let page = doc.addPage([W, H]);
  let y = H - M;
  const need = (h: number) => {
    if (y - h < M + 30) {
      page = doc.addPage([W, H]);
      y = H - M;
    }
  };
  const draw = (text: string, f: PDFFont, size: number, x = M, width = W - 2 * M) => {
    for (const line of wrap(text, f, size, width)) {
      need(size + 4);
      page.drawText(line, { x, y: y - size, size, font: f, color: rgb(0, 0, 0) });
      y -= size + 4;
    }
  };
  draw(spec.title, bold, 15);
  if (spec.subtitle) draw(spec.subtitle, font, 10);
  y -= 8;
  for (const [k, v] of spec.rows) {
    const top = y;
    draw(`${k}:`, bold, 10, M, 170);
    const afterKey = y;
    y = top;
    draw(v, font, 10, M + 175, W - 2 * M - 175);
    y = Math.min(y, afterKey);
  }
  for (const section of spec.sections) {
    y -= 8;
    draw(section.heading, bold, 11);
    for (const line of section.lines) draw(line, font, 10);
  }
  for (const p of doc.getPages()) {
    p.drawText(winAnsi(spec.footer), { x: M, y: M - 20, size: 8, font, color: rgb(0.3, 0.3, 0.3) });
  }
  return Buffer.from(await doc.save());
}

/** Stores a generated PDF content-addressed under the data directory; returns its hash and key. */
export async function storeGeneratedPdf(
  dataDir: string,
  bytes: Buffer,
  fileName: string,
): Promise<{ sha256: string; storageKey: string }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const storageKey = await storeDocument(dataDir, { bytes, mime: 'application/pdf', sha256, fileName });
  return { sha256, storageKey };
}
