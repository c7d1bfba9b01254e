import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it. Each module adds its own tables by declaration merging:
 *   declare module '../../platform/db/schema.js' { interface Database { my_table: MyTable } }
 */
export interface Database {
  schema_migrations: SchemaMigrationsTable;
}

export interface SchemaMigrationsTable {
  module: string;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Json<T> = ColumnType<T, string, string>;
