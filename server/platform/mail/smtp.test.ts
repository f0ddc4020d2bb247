import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { SmtpSettings } from '../config.ts';
import { offers, sendMail, SmtpError } from './smtp.ts';

/** A throw-away self-signed certificate for 127.0.0.1, made with openssl for this run only. */
async function makeCertificate(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'minxin-smtp-'));
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]);
    return {
      key: await readFile(path.join(dir, 'key.pem'), 'utf8'),
      cert: await readFile(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface SinkLog {
  /** Every command line received, with whether it came over TLS. */
  commands: { line: string; tls: boolean }[];
  mails: string[];
}

/** A loopback SMTP sink; with `tlsPair` it offers STARTTLS and upgrades the connection when asked. */
async function startSink(tlsPair?: {
  key: string;
  cert: string;
}): Promise<{ port: number; log: SinkLog; close: () => Promise<void> }> {
  const log: SinkLog = { commands: [], mails: [] };
  const open = new Set<net.Socket>();
  const server = net.createServer((raw) => {
    open.add(raw);
    raw.on('close', () => open.delete(raw));
    let socket: net.Socket = raw;
    let secure = false;
    let buffer = '';
    let inData = false;
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          log.mails.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 queued\r\n');
          continue;
        }
        const index = buffer.indexOf('\r\n');
        if (index < 0) return;
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        log.commands.push({ line: line.split(' ')[0]!.toUpperCase(), tls: secure });
        if (/^EHLO/i.test(line))
          socket.write(`250-sink\r\n${tlsPair && !secure ? '250-STARTTLS\r\n' : ''}250 AUTH PLAIN\r\n`);
        else if (/^STARTTLS/i.test(line) && tlsPair && !secure) {
          socket.write('220 go ahead\r\n');
          socket.off('data', onData);
          const upgraded = new tls.TLSSocket(socket, { isServer: true, key: tlsPair.key, cert: tlsPair.cert });
          upgraded.on('error', () => upgraded.destroy());
          upgraded.on('data', onData);
          socket = upgraded;
          secure = true;
          buffer = '';
        } else if (/^(AUTH|MAIL FROM|RCPT TO)/i.test(line)) socket.write('250 ok\r\n');
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('502 not here\r\n');
      }
    };
    raw.on('error', () => raw.destroy());
    raw.on('data', onData);
    raw.write('220 sink ESMTP\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    log,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const settings = (port: number, startTls: SmtpSettings['startTls']): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  secure: false,
  user: 'mailer',
  password: 'secret',
  startTls,
});
const mail = {
  from: 'noreply@minxin.test',
  to: 'li.si@example.cn',
  subject: '您的诉求已答复',
  text: '您好。\n.这一行以点开头。',
};

describe('SMTP client: STARTTLS', () => {
  let pair: { key: string; cert: string };
  let withTls: Awaited<ReturnType<typeof startSink>>;
  let plain: Awaited<ReturnType<typeof startSink>>;

  before(async () => {
    pair = await makeCertificate();
    withTls = await startSink(pair);
    plain = await startSink();
  });
  after(async () => {
    await Promise.all([withTls.close(), plain.close()]);
  });

  const since = (log: SinkLog, from: number) => log.commands.slice(from);

  test('opportunistic (the default) upgrades when offered, greets again, and sends credentials and the mail only over TLS', async () => {
    const start = withTls.log.commands.length;
    await sendMail(settings(withTls.port, 'opportunistic'), mail, new Date(), { ca: pair.cert });
    const commands = since(withTls.log, start);
    assert.deepEqual(
      commands.map((command) => command.line),
      ['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'QUIT'],
    );
    assert.deepEqual(
      commands.map((command) => command.tls),
      [false, false, true, true, true, true, true, true],
    );
    assert.match(withTls.log.mails.at(-1)!, /Subject: =\?UTF-8\?B\?/);
  });

  test('required works against a server offering STARTTLS', async () => {
    const start = withTls.log.commands.length;
    await sendMail(settings(withTls.port, 'required'), mail, new Date(), { ca: pair.cert });
    assert.ok(
      since(withTls.log, start)
        .filter((command) => command.line === 'AUTH')
        .every((command) => command.tls),
    );
  });

  test('a certificate nobody vouches for stops the mail before the credentials are sent (a transient failure)', async () => {
    const start = withTls.log.commands.length;
    await assert.rejects(sendMail(settings(withTls.port, 'opportunistic'), mail), (error: unknown) => {
      assert.ok(error instanceof SmtpError);
      assert.match(error.message, /STARTTLS handshake failed/);
      assert.equal(error.permanent, false);
      return true;
    });
    assert.deepEqual(
      since(withTls.log, start).map((command) => command.line),
      ['EHLO', 'STARTTLS'],
    );
  });

  test('required fails clearly, permanently and before AUTH when the server does not offer STARTTLS', async () => {
    const start = plain.log.commands.length;
    await assert.rejects(sendMail(settings(plain.port, 'required'), mail), (error: unknown) => {
      assert.ok(error instanceof SmtpError);
      assert.match(error.message, /does not offer STARTTLS.*SMTP_STARTTLS=required/);
      assert.equal(error.permanent, true);
      return true;
    });
    assert.deepEqual(
      since(plain.log, start).map((command) => command.line),
      ['EHLO'],
    );
  });

  test('opportunistic sends in plain text to a server without STARTTLS; off never upgrades', async () => {
    let start = plain.log.commands.length;
    await sendMail(settings(plain.port, 'opportunistic'), mail);
    assert.deepEqual(
      since(plain.log, start).map((command) => command.line),
      ['EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'QUIT'],
    );
    start = withTls.log.commands.length;
    await sendMail(settings(withTls.port, 'off'), mail);
    assert.ok(since(withTls.log, start).every((command) => command.line !== 'STARTTLS' && !command.tls));
  });

  test('offers reads an extension off the EHLO reply lines', () => {
    assert.equal(offers('sink\nSTARTTLS\nAUTH PLAIN', 'STARTTLS'), true);
    assert.equal(offers('sink\nAUTH PLAIN LOGIN', 'STARTTLS'), false);
    assert.equal(offers('sink\nstarttls', 'STARTTLS'), true);
  });
});
