import type { ReactNode } from 'react';
import { type ApiError, apiErrorFrom, authFetch } from '../../api';
import { newIdempotencyKey } from '../../features/incidents/idempotency';
import { formatUsd, useI18n } from '../../i18n';
import { Alert, Button, useAction } from '../../ui';

/** Mount path of the back-office / portal surface (links are absolute). */
export const BASE = '/fondos';

/** Amount in US dollars from integer cents. */
export function Money({ cents }: { cents: number | null | undefined }) {
  if (cents === null || cents === undefined) return <span className="muted">—</span>;
  return <span className="gr-money">{formatUsd(cents)}</span>;
}

/** "1234.56" (dollars typed by a person) → 123456 cents; null when not a valid amount. */
export function dollarsToCents(text: string): number | null {
  const clean = text.trim().replace(/[$\s,]/g, '');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(clean)) return null;
  const [whole, fraction = ''] = clean.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** A status chip with its translated label (gr.status.<value>, falling back to the raw value). */
export function StatusChip({ status, prefix = 'gr.status' }: { status: string; prefix?: string }) {
  const { t } = useI18n();
  const key = `${prefix}.${status}`;
  const label = t(key);
  return <span className={`gr-chip gr-chip--${status}`}>{label === key ? status : label}</span>;
}

/** The server's message and, for VALIDATION_FAILED, each field's message. */
export function ServerError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const details = Array.isArray(error.details)
    ? (error.details as { field?: unknown; message?: unknown }[]).filter((d) => typeof d.message === 'string')
    : [];
  return (
    <Alert tone="error">
      <span>{error.message}</span>
      {details.length > 0 ? (
        <ul className="gr-error-list">
          {details.map((d) => (
            <li key={`${String(d.field)}-${String(d.message)}`}>
              {typeof d.field === 'string' && d.field ? `${d.field.replace(/^\//, '')}: ` : ''}
              {String(d.message)}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

export function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="gr-section" aria-labelledby={id}>
      <div className="gr-section__head">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="row">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

/** Label / value pairs. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="gr-facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A file read as base64 (without the data: prefix) with its name and type. */
export interface PickedFile {
  data: string;
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

export async function readFile(file: File): Promise<PickedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return { data: btoa(binary), fileName: file.name, mime: file.type || 'application/octet-stream', bytes };
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/**
 * SHA-256 in hexadecimal, in plain JavaScript: crypto.subtle only exists in secure contexts, and the
 * back office may be served over plain HTTP on the intranet.
 */
export function sha256Hex(message: Uint8Array): string {
  const length = message.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(message);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15] as number;
      const b = w[i - 2] as number;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as number[];
    for (let i = 0; i < 64; i++) {
      const s1 = rotr(e as number, 6) ^ rotr(e as number, 11) ^ rotr(e as number, 25);
      const ch = ((e as number) & (f as number)) ^ (~(e as number) & (g as number));
      const t1 = ((hh as number) + s1 + ch + (K[i] as number) + (w[i] as number)) >>> 0;
      const s0 = rotr(a as number, 2) ^ rotr(a as number, 13) ^ rotr(a as number, 22);
      const maj =
        ((a as number) & (b as number)) ^ ((a as number) & (c as number)) ^ ((b as number) & (c as number));
      const t2 = (s0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = ((d as number) + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    const next = [a, b, c, d, e, f, g, hh] as number[];
    for (let i = 0; i < 8; i++) h[i] = ((h[i] as number) + (next[i] as number)) >>> 0;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, '0')).join('');
}

/** Fetches a protected file (PDF, photo, receipt) with the session's token and opens or saves it. */
export async function openProtectedFile(path: string, fileName: string): Promise<void> {
  const response = await authFetch(new Request(path));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw apiErrorFrom(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh Idempotency-Key header for one submission. */
export function idem(): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': newIdempotencyKey('fondos') };
}

/** Today in El Salvador, YYYY-MM-DD. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/El_Salvador' }).format(new Date());
}

/** Downloads a back-office list as XLSX (`format=xlsx` on the list's route) with the session's token. */
export function XlsxButton({ path, fileName, label }: { path: string; fileName: string; label: string }) {
  const download = useAction(() =>
    openProtectedFile(`${path}${path.includes('?') ? '&' : '?'}format=xlsx`, fileName),
  );
  return (
    <>
      <Button variant="secondary" busy={download.busy} onClick={() => void download.run()}>
        {label}
      </Button>
      {download.error ? <ServerError error={download.error} /> : null}
    </>
  );
}
