import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../src/platform/deps.js';
import { bearer, loginAs, makeUser } from '../factories.js';

/** A real 1×1 PNG. */
export const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** The start of a JFIF JPEG (magic bytes and APP0 header), enough for type detection. */
export const JPEG_BYTES = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xd9,
]);

export const SAN_SALVADOR = { lon: -89.1907, lat: 13.6989 };

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Issues an API key through the identity API, as an administrator would. */
export async function issueApiKey(
  app: FastifyInstance,
  deps: AppDeps,
  permissions: string[],
  scope: { level: 'national' | 'department'; code: string | null } = { level: 'national', code: null },
): Promise<string> {
  const admin = await loginAs(app, await makeUser(deps, 'administrator'));
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: bearer(admin),
    payload: { name: `prueba ${permissions.join(' ')}`, permissions, scope },
  });
  if (res.statusCode !== 201) throw new Error(`API key not issued: ${res.statusCode} ${res.body}`);
  return (res.json() as { key: string }).key;
}

export interface XmlNode {
  name: string;
  text: string;
  children: XmlNode[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`XML: bare & in "${raw.slice(0, 40)}"`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const code = /^#x([0-9a-f]+)$/i.exec(name)?.[1] ?? /^#(\d+)$/.exec(name)?.[1];
    if (code === undefined) throw new Error(`XML: unknown entity &${name};`);
    return String.fromCodePoint(Number.parseInt(code, name.startsWith('#x') ? 16 : 10));
  });
}

/**
 * A strict parser for the attribute-less XML of Open311: fails on unbalanced tags, unknown
 * entities, bare `&` or `<`, attributes, and anything after the root element.
 */
export function parseXml(xml: string): XmlNode {
  let i = 0;
  const declaration = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/.exec(xml);
  if (declaration) i = declaration[0].length;
  const element = (): XmlNode => {
    const open = /^<([A-Za-z_][\w.-]*)\s*(\/?)>/.exec(xml.slice(i));
    if (!open) throw new Error(`XML: expected an element at ${i}: ${xml.slice(i, i + 30)}`);
    i += open[0].length;
    const node: XmlNode = { name: open[1]!, text: '', children: [] };
    if (open[2]) return node;
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) throw new Error(`XML: <${node.name}> is never closed`);
      const text = xml.slice(i, next);
      if (text.includes('>')) throw new Error('XML: bare > in text');
      node.text += decode(text);
      i = next;
      if (xml.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(i));
        if (!close || close[1] !== node.name) throw new Error(`XML: </${close?.[1]}> closes <${node.name}>`);
        i += close[0].length;
        return node;
      }
      node.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(i).trim() !== '') throw new Error('XML: content after the root element');
  return root;
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childText(node: XmlNode, name: string): string | undefined {
  return child(node, name)?.text;
}
