import type { Db } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../../platform/http/principal.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';

/**
 * What a caller may see in the grants module: everything (back office, `grant.read.all`) or only the
 * organisation its user is linked to (NGO staff, through ngo_users). No link means nothing.
 */
export interface GrantsAccess {
  principal: Principal;
  all: boolean;
  /** The caller's own organisation (NGO staff); null for the back office or an unlinked user. */
  organisationId: string | null;
}

export async function grantsAccess(db: Db, principal: Principal): Promise<GrantsAccess> {
  if (hasPermission(principal, P.readAll)) return { principal, all: true, organisationId: null };
  if (principal.kind !== 'user') return { principal, all: false, organisationId: null };
  const link = await db
    .selectFrom('ngo_users')
    .select('organisation_id')
    .where('user_id', '=', principal.id)
    .where('unlinked_at', 'is', null)
    .executeTakeFirst();
  return { principal, all: false, organisationId: link?.organisation_id ?? null };
}

export function canSeeOrganisation(access: GrantsAccess, organisationId: string): boolean {
  return access.all || access.organisationId === organisationId;
}

/**
 * Refuses an organisation outside the caller's reach with the same 404 as a missing one, so that
 * NGO staff cannot learn which other organisations exist.
 */
export function assertSeesOrganisation(access: GrantsAccess, organisationId: string): void {
  if (!canSeeOrganisation(access, organisationId)) throw new AppError('ORGANISATION_NOT_FOUND', 404);
}

/** An id no organisation has: the filter of an unlinked caller matches nothing. */
export const NO_ORGANISATION = '00000000-0000-0000-0000-000000000000';

/** The organisation filter of a list query: null = no restriction (back office). */
export function organisationFilter(access: GrantsAccess): string | null {
  if (access.all) return null;
  return access.organisationId ?? NO_ORGANISATION;
}
