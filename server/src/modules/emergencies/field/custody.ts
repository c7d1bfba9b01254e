import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../platform/audit/hashing.js';
import type { CustodyAction } from './field.tables.js';

export const CUSTODY_GENESIS = '0'.repeat(64);

export interface CustodyEntryFields {
  attachmentId: string;
  seq: number;
  action: CustodyAction;
  actorId: string;
  holderId: string | null;
  at: Date;
  lon: number | null;
  lat: number | null;
  locationText: string | null;
  note: string | null;
  /** SHA-256 of the evidence file itself: the chain proves which bytes were handled. */
  fileSha256: string;
  prevHash: string;
}

export function custodyEntryHash(e: CustodyEntryFields): string {
  const data = canonicalJson([
    'centinela.custody.v1',
    e.attachmentId,
    e.seq,
    e.action,
    e.actorId,
    e.holderId,
    e.at.toISOString(),
    e.lon,
    e.lat,
    e.locationText,
    e.note,
    e.fileSha256,
    e.prevHash,
  ]);
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Who may record which step. The holder is whoever received the item last; only the holder hands it
 * over, and only the named recipient acknowledges receipt.
 */
export function checkCustodyStep(
  action: CustodyAction,
  actorId: string,
  state: { holderId: string | null; pendingRecipient: string | null; released: boolean },
  toHolderId: string | null,
): string | null {
  if (state.released) return 'EVIDENCE_RELEASED';
  if (action === 'collected') return 'EVIDENCE_ALREADY_COLLECTED';
  if (action === 'received') {
    if (!state.pendingRecipient) return 'NO_TRANSFER_PENDING';
    return state.pendingRecipient === actorId ? null : 'NOT_THE_RECIPIENT';
  }
  if (state.pendingRecipient) return 'TRANSFER_PENDING';
  if (state.holderId !== actorId) return 'NOT_THE_HOLDER';
  if (action === 'transferred') {
    if (!toHolderId) return 'RECIPIENT_REQUIRED';
    if (toHolderId === actorId) return 'TRANSFER_TO_SELF';
  }
  return null;
}

export interface StoredCustodyEntry extends CustodyEntryFields {
  entryHash: string;
}

/** Recomputes the chain: the first entry whose hash or link does not match, or null when intact. */
export function firstBrokenCustodyEntry(entries: StoredCustodyEntry[]): number | null {
  let prev = CUSTODY_GENESIS;
  for (const [i, e] of entries.entries()) {
    if (e.seq !== i + 1 || e.prevHash !== prev || custodyEntryHash(e) !== e.entryHash) return e.seq;
    prev = e.entryHash;
  }
  return null;
}

/** Holder and pending transfer after the given entries. */
export function custodyState(entries: { action: CustodyAction; actorId: string; holderId: string | null }[]) {
  let holderId: string | null = null;
  let pendingRecipient: string | null = null;
  let released = false;
  for (const e of entries) {
    if (e.action === 'collected') holderId = e.actorId;
    else if (e.action === 'transferred') pendingRecipient = e.holderId;
    else if (e.action === 'received') {
      holderId = e.actorId;
      pendingRecipient = null;
    } else if (e.action === 'released') released = true;
  }
  return { holderId, pendingRecipient, released };
}
