import { createServer as createHttpServer, type Server } from 'node:http';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import {
  createNotificationSender,
  createSmtpTransport,
  createWebhookTransport,
  maskRecipient,
  type NotificationRequest,
  type NotificationTransport,
  type OutgoingMessage,
  queueNotification,
  TransportError,
  transportsFromConfig,
} from '../src/modules/notifications/index.js';
import { systemContext } from '../src/platform/context.js';
import type { AppDeps } from '../src/platform/deps.js';
import { buildTestApp, type TestApp, testConfig } from './build-app.js';

const silent = { info: () => undefined };

describe('notification delivery: sender loop, retries, transports', { timeout: 120_000 }, () => {
  let t: TestApp;
  let now: Date;
  let deps: AppDeps;

  beforeAll(async () => {
    t = await buildTestApp();
    // Ahead of the real clock, which stamps queued rows (deps.tx), so that they are due.
    now = new Date(Date.now() + 3_600_000);
    deps = { ...t.deps, clock: { now: () => now } };
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  let n = 0;
  async function queue(overrides: Partial<NotificationRequest> = {}): Promise<string> {
    const id = await deps.tx(systemContext(), (uow) =>
      queueNotification(deps, uow, {
        channel: 'sms',
        recipient: '+50370000000',
        template: 'citizen.report_received',
        locale: 'es',
        params: { trackingCode: `CEN-TEST-${++n}` },
        sealedParams: { trackingSecret: 'ABCD-EFGH-JKMN' },
        entityType: 'test',
        entityId: `delivery-${n}`,
        ...overrides,
      }),
    );
    return id!;
  }
  const row = (id: string) =>
    t.deps.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  /** A transport that fails `failures` times (permanently or not), then succeeds. */
  function flaky(failures: number, permanent = false) {
    const sent: OutgoingMessage[] = [];
    let calls = 0;
    const transport: NotificationTransport = {
      name: 'prueba',
      async send(message) {
        calls += 1;
        if (calls <= failures) throw new TransportError(`falla ${calls}`, permanent);
        sent.push(message);
        return { providerMessageId: `prov-${calls}` };
      },
    };
    return { transport, sent, calls: () => calls };
  }
  const senderWith = (transport: NotificationTransport) =>
    createNotificationSender(
      deps,
      { sms: transport, whatsapp: transport, email: transport },
      {
        retryBaseMs: 1_000,
        retryMaxMs: 4_000,
      },
    );

  it('retries with exponential back-off, then records the provider id and erases the sealed secret', async () => {
    const id = await queue();
    const f = flaky(2);
    const sender = senderWith(f.transport);
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    let r = await row(id);
    expect(r).toMatchObject({ status: 'queued', attempts: 1, last_error: 'falla 1', transport: 'prueba' });
    expect(r.next_attempt_at.getTime()).toBe(now.getTime() + 1_000);
    expect(await sender.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });

    advance(1_000);
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    r = await row(id);
    expect(r.attempts).toBe(2);
    expect(r.next_attempt_at.getTime()).toBe(now.getTime() + 2_000);
    expect(r.sealed_params).not.toBeNull();

    advance(2_000);
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    r = await row(id);
    expect(r).toMatchObject({
      status: 'sent',
      attempts: 3,
      provider_message_id: 'prov-3',
      last_error: null,
      sealed_params: null,
    });
    expect(r.sent_at?.getTime()).toBe(now.getTime());
    expect(f.sent[0]).toMatchObject({ id, channel: 'sms', to: '+50370000000', subject: null });
    expect(f.sent[0]!.text).toContain('clave ABCD-EFGH-JKMN');
  });

  it('gives up at once on a permanent refusal, and after the last attempt otherwise', async () => {
    const refused = await queue();
    await senderWith(flaky(10, true).transport).runOnce();
    expect(await row(refused)).toMatchObject({ status: 'failed', attempts: 1, sealed_params: null });

    const stubborn = await queue({ maxAttempts: 2 });
    const f = flaky(10);
    const sender = senderWith(f.transport);
    await sender.runOnce();
    advance(1_000);
    await sender.runOnce();
    expect(await row(stubborn)).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: 'falla 2',
      sealed_params: null,
    });
    advance(60_000);
    await sender.runOnce();
    expect(f.calls()).toBe(2);
  });

  it('claims a notification left "sending" by a crashed sender once its lease expires, and sends each once', async () => {
    const stuck = await queue();
    await t.deps.db
      .updateTable('notifications')
      .set({ status: 'sending', attempts: 1, next_attempt_at: new Date(now.getTime() - 1) })
      .where('id', '=', stuck)
      .execute();
    const others = await Promise.all([queue(), queue(), queue()]);
    const f = flaky(0);
    const a = senderWith(f.transport);
    const b = senderWith(f.transport);
    await Promise.all([a.runOnce(), b.runOnce()]);
    expect(f.sent.map((m) => m.id).sort()).toEqual([stuck, ...others].sort());
    expect(await row(stuck)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('deduplicates by key and refuses malformed recipients', async () => {
    const first = await queue({ dedupeKey: 'evento-1:citizen' });
    const second = await deps.tx(systemContext(), (uow) =>
      queueNotification(deps, uow, {
        channel: 'sms',
        recipient: '+50370000000',
        template: 'citizen.status_changed',
        locale: 'es',
        dedupeKey: 'evento-1:citizen',
      }),
    );
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    await expect(
      deps.tx(systemContext(), (uow) =>
        queueNotification(deps, uow, {
          channel: 'sms',
          recipient: '7777-1234',
          template: 'citizen.status_changed',
          locale: 'es',
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOTIFICATION_RECIPIENT_INVALID' });
    await expect(
      deps.tx(systemContext(), (uow) =>
        queueNotification(deps, uow, {
          channel: 'sms',
          recipient: '+50377771234',
          template: 'no.existe',
          locale: 'es',
        }),
      ),
    ).rejects.toThrow(/not in the i18n catalogue/);
  });

  it('masks recipients for logs and listings', () => {
    expect(maskRecipient('sms', '+50377771234')).toBe('+503****1234');
    expect(maskRecipient('whatsapp', '+50361234567')).toBe('+503****4567');
    expect(maskRecipient('email', 'maria.lopez@example.com')).toBe('m***@example.com');
  });

  describe('HTTP webhook SMS transport', () => {
    let server: Server;
    let url: string;
    const received: { headers: Record<string, unknown>; body: unknown }[] = [];
    let answer: { status: number; body: string } = { status: 200, body: '{"messageId":"gw-77"}' };

    beforeAll(async () => {
      server = createHttpServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          received.push({ headers: req.headers, body: JSON.parse(body) });
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    });
    afterAll(() => {
      server.close();
    });

    const message: OutgoingMessage = {
      id: 'n-1',
      channel: 'sms',
      to: '+50377771234',
      subject: null,
      text: 'Hola',
    };

    it('posts JSON with the bearer token and the notification id as idempotency key', async () => {
      const transport = createWebhookTransport({ url, token: 'token-de-pasarela-123' });
      expect(await transport.send(message)).toEqual({ providerMessageId: 'gw-77' });
      expect(received.at(-1)!.body).toEqual({ id: 'n-1', channel: 'sms', to: '+50377771234', text: 'Hola' });
      expect(received.at(-1)!.headers).toMatchObject({
        authorization: 'Bearer token-de-pasarela-123',
        'idempotency-key': 'n-1',
        'content-type': 'application/json',
      });
    });

    it('classifies failures: 5xx and 429 retried, other 4xx permanent, no server retried', async () => {
      const transport = createWebhookTransport({ url });
      answer = { status: 503, body: '{}' };
      await expect(transport.send(message)).rejects.toMatchObject({ permanent: false });
      answer = { status: 429, body: '{}' };
      await expect(transport.send(message)).rejects.toMatchObject({ permanent: false });
      answer = { status: 400, body: '{"error":"bad number"}' };
      await expect(transport.send(message)).rejects.toMatchObject({ permanent: true });
      answer = { status: 202, body: 'accepted' };
      expect(await transport.send(message)).toEqual({ providerMessageId: null });
      const closed = createWebhookTransport({ url: 'http://127.0.0.1:9/nada', timeoutMs: 2_000 });
      await expect(closed.send(message)).rejects.toMatchObject({ permanent: false });
    });

    it('is chosen by configuration for SMS and WhatsApp', () => {
      const config = testConfig();
      const chosen = transportsFromConfig(
        { notify: { ...config.notify, smsTransport: 'webhook', smsWebhookUrl: url } },
        silent,
      );
      expect(chosen.sms.name).toBe('webhook');
      expect(chosen.whatsapp.name).toBe('webhook');
      expect(chosen.email.name).toBe('log');
      expect(transportsFromConfig(config, silent).sms.name).toBe('log');
    });
  });

  describe('SMTP e-mail transport', () => {
    let server: TcpServer;
    let port: number;
    const sessions: string[][] = [];

    beforeAll(async () => {
      // A minimal SMTP server that records the conversation (RFC 5321 replies).
      server = createTcpServer((socket: Socket) => {
        const log: string[] = [];
        sessions.push(log);
        let data: string | null = null;
        let buffer = '';
        socket.write('220 prueba.local ESMTP\r\n');
        socket.on('data', (chunk) => {
          buffer += chunk.toString('utf8');
          for (;;) {
            if (data !== null) {
              const end = buffer.indexOf('\r\n.\r\n');
              if (end < 0) return;
              data += buffer.slice(0, end);
              buffer = buffer.slice(end + 5);
              log.push(`DATA:${data}`);
              data = null;
              socket.write('250 2.0.0 Ok: queued as Q1W2E3\r\n');
              continue;
            }
            const eol = buffer.indexOf('\r\n');
            if (eol < 0) return;
            const line = buffer.slice(0, eol);
            buffer = buffer.slice(eol + 2);
            log.push(line);
            const verb = line.split(' ')[0]!.toUpperCase();
            if (verb === 'EHLO') socket.write('250-prueba.local\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n');
            else if (verb === 'AUTH') socket.write('235 2.7.0 Authentication successful\r\n');
            else if (verb === 'MAIL') socket.write('250 2.1.0 Ok\r\n');
            else if (verb === 'RCPT')
              socket.write(line.includes('rechazado@') ? '550 5.1.1 No such user\r\n' : '250 2.1.5 Ok\r\n');
            else if (verb === 'DATA') {
              socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
              data = '';
            } else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
            else socket.write('502 5.5.2 Error\r\n');
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => {
      server.close();
    });

    it('delivers a UTF-8 message with authentication and returns the queue id', async () => {
      const transport = createSmtpTransport({
        url: `smtp://centinela%40seguridad.gob.sv:cl%C3%A1ve@127.0.0.1:${port}`,
        from: 'Centinela 911 <no-responder@seguridad.gob.sv>',
      });
      const result = await transport.send({
        id: 'n-42',
        channel: 'email',
        to: 'ciudadana@example.com',
        subject: 'Actualización de su reporte CEN-7K3Q-9XPD',
        text: 'Su reporte tiene novedades: la unidad llegó al lugar.\n.línea con punto',
      });
      expect(result).toEqual({ providerMessageId: 'Q1W2E3' });
      const log = sessions.at(-1)!;
      expect(log[0]).toBe('EHLO seguridad.gob.sv');
      const auth = log.find((l) => l.startsWith('AUTH PLAIN '))!;
      expect(Buffer.from(auth.slice(11), 'base64').toString('utf8')).toBe(
        '\u0000centinela@seguridad.gob.sv\u0000cláve',
      );
      expect(log).toContain('MAIL FROM:<no-responder@seguridad.gob.sv>');
      expect(log).toContain('RCPT TO:<ciudadana@example.com>');
      const data = log.find((l) => l.startsWith('DATA:'))!.slice(5);
      const [headers, body] = data.split('\r\n\r\n');
      // nodemailer writes a bare `To: address` (same as `<address>`) and folds a long encoded
      // subject into several RFC 2047 words of at most 75 characters: decode them all.
      expect(headers).toMatch(/^To: <?ciudadana@example\.com>?$/m);
      expect(headers).toContain('Content-Type: text/plain; charset=utf-8');
      const subjectHeader = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(headers!)![1]!;
      const subject = [...subjectHeader.matchAll(/=\?UTF-8\?B\?([^?]+)\?=/g)]
        .map((word) => Buffer.from(word[1]!, 'base64').toString('utf8'))
        .join('');
      expect(subject).toBe('Actualización de su reporte CEN-7K3Q-9XPD');
      expect(Buffer.from(body!.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe(
        'Su reporte tiene novedades: la unidad llegó al lugar.\r\n.línea con punto',
      );
    });

    it('treats a refused recipient as permanent and an unreachable server as temporary', async () => {
      const transport = createSmtpTransport({
        url: `smtp://127.0.0.1:${port}`,
        from: 'no-responder@seguridad.gob.sv',
      });
      const message = {
        id: 'n-43',
        channel: 'email' as const,
        to: 'rechazado@example.com',
        subject: 'x',
        text: 'x',
      };
      await expect(transport.send(message)).rejects.toMatchObject({
        permanent: true,
        message: expect.stringMatching(/550/),
      });
      const down = createSmtpTransport({
        url: 'smtp://127.0.0.1:9',
        from: 'no-responder@seguridad.gob.sv',
        timeoutMs: 2_000,
      });
      await expect(down.send({ ...message, to: 'ok@example.com' })).rejects.toMatchObject({
        permanent: false,
      });
    });

    it('with requireTLS, gives up on a server without STARTTLS before any credential or envelope', async () => {
      const transport = createSmtpTransport({
        url: `smtp://centinela:clave@127.0.0.1:${port}?requireTLS=true`,
        from: 'no-responder@seguridad.gob.sv',
      });
      await expect(
        transport.send({ id: 'n-44', channel: 'email', to: 'ok@example.com', subject: 'x', text: 'x' }),
      ).rejects.toMatchObject({ permanent: false, message: expect.stringMatching(/STARTTLS/) });
      const log = sessions.at(-1)!;
      expect(log).toContain('STARTTLS');
      expect(log.some((l) => /^(AUTH|MAIL|RCPT)/.test(l))).toBe(false);
    });
  });

  it('validates the notification settings at start-up', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ NODE_ENV: 'test', DATA_DIR: t.deps.config.dataDir, ...env });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems.map((p) => p.slice(0, p.indexOf(':')));
      }
    };
    expect(problems({ NOTIFY_SMS_TRANSPORT: 'webhook' })).toEqual(['NOTIFY_SMS_WEBHOOK_URL']);
    expect(problems({ NOTIFY_EMAIL_TRANSPORT: 'smtp' }).sort()).toEqual(['NOTIFY_EMAIL_FROM', 'SMTP_URL']);
    expect(problems({ NOTIFY_SMS_TRANSPORT: 'carrier-pigeon' })).toEqual(['NOTIFY_SMS_TRANSPORT']);
    expect(problems({ SMTP_URL: 'http://mail.example' })).toEqual(['SMTP_URL']);
    const ok = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: t.deps.config.dataDir,
      NOTIFY_EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtps://u:p@mail.example:465',
      NOTIFY_EMAIL_FROM: 'no-responder@seguridad.gob.sv',
      MESSAGING_THREAD_WINDOW_MINUTES: '45',
    });
    expect(ok.notify).toMatchObject({ emailTransport: 'smtp', smsTransport: 'log' });
    expect(ok.messagingThreadWindowMinutes).toBe(45);
  });
});
