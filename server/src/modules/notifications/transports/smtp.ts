import { randomUUID } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { type NotificationTransport, type OutgoingMessage, TransportError } from './transport.js';

/**
 * E-mail over SMTP (RFC 5321) with the Node standard library: `smtps://` connects with TLS,
 * `smtp://` upgrades with STARTTLS whenever the server offers it; AUTH PLAIN or LOGIN with the
 * URL's user and password (never over an unencrypted connection, except to a loopback address).
 * One connection per message: notifications are few and the sender retries failures.
 */
export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` or `smtps://user:pass@host:465`. */
  url: string;
  /** `Centinela 911 <no-responder@seguridad.gob.sv>` or a bare address. */
  from: string;
  timeoutMs?: number;
  /** Extra TLS settings (e.g. a private CA). */
  tls?: tls.ConnectionOptions;
  /** Name announced in EHLO (default: the sender's domain). */
  heloName?: string;
}

interface Reply {
  code: number;
  lines: string[];
}

/** Collects SMTP replies (multi-line `250-…` continued, `250 …` last) from a socket. */
class ReplyReader {
  private buffer = '';
  private partial: string[] = [];
  private readonly replies: Reply[] = [];
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.push(chunk.toString('utf8')));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  private push(text: string): void {
    this.buffer += text;
    let index = this.buffer.indexOf('\n');
    while (index >= 0) {
      const line = this.buffer.slice(0, index).replace(/\r$/, '');
      this.buffer = this.buffer.slice(index + 1);
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!match) {
        this.fail(new Error('unreadable SMTP reply'));
        return;
      }
      this.partial.push(match[3] ?? '');
      if (match[2] !== '-') {
        this.replies.push({ code: Number(match[1]), lines: this.partial });
        this.partial = [];
      }
      index = this.buffer.indexOf('\n');
    }
    this.deliver();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.deliver();
  }

  private deliver(): void {
    if (!this.waiting) return;
    const reply = this.replies.shift();
    if (reply) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(reply);
    } else if (this.failure) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(this.failure);
    }
  }

  next(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }
}

/** The address inside `Name <address>`, or the whole value. */
export function addressOf(mailbox: string): string {
  const inside = /<([^<>]+)>/.exec(mailbox);
  return (inside ? inside[1]! : mailbox).trim();
}

function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function encodeMailbox(mailbox: string): string {
  const inside = /^(.*)<([^<>]+)>\s*$/.exec(mailbox);
  if (!inside) return mailbox.trim();
  const name = inside[1]!.trim().replace(/^"|"$/g, '');
  return name ? `${encodeHeader(name)} <${inside[2]!.trim()}>` : `<${inside[2]!.trim()}>`;
}

/** The RFC 5322 message: UTF-8 text, base64 transfer encoding (safe for any content). */
export function buildMessage(from: string, message: OutgoingMessage, date: Date): string {
  const domain = addressOf(from).split('@')[1] ?? 'localhost';
  const body = Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  const lines = [
    `From: ${encodeMailbox(from)}`,
    `To: <${message.to}>`,
    `Subject: ${encodeHeader(message.subject ?? '')}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${message.id}.${randomUUID().slice(0, 8)}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    ...(body.match(/.{1,76}/g) ?? []),
  ];
  return lines.join('\r\n');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

function hasCrLf(value: string): boolean {
  return /[\r\n]/.test(value);
}

export function createSmtpTransport(options: SmtpTransportOptions): NotificationTransport {
  const url = new URL(options.url);
  const implicitTls = url.protocol === 'smtps:';
  const host = url.hostname;
  const port = url.port ? Number(url.port) : implicitTls ? 465 : 587;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const fromAddress = addressOf(options.from);
  const helo = options.heloName ?? fromAddress.split('@')[1] ?? 'localhost';
  const timeoutMs = options.timeoutMs ?? 20_000;
  if (hasCrLf(options.from)) throw new Error('NOTIFY_EMAIL_FROM must not contain line breaks');

  async function open(): Promise<{ socket: net.Socket; reader: ReplyReader }> {
    const socket: net.Socket = implicitTls
      ? tls.connect({ host, port, servername: host, ...options.tls })
      : net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('SMTP server timed out')));
    const reader = new ReplyReader();
    reader.attach(socket);
    return { socket, reader };
  }

  return {
    name: 'smtp',
    async send(message) {
      if (hasCrLf(message.to)) throw new TransportError('invalid recipient address', true);
      let { socket, reader } = await open();
      let secure = implicitTls;
      // Which step failed decides whether a 5xx refusal concerns this message (permanent) or not.
      let step = 'greeting';
      const expect = async (codes: number[]): Promise<Reply> => {
        const reply = await reader.next();
        if (!codes.includes(reply.code)) {
          const permanent = reply.code >= 500 && ['mail', 'rcpt', 'data', 'body'].includes(step);
          throw new TransportError(`SMTP ${step} refused: ${reply.code} ${reply.lines.join(' ')}`, permanent);
        }
        return reply;
      };
      const command = async (line: string, codes: number[], name: string): Promise<Reply> => {
        step = name;
        socket.write(`${line}\r\n`);
        return expect(codes);
      };
      try {
        await expect([220]);
        let ehlo = await command(`EHLO ${helo}`, [250], 'ehlo');
        const offers = (reply: Reply, what: string) =>
          reply.lines.some((l) => l.toUpperCase().split(/\s+/)[0] === what);
        if (!secure && offers(ehlo, 'STARTTLS')) {
          await command('STARTTLS', [220], 'starttls');
          socket.removeAllListeners('data');
          socket.removeAllListeners('close');
          socket.removeAllListeners('error');
          const plain = socket;
          const upgraded = tls.connect({ socket: plain, servername: host, ...options.tls });
          await new Promise<void>((resolve, reject) => {
            upgraded.once('secureConnect', resolve);
            upgraded.once('error', reject);
          });
          upgraded.setTimeout(timeoutMs, () => upgraded.destroy(new Error('SMTP server timed out')));
          socket = upgraded;
          reader = new ReplyReader();
          reader.attach(socket);
          secure = true;
          ehlo = await command(`EHLO ${helo}`, [250], 'ehlo');
        }
        if (user) {
          if (!secure && !isLoopback(host)) {
            throw new TransportError(
              'refusing to send SMTP credentials over an unencrypted connection',
              false,
            );
          }
          const auth = ehlo.lines.find((l) => l.toUpperCase().startsWith('AUTH')) ?? '';
          if (/\bPLAIN\b/i.test(auth) || !/\bLOGIN\b/i.test(auth)) {
            const token = Buffer.from(`\u0000${user}\u0000${pass}`, 'utf8').toString('base64');
            await command(`AUTH PLAIN ${token}`, [235], 'auth');
          } else {
            await command('AUTH LOGIN', [334], 'auth');
            await command(Buffer.from(user, 'utf8').toString('base64'), [334], 'auth');
            await command(Buffer.from(pass, 'utf8').toString('base64'), [235], 'auth');
          }
        }
        await command(`MAIL FROM:<${fromAddress}>`, [250], 'mail');
        await command(`RCPT TO:<${message.to}>`, [250, 251], 'rcpt');
        await command('DATA', [354], 'data');
        const data = buildMessage(options.from, message, new Date())
          .split('\r\n')
          .map((l) => (l.startsWith('.') ? `.${l}` : l))
          .join('\r\n');
        const accepted = await command(`${data}\r\n.`, [250], 'body');
        const queued = /queued as\s+(\S+)/i.exec(accepted.lines.join(' '));
        step = 'quit';
        socket.write('QUIT\r\n');
        return { providerMessageId: queued?.[1] ?? null };
      } catch (error) {
        if (error instanceof TransportError) throw error;
        throw new TransportError(`SMTP ${step} failed: ${(error as Error).message}`, false);
      } finally {
        const finished = socket;
        finished.end();
        setTimeout(() => finished.destroy(), 1_000).unref();
      }
    },
  };
}
