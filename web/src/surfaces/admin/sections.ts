/** The sections of the administration surface, each shown to holders of any of its permissions. */
export interface AdminSection {
  id: string;
  /** Path below /administracion. */
  path: string;
  titleKey: string;
  permissions: readonly string[];
}

export const SECTIONS: readonly AdminSection[] = [
  { id: 'users', path: 'usuarios', titleKey: 'adm.users.title', permissions: ['identity.users.read'] },
  {
    id: 'units',
    path: 'unidades',
    titleKey: 'adm.units.title',
    permissions: ['unit.manage', 'device.manage'],
  },
  { id: 'types', path: 'tipos', titleKey: 'adm.types.title', permissions: ['incident.types.read'] },
  {
    id: 'targets',
    path: 'tiempos',
    titleKey: 'adm.targets.title',
    permissions: ['dispatch.targets.manage'],
  },
  { id: 'video', path: 'video', titleKey: 'adm.video.title', permissions: ['video.config.manage'] },
  { id: 'keys', path: 'claves', titleKey: 'adm.keys.title', permissions: ['identity.apikeys.manage'] },
];

/**
 * Who sees the surface at all. `incident.types.read` alone (analysts, auditors) does not open it:
 * the catalogue is the only section they could see, and they read it in the call-taker's picker.
 */
export const ADMIN_PERMISSIONS: readonly string[] = [
  'identity.users.read',
  'identity.users.manage',
  'identity.apikeys.manage',
  'incident.types.manage',
  'dispatch.targets.manage',
  'video.config.manage',
  'unit.manage',
  'device.manage',
];
