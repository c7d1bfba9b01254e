/**
 * Decoder for the Traccar OsmAnd protocol (docs/standards/traccar-osmand.md), the format of the
 * official Traccar Client apps: query/form parameters, or the JSON body of Traccar Client 9+.
 * Pure functions: the HTTP server (osmand.server.ts) maps their result to Traccar's responses.
 *
 * Units follow Traccar's decoder: query `speed` is knots, JSON `coords.speed` is m/s; both are
 * stored in km/h, with the raw value kept as an attribute (`speedKnots`, `speedMps`).
 */
import { AttributeBag, type Attributes, MAX_NETWORK_ENTRIES } from './attributes.js';
import { parseEpoch, parseIsoInstant, parseLocalDateTime } from './time-parse.js';

export const KNOTS_TO_KMH = 1.852;
export const MPS_TO_KMH = 3.6;
/** Traccar's `osmand.minAccuracy` default: JSON accuracies below it are dropped (unknown). */
export const JSON_MIN_ACCURACY_M = 10;

export interface DecodedFix {
  deviceId: string;
  /** Null when the request carries no coordinates (keep-alive / sensor-only report). */
  lat: number | null;
  lon: number | null;
  recordedAt: Date;
  speedKmh: number | null;
  heading: number | null;
  accuracyM: number | null;
  /** The device's own validity flag (`valid=false`); invalid fixes never become the latest position. */
  valid: boolean;
  attributes: Attributes;
}

export type OsmAndFormat = 'query' | 'json';

export type OsmAndDecoded =
  | { ok: true; format: OsmAndFormat; fix: DecodedFix }
  /** Reply 400: no device id, or a value Traccar's decoder could not parse. */
  | { ok: false; format: OsmAndFormat; problem: string };

class Malformed extends Error {}

const fail = (problem: string): never => {
  throw new Malformed(problem);
};

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** `Double.parseDouble`: decimal, exponent, NaN/Infinity, optional f/d suffix; anything else fails. */
export function parseJavaDouble(text: string): number | null {
  const trimmed = text.trim();
  if (!JAVA_DOUBLE.test(trimmed)) return null;
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/** `Integer.parseInt` (32-bit). */
function parseJavaInt(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= -2_147_483_648 && value <= 2_147_483_647 ? value : null;
}

function double(name: string, text: string): number {
  const value = parseJavaDouble(text);
  return value === null ? fail(`${name}: no es un número`) : value;
}

function int(name: string, text: string | undefined): number {
  const value = text === undefined ? null : parseJavaInt(text);
  return value === null ? fail(`${name}: no es un entero`) : value;
}

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

function latitude(value: number): number {
  return Number.isFinite(value) && value >= -90 && value <= 90 ? value : fail('lat: fuera de rango');
}

function longitude(value: number): number {
  return Number.isFinite(value) && value >= -180 && value <= 180 ? value : fail('lon: fuera de rango');
}

function parseTimestamp(text: string): Date {
  const epoch = parseEpoch(text);
  if (epoch !== undefined) return epoch ?? fail('timestamp: fuera de rango');
  const parsed = text.includes('T') ? parseIsoInstant(text) : parseLocalDateTime(text);
  return parsed ?? fail('timestamp: formato no reconocido');
}

/**
 * Query-string or form parameters, in order (a repeated parameter: the last value wins, except
 * `cell` and `wifi` which are lists). `now` is the receive time, used when `timestamp` is absent.
 */
export function decodeOsmAndParams(params: URLSearchParams, now: Date): OsmAndDecoded {
  try {
    let deviceId: string | null = null;
    let lat: number | null = null;
    let lon: number | null = null;
    let recordedAt: Date | null = null;
    let speedKmh: number | null = null;
    let heading: number | null = null;
    let accuracyM: number | null = null;
    let valid = true;
    const attributes = new AttributeBag();
    const cells: Record<string, number>[] = [];
    const wifi: Record<string, string | number>[] = [];

    for (const [key, value] of params) {
      switch (key) {
        case 'id':
        case 'deviceid':
          deviceId = value;
          break;
        case 'notificationToken':
          // Traccar keeps it to push commands to the app; Centinela sends no push commands, and a
          // push token is a credential: it is not stored with the position.
          break;
        case 'valid':
          valid = value.toLowerCase() === 'true' || value === '1';
          attributes.setKnown('valid', valid);
          break;
        case 'timestamp':
          recordedAt = parseTimestamp(value);
          break;
        case 'lat':
          lat = latitude(double('lat', value));
          break;
        case 'lon':
          lon = longitude(double('lon', value));
          break;
        case 'location': {
          const [a, b] = value.split(',');
          lat = latitude(double('location', a ?? ''));
          lon = longitude(double('location', b ?? ''));
          break;
        }
        case 'cell': {
          const parts = value.split(',');
          if (parts.length < 4) fail('cell: se esperan mcc,mnc,lac,cid[,rssi]');
          const cell: Record<string, number> = {
            mcc: int('cell', parts[0]),
            mnc: int('cell', parts[1]),
            lac: int('cell', parts[2]),
            cid: int('cell', parts[3]),
          };
          if (parts.length > 4) cell.rssi = int('cell', parts[4]);
          if (cells.length < MAX_NETWORK_ENTRIES) cells.push(cell);
          break;
        }
        case 'wifi': {
          const [mac = '', rssi] = value.split(',');
          const entry = {
            macAddress: mac.replace(/-/g, ':').slice(0, 64),
            signalStrength: int('wifi', rssi),
          };
          if (wifi.length < MAX_NETWORK_ENTRIES) wifi.push(entry);
          break;
        }
        case 'speed': {
          const knots = finiteOrNull(double('speed', value));
          speedKmh = knots === null ? null : knots * KNOTS_TO_KMH;
          if (knots !== null) attributes.setKnown('speedKnots', knots);
          break;
        }
        case 'bearing':
        case 'heading':
          heading = finiteOrNull(double(key, value));
          break;
        case 'altitude': {
          const altitude = finiteOrNull(double('altitude', value));
          if (altitude !== null) attributes.setKnown('altitude', altitude);
          break;
        }
        case 'accuracy':
          accuracyM = finiteOrNull(double('accuracy', value));
          break;
        case 'hdop': {
          const hdop = finiteOrNull(double('hdop', value));
          if (hdop !== null) attributes.setKnown('hdop', hdop);
          break;
        }
        case 'batt': {
          const level = finiteOrNull(double('batt', value));
          if (level !== null) attributes.setKnown('batteryLevel', level);
          break;
        }
        case 'driverUniqueId':
          attributes.setKnown('driverUniqueId', value.slice(0, 128));
          break;
        case 'charge':
          attributes.setKnown('charge', value.toLowerCase() === 'true');
          break;
        default: {
          // Traccar: a number becomes a double, true/false a boolean, anything else a string.
          const number = parseJavaDouble(value);
          if (number !== null && Number.isFinite(number)) attributes.setCustom(key, number);
          else if (value === 'true' || value === 'false') attributes.setCustom(key, value === 'true');
          else attributes.setCustom(key, value);
        }
      }
    }
    if (cells.length > 0) attributes.setKnown('cellTowers', cells);
    if (wifi.length > 0) attributes.setKnown('wifiAccessPoints', wifi);
    if (deviceId === null) return { ok: false, format: 'query', problem: 'falta id' };
    // Both coordinates or none (Traccar then reuses the last known location: nothing new to store).
    const hasFix = lat !== null && lon !== null;
    return {
      ok: true,
      format: 'query',
      fix: {
        deviceId,
        lat: hasFix ? lat : null,
        lon: hasFix ? lon : null,
        recordedAt: recordedAt ?? now,
        speedKmh,
        heading,
        accuracyM,
        valid,
        attributes: attributes.toObject(),
      },
    };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, format: 'query', problem: error.message };
    throw error;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonNumber(name: string, value: unknown, required: boolean): number | null {
  if (value === undefined || value === null) return required ? fail(`${name}: obligatorio`) : null;
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(`${name}: no es un número`);
}

/**
 * The JSON body of Traccar Client 9+ (Transistorsoft background-geolocation format):
 * `{ "location": { "timestamp", "coords": {…}, "battery": {…}, … }, "device_id": "…" }`.
 */
export function decodeOsmAndJson(body: unknown): OsmAndDecoded {
  try {
    if (!isObject(body)) fail('el cuerpo no es un objeto JSON');
    const root = body as Record<string, unknown>;
    const deviceId = root.device_id;
    if (typeof deviceId !== 'string') return { ok: false, format: 'json', problem: 'falta device_id' };
    const location = root.location;
    if (!isObject(location)) fail('falta location');
    const loc = location as Record<string, unknown>;
    const recordedAt =
      typeof loc.timestamp === 'string' ? parseIsoInstant(loc.timestamp) : fail('falta location.timestamp');
    if (!recordedAt) fail('location.timestamp: no es ISO-8601');

    const attributes = new AttributeBag();
    let lat: number | null = null;
    let lon: number | null = null;
    let speedKmh: number | null = null;
    let heading: number | null = null;
    let accuracyM: number | null = null;
    if (loc.coords !== undefined) {
      if (!isObject(loc.coords)) fail('coords: no es un objeto');
      const c = loc.coords as Record<string, unknown>;
      lat = latitude(jsonNumber('coords.latitude', c.latitude, true) as number);
      lon = longitude(jsonNumber('coords.longitude', c.longitude, true) as number);
      const speed = jsonNumber('coords.speed', c.speed, false);
      if (speed !== null && speed >= 0) {
        speedKmh = speed * MPS_TO_KMH;
        attributes.setKnown('speedMps', speed);
      }
      const course = jsonNumber('coords.heading', c.heading, false);
      if (course !== null && course >= 0) heading = course;
      const accuracy = jsonNumber('coords.accuracy', c.accuracy, false);
      if (accuracy !== null && accuracy >= JSON_MIN_ACCURACY_M) accuracyM = accuracy;
      const altitude = jsonNumber('coords.altitude', c.altitude, false);
      if (altitude !== null) attributes.setKnown('altitude', altitude);
    }

    if (typeof loc.event === 'string') attributes.setKnown('event', loc.event.slice(0, 64));
    if (typeof loc.is_moving === 'boolean') attributes.setKnown('motion', loc.is_moving);
    if (typeof loc.odometer === 'number' && Number.isFinite(loc.odometer))
      attributes.setKnown('odometer', Math.trunc(loc.odometer));
    if (typeof loc.mock === 'boolean') attributes.setKnown('mock', loc.mock);
    if (isObject(loc.activity) && typeof loc.activity.type === 'string')
      attributes.setKnown('activity', loc.activity.type.slice(0, 64));
    if (isObject(loc.battery)) {
      const level = loc.battery.level;
      if (typeof level === 'number' && Number.isFinite(level) && level >= 0)
        attributes.setKnown('batteryLevel', Math.trunc(level * 100));
      if (loc.battery.is_charging === true) attributes.setKnown('charge', true);
    }
    const extras = isObject(loc.extras) ? loc.extras : {};
    const alarm = typeof loc.alarm === 'string' ? loc.alarm : extras.alarm;
    if (typeof alarm === 'string') attributes.setKnown('alarm', alarm.slice(0, 64));
    for (const [key, value] of Object.entries(extras)) {
      if (key === 'alarm') continue;
      if (typeof value === 'string' || typeof value === 'boolean') attributes.setCustom(key, value);
      else if (typeof value === 'number' && Number.isFinite(value)) attributes.setCustom(key, value);
      // Nested objects and arrays are ignored, as in Traccar.
    }

    return {
      ok: true,
      format: 'json',
      fix: {
        deviceId,
        lat,
        lon,
        recordedAt: recordedAt as Date,
        speedKmh,
        heading,
        accuracyM,
        valid: true,
        attributes: attributes.toObject(),
      },
    };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, format: 'json', problem: error.message };
    throw error;
  }
}
