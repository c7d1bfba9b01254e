/** True when a database error is a unique-constraint violation (SQLSTATE 23505, pg and PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
