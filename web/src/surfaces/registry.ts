import type { ComponentType, LazyExoticComponent } from 'react';
import { adminSurface } from './admin/surface';
import { analyticsSurface } from './analytics/surface';
import { callTakerSurface } from './call-taker/surface';
import { citizenSurface } from './citizen/surface';
import { commandCenterSurface } from './command-center/surface';
import { dispatchSurface } from './dispatch/surface';
import { fieldSurface } from './field/surface';
import { grantsSurface } from './grants/surface';
import { grantsPublicSurface } from './grants-public/surface';
import { incidentSurface } from './incident/surface';

/**
 * A surface is one workspace of the app (call-taker, dispatch, field app…), mounted at `path` and
 * owning every route below it (`path/*`: use nested <Routes> inside). The shell lists the surfaces
 * the signed-in user may open (any of `permissions`), guards their routes, and loads each lazily.
 *
 * To add one: create web/src/surfaces/<name>/ with its component and messages, export a Surface from
 * web/src/surfaces/<name>/surface.ts, and append it to SURFACES below (one line).
 */
export interface Surface {
  id: string;
  /** Mount path, Spanish, e.g. '/despacho'. */
  path: string;
  /** i18n keys of the navigation label and the short description on the home page. */
  titleKey: string;
  descriptionKey: string;
  /** The user needs at least one of these (ignored when `public`). */
  permissions: readonly string[];
  /** Open without signing in (citizen portal). */
  public?: boolean;
  /** 'shell' (default): inside the header/navigation; 'bare': full screen (wall displays, field PWA). */
  layout?: 'shell' | 'bare';
  /** Hidden from the navigation (still routable), e.g. incident detail reached from other screens. */
  hidden?: boolean;
  component: LazyExoticComponent<ComponentType>;
}

export const SURFACES: readonly Surface[] = [
  callTakerSurface,
  fieldSurface,
  citizenSurface,
  dispatchSurface,
  incidentSurface,
  commandCenterSurface,
  analyticsSurface,
  adminSurface,
  grantsSurface,
  grantsPublicSurface,
];

/** Surfaces a user holding `can` may open, in registry order. */
export function surfacesFor(canAny: (permissions: readonly string[]) => boolean): Surface[] {
  return SURFACES.filter((s) => !s.public && canAny(s.permissions));
}
