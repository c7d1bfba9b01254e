/**
 * Reference data of the 911 module: incident type catalogue (Policía Nacional Civil style), guided
 * questions that suggest the priority, statuses, the lifecycle as a transition table, closure codes.
 * Seeded at every start (upsert); administrators may add types later through the API.
 */

export interface GuidedQuestion {
  code: string;
  textEs: string;
  textEn: string;
  /** A "yes" answer suggests at least this priority (1 = most urgent). */
  priorityIfYes: number;
}

export interface IncidentTypeDefinition {
  code: string;
  parent: string | null;
  nameEs: string;
  nameEn: string;
  priority: number;
  referral?: 'fire' | 'medical';
  keywords?: string;
  questions?: GuidedQuestion[];
}

const Q = {
  injured: {
    code: 'injured',
    textEs: '¿Hay personas heridas?',
    textEn: 'Is anyone injured?',
    priorityIfYes: 1,
  },
  weapons: {
    code: 'weapons',
    textEs: '¿Hay armas involucradas?',
    textEn: 'Are weapons involved?',
    priorityIfYes: 1,
  },
  inProgress: {
    code: 'in_progress',
    textEs: '¿El hecho está ocurriendo en este momento?',
    textEn: 'Is it happening right now?',
    priorityIfYes: 1,
  },
  aggressorPresent: {
    code: 'aggressor_present',
    textEs: '¿El agresor sigue en el lugar?',
    textEn: 'Is the aggressor still at the scene?',
    priorityIfYes: 1,
  },
  minors: {
    code: 'minors',
    textEs: '¿Hay niñas, niños o adolescentes involucrados?',
    textEn: 'Are children or adolescents involved?',
    priorityIfYes: 2,
  },
  trapped: {
    code: 'trapped',
    textEs: '¿Hay personas atrapadas?',
    textEn: 'Is anyone trapped?',
    priorityIfYes: 1,
  },
  suspectsNearby: {
    code: 'suspects_nearby',
    textEs: '¿Los sospechosos están cerca o huyendo?',
    textEn: 'Are the suspects nearby or fleeing?',
    priorityIfYes: 2,
  },
  blockingRoad: {
    code: 'blocking_road',
    textEs: '¿Está bloqueada la vía?',
    textEn: 'Is the road blocked?',
    priorityIfYes: 3,
  },
  lastSeen24h: {
    code: 'last_seen_24h',
    textEs: '¿Fue vista por última vez hace menos de 24 horas?',
    textEn: 'Was the person last seen less than 24 hours ago?',
    priorityIfYes: 2,
  },
  paymentDeadline: {
    code: 'payment_deadline',
    textEs: '¿Hay un plazo o una entrega de dinero inminente?',
    textEn: 'Is there an imminent payment deadline or hand-over?',
    priorityIfYes: 1,
  },
} satisfies Record<string, GuidedQuestion>;

export const INCIDENT_TYPES: IncidentTypeDefinition[] = [
  {
    code: 'VIDA',
    parent: null,
    nameEs: 'Delitos contra la vida y la integridad personal',
    nameEn: 'Crimes against life and persons',
    priority: 1,
  },
  {
    code: 'VIDA.HOMICIDIO',
    parent: 'VIDA',
    nameEs: 'Homicidio',
    nameEn: 'Homicide',
    priority: 1,
    keywords: 'muerto asesinato cadáver fallecido',
    questions: [Q.weapons, Q.suspectsNearby],
  },
  {
    code: 'VIDA.ARMA_FUEGO',
    parent: 'VIDA',
    nameEs: 'Persona herida por arma de fuego',
    nameEn: 'Gunshot victim',
    priority: 1,
    keywords: 'disparo balazo baleado',
    questions: [Q.suspectsNearby],
  },
  {
    code: 'VIDA.LESIONES',
    parent: 'VIDA',
    nameEs: 'Lesiones',
    nameEn: 'Assault with injuries',
    priority: 2,
    keywords: 'golpes pelea herido agresión',
    questions: [Q.weapons, Q.aggressorPresent, Q.injured],
  },
  {
    code: 'VIDA.AMENAZAS',
    parent: 'VIDA',
    nameEs: 'Amenazas',
    nameEn: 'Threats',
    priority: 3,
    keywords: 'amenaza intimidación',
    questions: [Q.weapons, Q.aggressorPresent],
  },
  {
    code: 'VIDA.AGRESION_SEXUAL',
    parent: 'VIDA',
    nameEs: 'Agresión sexual',
    nameEn: 'Sexual assault',
    priority: 1,
    keywords: 'violación abuso sexual',
    questions: [Q.aggressorPresent, Q.minors],
  },

  {
    code: 'VIF',
    parent: null,
    nameEs: 'Violencia intrafamiliar y contra la mujer',
    nameEn: 'Family violence and violence against women',
    priority: 1,
  },
  {
    code: 'VIF.INTRAFAMILIAR',
    parent: 'VIF',
    nameEs: 'Violencia intrafamiliar',
    nameEn: 'Domestic violence',
    priority: 2,
    keywords: 'pareja esposo familia golpes',
    questions: [Q.inProgress, Q.weapons, Q.injured, Q.minors],
  },
  {
    code: 'VIF.LEIV',
    parent: 'VIF',
    nameEs: 'Violencia contra la mujer (LEIV)',
    nameEn: 'Violence against women (LEIV)',
    priority: 1,
    keywords: 'feminicidio mujer acoso',
    questions: [Q.inProgress, Q.weapons, Q.aggressorPresent],
  },
  {
    code: 'VIF.MALTRATO_INFANTIL',
    parent: 'VIF',
    nameEs: 'Maltrato infantil',
    nameEn: 'Child abuse',
    priority: 2,
    keywords: 'niño niña menor maltrato',
    questions: [Q.inProgress, Q.injured],
  },

  {
    code: 'PATRIMONIO',
    parent: null,
    nameEs: 'Delitos contra el patrimonio',
    nameEn: 'Property crimes',
    priority: 2,
  },
  {
    code: 'PATRIMONIO.ROBO',
    parent: 'PATRIMONIO',
    nameEs: 'Robo',
    nameEn: 'Robbery',
    priority: 2,
    keywords: 'asalto atraco',
    questions: [Q.inProgress, Q.weapons, Q.injured, Q.suspectsNearby],
  },
  {
    code: 'PATRIMONIO.HURTO',
    parent: 'PATRIMONIO',
    nameEs: 'Hurto',
    nameEn: 'Theft',
    priority: 3,
    keywords: 'robaron sustrajeron carteristas',
    questions: [Q.suspectsNearby],
  },
  {
    code: 'PATRIMONIO.ROBO_VEHICULO',
    parent: 'PATRIMONIO',
    nameEs: 'Robo o hurto de vehículo',
    nameEn: 'Vehicle theft',
    priority: 2,
    keywords: 'carro moto vehículo placa',
    questions: [Q.inProgress, Q.weapons],
  },
  {
    code: 'PATRIMONIO.DANOS',
    parent: 'PATRIMONIO',
    nameEs: 'Daños',
    nameEn: 'Criminal damage',
    priority: 4,
    keywords: 'vandalismo destrozos',
    questions: [Q.inProgress],
  },
  {
    code: 'PATRIMONIO.ALARMA',
    parent: 'PATRIMONIO',
    nameEs: 'Alarma activada',
    nameEn: 'Intrusion alarm',
    priority: 3,
    keywords: 'alarma sensor intrusión',
  },

  { code: 'EXTORSION', parent: null, nameEs: 'Extorsión', nameEn: 'Extortion', priority: 2 },
  {
    code: 'EXTORSION.EN_CURSO',
    parent: 'EXTORSION',
    nameEs: 'Extorsión en curso',
    nameEn: 'Extortion in progress',
    priority: 1,
    keywords: 'renta cobro pandilla',
    questions: [Q.paymentDeadline, Q.weapons],
  },
  {
    code: 'EXTORSION.DENUNCIA',
    parent: 'EXTORSION',
    nameEs: 'Denuncia de extorsión',
    nameEn: 'Extortion report',
    priority: 3,
    keywords: 'renta cobro llamada',
    questions: [Q.paymentDeadline],
  },

  { code: 'TRANSITO', parent: null, nameEs: 'Tránsito y seguridad vial', nameEn: 'Traffic', priority: 3 },
  {
    code: 'TRANSITO.ACCIDENTE_LESIONADOS',
    parent: 'TRANSITO',
    nameEs: 'Accidente de tránsito con lesionados',
    nameEn: 'Traffic collision with injuries',
    priority: 1,
    keywords: 'choque atropellado colisión',
    questions: [Q.trapped, Q.blockingRoad],
  },
  {
    code: 'TRANSITO.ACCIDENTE',
    parent: 'TRANSITO',
    nameEs: 'Accidente de tránsito sin lesionados',
    nameEn: 'Traffic collision without injuries',
    priority: 3,
    keywords: 'choque colisión',
    questions: [Q.injured, Q.blockingRoad],
  },
  {
    code: 'TRANSITO.EBRIEDAD',
    parent: 'TRANSITO',
    nameEs: 'Conductor en estado de ebriedad',
    nameEn: 'Drunk driver',
    priority: 2,
    keywords: 'bolo borracho alcohol',
  },
  {
    code: 'TRANSITO.OBSTRUCCION',
    parent: 'TRANSITO',
    nameEs: 'Obstrucción de la vía',
    nameEn: 'Road obstruction',
    priority: 4,
    keywords: 'bloqueo árbol caído',
    questions: [Q.blockingRoad],
  },

  {
    code: 'DESAPARECIDOS',
    parent: null,
    nameEs: 'Personas desaparecidas',
    nameEn: 'Missing persons',
    priority: 2,
  },
  {
    code: 'DESAPARECIDOS.PERSONA',
    parent: 'DESAPARECIDOS',
    nameEs: 'Persona desaparecida',
    nameEn: 'Missing person',
    priority: 2,
    keywords: 'desaparecido no aparece',
    questions: [Q.lastSeen24h, Q.minors],
  },
  {
    code: 'DESAPARECIDOS.MENOR',
    parent: 'DESAPARECIDOS',
    nameEs: 'Niña, niño o adolescente desaparecido',
    nameEn: 'Missing child',
    priority: 1,
    keywords: 'niño niña menor extraviado',
  },

  { code: 'ORDEN', parent: null, nameEs: 'Orden público', nameEn: 'Public order', priority: 3 },
  {
    code: 'ORDEN.DISPAROS',
    parent: 'ORDEN',
    nameEs: 'Disparos escuchados',
    nameEn: 'Shots heard',
    priority: 1,
    keywords: 'balacera tiros detonaciones',
    questions: [Q.injured],
  },
  {
    code: 'ORDEN.RINA',
    parent: 'ORDEN',
    nameEs: 'Riña',
    nameEn: 'Fight',
    priority: 2,
    keywords: 'pelea pleito',
    questions: [Q.weapons, Q.injured],
  },
  {
    code: 'ORDEN.DISTURBIOS',
    parent: 'ORDEN',
    nameEs: 'Disturbios',
    nameEn: 'Riot',
    priority: 2,
    keywords: 'desorden turba',
  },
  {
    code: 'ORDEN.SOSPECHOSO',
    parent: 'ORDEN',
    nameEs: 'Persona o vehículo sospechoso',
    nameEn: 'Suspicious person or vehicle',
    priority: 3,
    keywords: 'sospechoso merodeando',
    questions: [Q.weapons],
  },
  {
    code: 'ORDEN.ESCANDALO',
    parent: 'ORDEN',
    nameEs: 'Escándalo en vía pública',
    nameEn: 'Public disturbance',
    priority: 4,
    keywords: 'ruido música bulla',
  },

  { code: 'ALERTAS', parent: null, nameEs: 'Alertas automáticas', nameEn: 'Automatic alerts', priority: 2 },
  {
    code: 'ALERTAS.PANICO',
    parent: 'ALERTAS',
    nameEs: 'Botón de pánico',
    nameEn: 'Panic button',
    priority: 1,
    keywords: 'pánico botón',
  },
  {
    code: 'ALERTAS.VIDEO',
    parent: 'ALERTAS',
    nameEs: 'Alerta de videovigilancia',
    nameEn: 'Video analytics alert',
    priority: 2,
    keywords: 'cámara video',
  },
  {
    code: 'ALERTAS.PLACA',
    parent: 'ALERTAS',
    nameEs: 'Vehículo con alerta (lectura de placa)',
    nameEn: 'Vehicle on watchlist (plate read)',
    priority: 2,
    keywords: 'placa lector',
  },

  {
    code: 'REFERIDOS',
    parent: null,
    nameEs: 'Referidos a otras instituciones',
    nameEn: 'Referrals to other services',
    priority: 1,
  },
  {
    code: 'REFERIDOS.INCENDIO',
    parent: 'REFERIDOS',
    nameEs: 'Incendio (Cuerpo de Bomberos)',
    nameEn: 'Fire (Fire Department)',
    priority: 1,
    referral: 'fire',
    keywords: 'fuego humo quema bomberos',
    questions: [Q.trapped, Q.injured],
  },
  {
    code: 'REFERIDOS.MEDICA',
    parent: 'REFERIDOS',
    nameEs: 'Emergencia médica (servicios de salud)',
    nameEn: 'Medical emergency',
    priority: 1,
    referral: 'medical',
    keywords: 'ambulancia desmayo infarto parto',
    questions: [Q.injured],
  },
];

export interface StatusDefinition {
  code: string;
  nameEs: string;
  nameEn: string;
  isOpen: boolean;
  /** What a citizen sees on the tracking page: plain language, no sensitive data. */
  publicEs: string;
  publicEn: string;
}

export const STATUSES: StatusDefinition[] = [
  {
    code: 'received',
    nameEs: 'Recibido',
    nameEn: 'Received',
    isOpen: true,
    publicEs: 'Recibimos su reporte.',
    publicEn: 'We received your report.',
  },
  {
    code: 'classified',
    nameEs: 'Clasificado',
    nameEn: 'Classified',
    isOpen: true,
    publicEs: 'Su reporte fue revisado y espera asignación de una patrulla.',
    publicEn: 'Your report was reviewed and is waiting for a unit.',
  },
  {
    code: 'dispatched',
    nameEs: 'Despachado',
    nameEn: 'Dispatched',
    isOpen: true,
    publicEs: 'Se asignó una unidad policial.',
    publicEn: 'A police unit was assigned.',
  },
  {
    code: 'en_route',
    nameEs: 'En camino',
    nameEn: 'En route',
    isOpen: true,
    publicEs: 'La unidad va en camino.',
    publicEn: 'The unit is on its way.',
  },
  {
    code: 'on_scene',
    nameEs: 'En el lugar',
    nameEn: 'On scene',
    isOpen: true,
    publicEs: 'La unidad llegó al lugar.',
    publicEn: 'The unit arrived at the scene.',
  },
  {
    code: 'resolved',
    nameEs: 'Atendido',
    nameEn: 'Resolved',
    isOpen: true,
    publicEs: 'La unidad atendió el caso.',
    publicEn: 'The unit attended the case.',
  },
  {
    code: 'closed',
    nameEs: 'Cerrado',
    nameEn: 'Closed',
    isOpen: false,
    publicEs: 'El caso fue cerrado.',
    publicEn: 'The case was closed.',
  },
  {
    code: 'cancelled',
    nameEs: 'Cancelado',
    nameEn: 'Cancelled',
    isOpen: false,
    publicEs: 'El reporte fue cancelado.',
    publicEn: 'The report was cancelled.',
  },
  {
    code: 'duplicate',
    nameEs: 'Duplicado',
    nameEn: 'Duplicate',
    isOpen: false,
    publicEs: 'Su reporte se unió a otro caso sobre el mismo hecho.',
    publicEn: 'Your report was joined to another case about the same event.',
  },
];

export const OPEN_STATUSES = STATUSES.filter((s) => s.isOpen).map((s) => s.code);

export interface TransitionDefinition {
  action: string;
  from: string[];
  to: string;
  requiresReason?: boolean;
}

/** The lifecycle as data. Unit-driven actions (dispatch, en_route, on_scene) come from the dispatch module. */
export const TRANSITIONS: TransitionDefinition[] = [
  { action: 'classify', from: ['received'], to: 'classified' },
  { action: 'dispatch', from: ['received', 'classified'], to: 'dispatched' },
  { action: 'en_route', from: ['dispatched'], to: 'en_route' },
  { action: 'on_scene', from: ['dispatched', 'en_route'], to: 'on_scene' },
  { action: 'resolve', from: ['on_scene'], to: 'resolved' },
  { action: 'requeue', from: ['dispatched', 'en_route'], to: 'classified', requiresReason: true },
  { action: 'close', from: ['resolved', 'classified', 'received'], to: 'closed' },
  {
    action: 'cancel',
    from: ['received', 'classified', 'dispatched', 'en_route', 'on_scene'],
    to: 'cancelled',
    requiresReason: true,
  },
  {
    action: 'mark_duplicate',
    from: ['received', 'classified', 'dispatched'],
    to: 'duplicate',
    requiresReason: true,
  },
  { action: 'reopen', from: ['closed', 'cancelled', 'resolved'], to: 'classified', requiresReason: true },
];

export const CLOSURE_CODES: { code: string; nameEs: string; nameEn: string }[] = [
  {
    code: 'ATENDIDO',
    nameEs: 'Atendido en el lugar, sin detenidos',
    nameEn: 'Attended on scene, no arrests',
  },
  { code: 'DETENCION', nameEs: 'Atendido con detención en flagrancia', nameEn: 'Attended with arrest' },
  {
    code: 'REMITIDO_FGR',
    nameEs: 'Remitido a la Fiscalía General de la República',
    nameEn: 'Referred to the Attorney General',
  },
  {
    code: 'REFERIDO',
    nameEs: 'Referido a otra institución (Bomberos, salud, PGR, ISNA)',
    nameEn: 'Referred to another agency',
  },
  { code: 'SIN_NOVEDAD', nameEs: 'Sin novedad en el lugar', nameEn: 'Nothing found on scene' },
  { code: 'FALSA_ALARMA', nameEs: 'Falsa alarma', nameEn: 'False alarm' },
  { code: 'LLAMADA_FALSA', nameEs: 'Llamada falsa o malintencionada', nameEn: 'Hoax call' },
  { code: 'RESUELTO_TELEFONO', nameEs: 'Resuelto por orientación telefónica', nameEn: 'Resolved by phone' },
  { code: 'PERSONA_LOCALIZADA', nameEs: 'Persona localizada', nameEn: 'Person located' },
];

/** Suggested priority: the type's default, raised (lower number) by every "yes" answer. */
export function suggestPriority(
  type: { priority: number; questions?: { code: string; priorityIfYes: number }[] },
  answers: Record<string, boolean>,
): number {
  let priority = type.priority;
  for (const q of type.questions ?? []) {
    if (answers[q.code] === true) priority = Math.min(priority, q.priorityIfYes);
  }
  return priority;
}

export function familyOf(code: string): string {
  return code.split('.')[0]!;
}
