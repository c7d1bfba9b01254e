import { fromEpochSeconds } from './local-time.js';

/**
 * Defensive readers for Frigate NVR MQTT payloads (docs/standards/frigate-events.md). Field lists
 * change between Frigate releases: every field is optional except the ids we key on, unknown keys are
 * ignored, and wrong types read as "absent" instead of failing the whole message.
 */

export type FrigateMessageType = 'new' | 'update' | 'end';

export interface PayloadProblem {
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: PayloadProblem[] };

/** One tracked object (`before` / `after` of `frigate/events`). */
export interface FrigateObject {
  id: string;
  camera: string;
  label: string | null;
  /** `sub_label` as `[name, score]` (current) or a plain string (very old releases). */
  subLabel: { name: string; score: number | null } | null;
  topScore: number | null;
  score: number | null;
  falsePositive: boolean;
  startTime: Date | null;
  endTime: Date | null;
  frameTime: Date | null;
  currentZones: string[];
  enteredZones: string[];
  hasSnapshot: boolean;
  hasClip: boolean;
  recognizedPlate: string | null;
  recognizedPlateScore: number | null;
  /** The object as received, for the record. */
  raw: Record<string, unknown>;
}

export interface FrigateEventMessage {
  type: FrigateMessageType;
  /** True when `type` was missing or unknown and was inferred from the object states. */
  typeInferred: boolean;
  before: FrigateObject | null;
  after: FrigateObject;
}

export interface FrigateReview {
  id: string;
  camera: string;
  severity: string | null;
  startTime: Date | null;
  endTime: Date | null;
  /** Event ids from `frigate/events`. */
  detections: string[];
  /** Labels, without the `-verified` suffix. */
  objects: string[];
  zones: string[];
  subLabels: string[];
  audio: string[];
  raw: Record<string, unknown>;
}

export interface FrigateReviewMessage {
  type: FrigateMessageType;
  typeInferred: boolean;
  before: FrigateReview | null;
  after: FrigateReview;
}

/** `frigate/tracked_object_update` with `type: "lpr"`. */
export interface FrigatePlateUpdate {
  id: string;
  camera: string;
  plate: string;
  score: number | null;
  timestamp: Date | null;
}

const ID_MAX = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, max = 200): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : null;
}

function num(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** A probability in [0, 1]. */
function score(value: unknown): number | null {
  const n = num(value);
  return n !== null && n >= 0 && n <= 1 ? n : null;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === 1;
}

function strings(value: unknown, max = 50): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    const s = text(v);
    if (s && !out.includes(s)) out.push(s);
    if (out.length >= max) break;
  }
  return out;
}

function subLabelOf(value: unknown): FrigateObject['subLabel'] {
  const asText = text(value);
  if (asText) return { name: asText, score: null };
  if (Array.isArray(value)) {
    const name = text(value[0]);
    if (name) return { name, score: score(value[1]) };
  }
  return null;
}

function identity(raw: Record<string, unknown>, path: string, problems: PayloadProblem[]) {
  const id = text(raw.id, ID_MAX);
  const camera = text(raw.camera, ID_MAX);
  if (!id) problems.push({ field: `${path}.id`, message: 'falta el identificador (texto)' });
  if (!camera) problems.push({ field: `${path}.camera`, message: 'falta el nombre de la cámara (texto)' });
  return id && camera ? { id, camera } : null;
}

function readObject(
  raw: Record<string, unknown>,
  path: string,
  problems: PayloadProblem[],
): FrigateObject | null {
  const ids = identity(raw, path, problems);
  if (!ids) return null;
  const snapshot = isRecord(raw.snapshot) ? raw.snapshot : null;
  return {
    ...ids,
    label: text(raw.label, 100),
    subLabel: subLabelOf(raw.sub_label),
    topScore: score(raw.top_score),
    score: score(raw.score) ?? score(snapshot?.score),
    falsePositive: bool(raw.false_positive),
    startTime: fromEpochSeconds(raw.start_time),
    endTime: fromEpochSeconds(raw.end_time),
    frameTime: fromEpochSeconds(raw.frame_time),
    currentZones: strings(raw.current_zones),
    enteredZones: strings(raw.entered_zones),
    hasSnapshot: bool(raw.has_snapshot),
    hasClip: bool(raw.has_clip),
    recognizedPlate: text(raw.recognized_license_plate, 40),
    recognizedPlateScore: score(raw.recognized_license_plate_score),
    raw,
  };
}

function messageType(value: unknown): FrigateMessageType | null {
  return value === 'new' || value === 'update' || value === 'end' ? value : null;
}

/** Parses a `frigate/events` message: `{type, before, after}`; only `after.id` and `after.camera` are required. */
export function parseFrigateEvent(payload: unknown): Parsed<FrigateEventMessage> {
  const problems: PayloadProblem[] = [];
  if (!isRecord(payload))
    return { ok: false, problems: [{ field: '(cuerpo)', message: 'debe ser un objeto JSON' }] };
  if (!isRecord(payload.after)) {
    return {
      ok: false,
      problems: [{ field: 'after', message: 'falta el estado actual del objeto (after)' }],
    };
  }
  const after = readObject(payload.after, 'after', problems);
  // `before` is informative only: a broken one is dropped, not fatal.
  const before = isRecord(payload.before) ? readObject(payload.before, 'before', []) : null;
  if (!after) return { ok: false, problems };
  const given = messageType(payload.type);
  const inferred: FrigateMessageType = after.endTime
    ? 'end'
    : isRecord(payload.before) && bool(payload.before.false_positive)
      ? 'new'
      : 'update';
  return { ok: true, value: { type: given ?? inferred, typeInferred: !given, before, after } };
}

function readReview(
  raw: Record<string, unknown>,
  path: string,
  problems: PayloadProblem[],
): FrigateReview | null {
  const ids = identity(raw, path, problems);
  if (!ids) return null;
  const data = isRecord(raw.data) ? raw.data : {};
  return {
    ...ids,
    severity: text(raw.severity, 40),
    startTime: fromEpochSeconds(raw.start_time),
    endTime: fromEpochSeconds(raw.end_time),
    detections: strings(data.detections, 200).filter((d) => d.length <= ID_MAX),
    objects: [...new Set(strings(data.objects).map((o) => o.replace(/-verified$/, '')))],
    zones: strings(data.zones),
    subLabels: strings(data.sub_labels),
    audio: strings(data.audio),
    raw,
  };
}

/** Parses a `frigate/reviews` message (same envelope as events). */
export function parseFrigateReview(payload: unknown): Parsed<FrigateReviewMessage> {
  const problems: PayloadProblem[] = [];
  if (!isRecord(payload))
    return { ok: false, problems: [{ field: '(cuerpo)', message: 'debe ser un objeto JSON' }] };
  if (!isRecord(payload.after)) {
    return {
      ok: false,
      problems: [{ field: 'after', message: 'falta el estado actual de la revisión (after)' }],
    };
  }
  const after = readReview(payload.after, 'after', problems);
  const before = isRecord(payload.before) ? readReview(payload.before, 'before', []) : null;
  if (!after) return { ok: false, problems };
  const given = messageType(payload.type);
  const inferred: FrigateMessageType = after.endTime ? 'end' : before ? 'update' : 'new';
  return { ok: true, value: { type: given ?? inferred, typeInferred: !given, before, after } };
}

/** Reads a `frigate/tracked_object_update` message; only `type: "lpr"` ones matter here (else null). */
export function parsePlateUpdate(payload: unknown): FrigatePlateUpdate | null {
  if (!isRecord(payload) || payload.type !== 'lpr') return null;
  const id = text(payload.id, ID_MAX);
  const camera = text(payload.camera, ID_MAX);
  const plate = text(payload.plate, 40);
  if (!id || !camera || !plate) return null;
  return { id, camera, plate, score: score(payload.score), timestamp: fromEpochSeconds(payload.timestamp) };
}

/** Zones an object is or was in (entered ∪ current). */
export function zonesOf(object: Pick<FrigateObject, 'currentZones' | 'enteredZones'>): string[] {
  return [...new Set([...object.enteredZones, ...object.currentZones])];
}
