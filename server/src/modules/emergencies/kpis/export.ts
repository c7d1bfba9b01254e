import ExcelJS from 'exceljs';

/**
 * KPI tables as files: CSV (UTF-8 with BOM so that Excel reads accents right, CRLF, RFC 4180
 * quoting) and XLSX (exceljs). Headers are in Spanish. Numbers stay numbers; instants are UTC.
 */
export type CellKind = 'text' | 'integer' | 'decimal' | 'datetime' | 'boolean';

export interface ExportColumn<R> {
  header: string;
  kind: CellKind;
  value: (row: R) => string | number | boolean | null | undefined;
  width?: number;
}

export interface ExportTable<R> {
  /** File name without extension, e.g. `kpi-volumenes_2026-01-01_2026-01-31`. */
  fileName: string;
  /** Sheet name (Excel allows 31 characters). */
  sheet: string;
  columns: ExportColumn<R>[];
  rows: R[];
  /** Parameters of the report, shown on a second sheet of the XLSX. */
  parameters: [string, string][];
}

const BOM = '\uFEFF';

/** A text starting like a formula is neutralised so that a spreadsheet never evaluates it. */
function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

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

const NUMBER_FORMAT: Partial<Record<CellKind, string>> = {
  integer: '#,##0',
  decimal: '#,##0.0',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

export async function toXlsx<R>(table: ExportTable<R>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Centinela';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = table.columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? Math.min(40, Math.max(12, c.header.length + 2)),
    ...(NUMBER_FORMAT[c.kind] ? { style: { numFmt: NUMBER_FORMAT[c.kind] } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(
      table.columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined) return null;
        if (c.kind === 'boolean') return v ? 'Sí' : 'No';
        if (c.kind === 'datetime') return new Date(String(v));
        if (c.kind === 'text') return safeText(String(v));
        return v;
      }),
    );
  }
  if (table.columns.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  const info = workbook.addWorksheet('Parámetros');
  info.columns = [
    { header: 'Parámetro', key: 'k', width: 28 },
    { header: 'Valor', key: 'v', width: 60 },
  ];
  info.getRow(1).font = { bold: true };
  for (const [k, v] of table.parameters) info.addRow([k, safeText(v)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
