import type { RequestContext } from '../context.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/errors.js';
import './messages.js';
import type { AuditInput } from './types.js';

export const PERSONAL_DATA_READ = 'personal_data.read';

export interface PersonalDataRead {
  /** What kind of record was read, e.g. 'emergency_call'. */
  entityType: string;
  entityId: string;
  /** Which personal fields were shown, e.g. ['callerPhone', 'callerName']. */
  fields: string[];
  /** Why they were read (the case, the task): kept as the entry's reason. */
  purpose: string;
}

/**
 * The audit entry for a read of personal data. Use it directly with `uow.audit(...)` when the read
 * happens inside a transaction that writes anyway; otherwise call `auditPersonalDataRead`.
 */
export function personalDataReadEntry(read: PersonalDataRead): AuditInput {
  const fields = [...new Set(read.fields.map((f) => f.trim()).filter(Boolean))].sort();
  if (fields.length === 0)
    throw new TypeError('auditPersonalDataRead: indique qué campos personales se leyeron');
  if (!read.entityType.trim() || !read.entityId.trim())
    throw new TypeError('auditPersonalDataRead: indique el tipo y el id del registro leído');
  const purpose = read.purpose.trim();
  if (!purpose) throw new AppError('PERSONAL_DATA_PURPOSE_REQUIRED', 400);
  return {
    action: PERSONAL_DATA_READ,
    entityType: read.entityType,
    entityId: read.entityId,
    changes: { fields },
    reason: purpose,
  };
}

/**
 * Records that the caller read personal data (e.g. a caller's phone), in its own transaction, before
 * the data is returned: if the entry cannot be written the read must fail too.
 */
export async function auditPersonalDataRead(
  deps: Pick<AppDeps, 'tx'>,
  ctx: RequestContext,
  read: PersonalDataRead,
): Promise<void> {
  const entry = personalDataReadEntry(read);
  await deps.tx(ctx, async (uow) => {
    uow.audit(entry);
  });
}
