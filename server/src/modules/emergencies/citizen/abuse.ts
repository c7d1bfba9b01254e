import { createHash, createHmac, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';

/** Spam and abuse limits of the public channels. */
export const ABUSE_LIMITS = {
  minDescriptionChars: 10,
  maxLinks: 2,
  reportsPerPhonePerHour: 5,
  repeatWindowMinutes: 10,
  /** Submission records older than this are deleted (they only serve the windows above). */
  retentionHours: 24,
};

const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0;
}

/**
 * Content rules of free text from the public: a filled honeypot field (invisible in the form, so
 * only bots fill it), too short a description, too many links.
 */
export function checkPublicText(
  text: string,
  options: { honeypot?: string | undefined; minChars?: number; field: string },
): string {
  if (options.honeypot && options.honeypot.trim() !== '') throw new AppError('SPAM_DETECTED', 400);
  const trimmed = text.trim();
  const min = options.minChars ?? ABUSE_LIMITS.minDescriptionChars;
  if (trimmed.replace(/\s+/g, '').length < min) {
    throw new AppError('TEXT_TOO_SHORT', 400, { field: options.field, min });
  }
  if (countLinks(trimmed) > ABUSE_LIMITS.maxLinks) {
    throw new AppError('TOO_MANY_LINKS', 400, { max: ABUSE_LIMITS.maxLinks });
  }
  return trimmed;
}

/** Keyed hash: the table never holds a raw IP or phone number. */
function keyedHash(deps: Pick<AppDeps, 'config'>, kind: string, value: string): string {
  return createHmac('sha256', Buffer.from(deps.config.dataEncryptionKey, 'hex'))
    .update(`citizen-submission:${kind}:${value}`)
    .digest('hex');
}

function textHash(text: string): string {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normalized).digest('hex');
}

/**
 * Per-phone limit and repeated-text check, inside the transaction that records the report (so a
 * refused report leaves nothing, and an accepted one always counts). The phone's advisory lock
 * makes concurrent reports from one phone count one after the other.
 */
export async function checkAndRecordSubmission(
  deps: Pick<AppDeps, 'config'>,
  uow: UnitOfWork,
  input: { channel: string; ip: string | null; phone: string | null; text: string },
): Promise<void> {
  const ipHash = input.ip ? keyedHash(deps, 'ip', input.ip) : null;
  const phoneHash = input.phone ? keyedHash(deps, 'phone', input.phone) : null;
  const hash = textHash(input.text);
  for (const key of [phoneHash, ipHash]) {
    if (key) await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(uow.db);
  }
  if (phoneHash) {
    const since = new Date(uow.now.getTime() - 3_600_000);
    const recent = await uow.db
      .selectFrom('citizen_submissions')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('phone_hash', '=', phoneHash)
      .where('at', '>=', since)
      .executeTakeFirst();
    if ((recent?.n ?? 0) >= ABUSE_LIMITS.reportsPerPhonePerHour) {
      throw new AppError('PHONE_RATE_LIMITED', 429, { max: ABUSE_LIMITS.reportsPerPhonePerHour });
    }
  }
  const sources = [ipHash, phoneHash].filter((h): h is string => h !== null);
  if (sources.length > 0) {
    const since = new Date(uow.now.getTime() - ABUSE_LIMITS.repeatWindowMinutes * 60_000);
    const repeated = await uow.db
      .selectFrom('citizen_submissions')
      .select('id')
      .where('text_hash', '=', hash)
      .where('at', '>=', since)
      .where((eb) =>
        eb.or([
          ...(ipHash ? [eb('ip_hash', '=', ipHash)] : []),
          ...(phoneHash ? [eb('phone_hash', '=', phoneHash)] : []),
        ]),
      )
      .executeTakeFirst();
    if (repeated) throw new AppError('REPORT_REPEATED', 409, { minutes: ABUSE_LIMITS.repeatWindowMinutes });
  }
  await uow.db
    .insertInto('citizen_submissions')
    .values({
      id: randomUUID(),
      at: uow.now,
      channel: input.channel,
      ip_hash: ipHash,
      phone_hash: phoneHash,
      text_hash: hash,
    })
    .execute();
  await uow.db
    .deleteFrom('citizen_submissions')
    .where('at', '<', new Date(uow.now.getTime() - ABUSE_LIMITS.retentionHours * 3_600_000))
    .execute();
}
