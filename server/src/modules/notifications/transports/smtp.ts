import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { maskRecipient } from '../mask.js';
import { type NotificationTransport, TransportError } from './transport.js';

/**
 * E-mail over SMTP with nodemailer, one connection per message (notifications are few and the
 * sender retries failures). `smtps://` connects with TLS; `smtp://` behaves as nodemailer does by
 * default: it upgrades with STARTTLS whenever the server offers it and goes on in plain text when
 * it does not, unless `requireTLS` is set (option, or `?requireTLS=true` in SMTP_URL), which fails
 * the delivery instead. Credentials are never sent over plain text, though: with a user in the URL
 * and a host other than loopback, STARTTLS is required regardless.
 */
export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` or `smtps://user:pass@host:465` (`?requireTLS=true` allowed). */
  url: string;
  /** `Centinela 911 <no-responder@seguridad.gob.sv>` or a bare address. */
  from: string;
  timeoutMs?: number;
  /** Fail unless the `smtp://` connection can be upgraded with STARTTLS (default: from the URL). */
  requireTLS?: boolean;
  /** Extra TLS settings (e.g. a private CA). */
  tls?: ConnectionOptions;
  /** Name announced in EHLO (default: the sender's domain). */
  heloName?: string;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * Refusals of this message (5xx, or nodemailer's own checks, to MAIL FROM, RCPT TO or DATA) are
 * permanent; connection, TLS, authentication, time-outs and 4xx replies are retried.
 */
function isPermanent(error: SMTPConnection.SMTPError): boolean {
  if (error.code !== 'EENVELOPE' && error.code !== 'EMESSAGE') return false;
  return error.responseCode === undefined || error.responseCode >= 500;
}

export function createSmtpTransport(options: SmtpTransportOptions): NotificationTransport {
  if (/[\r\n]/.test(options.from)) throw new Error('NOTIFY_EMAIL_FROM must not contain line breaks');
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = decodeURIComponent(url.username);
  const domain = /@([^@<>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'localhost';
  const timeoutMs = options.timeoutMs ?? 20_000;
  const credentialsInPlainText = !secure && user !== '' && !isLoopback(host);
  const mailer = nodemailer.createTransport({
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS:
      credentialsInPlainText || (options.requireTLS ?? url.searchParams.get('requireTLS') === 'true'),
    name: options.heloName ?? domain,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  } satisfies SMTPTransport.Options);

  return {
    name: 'smtp',
    async send(message) {
      if (/[\r\n]/.test(message.to)) throw new TransportError('invalid recipient address', true);
      try {
        const info = await mailer.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? '',
          // Canonical text/plain line breaks, base64 (safe for any content, and for the subject).
          text: message.text.replace(/\r?\n/g, '\r\n'),
          textEncoding: 'base64',
          messageId: `<${message.id}.${randomUUID().slice(0, 8)}@${domain}>`,
        });
        const queued = /queued as\s+(\S+)/i.exec(info.response ?? '');
        return { providerMessageId: queued?.[1] ?? null };
      } catch (error) {
        const failure = error as SMTPConnection.SMTPError;
        // The server's reply may quote the address; the text ends up in logs and `last_error`.
        const text = `SMTP ${failure.command ?? 'delivery'} failed: ${failure.message}`
          .split(message.to)
          .join(maskRecipient('email', message.to));
        throw new TransportError(text, isPermanent(failure));
      }
    },
  };
}
