import { safeText, type XlsxColumn, type XlsxKind, type XlsxTable } from '../../../platform/xlsx.js';

/**
 * KPI tables as files: CSV (UTF-8 with BOM so that Excel reads accents right, CRLF, RFC 4180
 * quoting) and XLSX (exceljs). Headers are in Spanish. Numbers stay numbers; instants are UTC.
 */
export type CellKind = XlsxKind;
export type ExportColumn<R> = XlsxColumn<R>;
/** File name without extension (e.g. `kpi-volumenes_2026-01-01_2026-01-31`), sheet, rows, parameters. */
export type ExportTable<R> = XlsxTable<R>;

const BOM = '\uFEFF';

function csvCell(value: string | number | boolean | null | undefined, kind: CellKind): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (kind === 'boolean') text = value ? 'Sí' : 'No';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else text = kind === 'text' ? safeText(String(value)) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<R>(table: ExportTable<R>): Buffer {
  const lines = [table.columns.map((c) => csvCell(c.header, 'text')).join(',')];
  for (const row of table.rows) {
    lines.push(table.columns.map((c) => csvCell(c.value(row), c.kind)).join(','));
  }
  return Buffer.from(`${BOM}${lines.join('\r\n')}\r\n`, 'utf8');
}

export { toXlsx } from '../../../platform/xlsx.js';

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
