// The XLSX writer is shared by every module's lists (platform/xlsx.ts).
export * from '../../../platform/xlsx.js';
