import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/**
 * Lists as XLSX (exceljs): Spanish headers, frozen header row, auto-filter,
 * money as US$ numbers with two decimals (from integer cents), dates as text `YYYY-MM-DD`, instants
 * in UTC. Text that starts like a formula is neutralised so a spreadsheet never evaluates it.
 */
export type XlsxKind = 'text' | 'integer' | 'decimal' | 'usd' | 'datetime' | 'boolean';

export interface XlsxColumn<R> {
  header: string;
  kind: XlsxKind;
  value: (row: R) => string | number | boolean | null | undefined;
  width?: number;
}

export interface XlsxTable<R> {
  fileName: string;
  sheet: string;
  columns: XlsxColumn<R>[];
  rows: R[];
  parameters: [string, string][];
}

const NUMBER_FORMAT: Partial<Record<XlsxKind, string>> = {
  integer: '#,##0',
  decimal: '#,##0.0',
  usd: '"US$"#,##0.00',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

/** A text starting like a formula is neutralised so that a spreadsheet never evaluates it. */
export function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export async function toXlsx<R>(table: XlsxTable<R>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Centinela';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? Math.min(48, Math.max(12, c.header.length + 2)),
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
        if (c.kind === 'usd') return Number(v) / 100;
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

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a table as an XLSX attachment. */
export async function sendXlsx<R>(reply: FastifyReply, table: XlsxTable<R>): Promise<FastifyReply> {
  return reply
    .header('content-type', XLSX_CONTENT_TYPE)
    .header('content-disposition', `attachment; filename="${table.fileName}.xlsx"`)
    .header('cache-control', 'no-store')
    .send(await toXlsx(table));
}
