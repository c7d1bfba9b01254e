import type { Transaction } from 'kysely';
import { appendAuditEntries, auditAppendLock } from '../audit/append.js';
import type { AuditInput } from '../audit/types.js';
import type { Clock, RequestContext } from '../context.js';
import { insertOutboxEvents } from '../events/outbox.js';
import type { CommittedEvent, EventInput } from '../events/types.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/** What a service gets inside a transaction: the transaction, and where to put audit entries and events. */
export interface UnitOfWork {
  db: Transaction<Database>;
  ctx: RequestContext;
  now: Date;
  audit(entry: AuditInput): void;
  emit(event: EventInput): void;
}

export interface TransactionDeps {
  db: Db;
  clock: Clock;
  /** Called after a commit that wrote outbox events, with those events (wakes the relay). */
  onEventsCommitted?: (events: readonly CommittedEvent[]) => void;
}

/**
 * Runs `work` in one database transaction. Audit entries and events collected during the work are
 * written at the end, in the same transaction: the change, its audit entry and its event commit or
 * roll back together. Audit is written last so the log's append lock is held as briefly as possible.
 */
export async function runInTransaction<T>(
  deps: TransactionDeps,
  ctx: RequestContext,
  work: (uow: UnitOfWork) => Promise<T>,
): Promise<T> {
  let committed: CommittedEvent[] = [];
  const result = await deps.db.transaction().execute(async (trx) => {
    const audits: AuditInput[] = [];
    const events: EventInput[] = [];
    const now = deps.clock.now();
    const value = await work({
      db: trx,
      ctx,
      now,
      audit: (entry) => audits.push(entry),
      emit: (event) => events.push(event),
    });
    // With audit entries to append, the outbox insert also takes the audit append lock (one round
    // trip fewer while the lock, which every audited writer waits for, is held).
    const lockWithEvents = audits.length > 0 && events.length > 0;
    const written = await insertOutboxEvents(
      trx,
      ctx,
      events,
      now,
      lockWithEvents ? { alsoSelect: auditAppendLock } : {},
    );
    await appendAuditEntries(trx, ctx, audits, now, { lockHeld: lockWithEvents });
    committed = written;
    return value;
  });
  if (committed.length > 0) deps.onEventsCommitted?.(committed);
  return result;
}
