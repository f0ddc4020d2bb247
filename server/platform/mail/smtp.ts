import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { SmtpSettings } from '../config.ts';

/** One plain-text e-mail. */
export interface MailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** An SMTP failure; `permanent` for 5xx replies (retrying will not help). Never carries an address. */
export class SmtpError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.name = 'SmtpError';
    this.permanent = permanent;
  }
}

const TIMEOUT_MS = 10_000;
const ADDRESS = /^[^\s@<>",\r\n]+@[^\s@<>",\r\n]+$/;

/** RFC 2047 encoded-word for a header with non-ASCII text (UTF-8, base64, split into ≤ 75-character words). */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    // 45 bytes of UTF-8 give 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays under 75.
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join('\r\n ');
}

/** The message as sent after DATA: headers, a base64 UTF-8 body, lines starting with "." doubled, CRLF endings. */
export function formatMessage(message: MailMessage, now: Date, hostname: string): string {
  const body = Buffer.from(message.text.replace(/\r?\n/g, '\r\n')).toString('base64').replace(/.{76}/g, '$&\r\n');
  const lines = [
    `From: ${message.from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: <${crypto.randomUUID()}@${hostname}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ];
  return lines.join('\r\n').replace(/^\./gm, '..');
}

/** Reads SMTP replies (possibly multi-line, "250-…" then "250 …") off a socket. */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: ((reply: { code: number; text: string }) => void) | undefined;
  private failure: Error | undefined;
  private failed: ((error: Error) => void) | undefined;

  /** Stops reading the socket (before it is wrapped in TLS). */
  readonly detach: () => void;

  constructor(socket: net.Socket) {
    socket.setEncoding('utf8');
    const onData = (data: string) => {
      this.buffer += data;
      let index;
      while ((index = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, index).replace(/\r$/, '');
        this.buffer = this.buffer.slice(index + 1);
        this.lines.push(line);
        if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) this.flush();
      }
    };
    const fail = (error: Error) => {
      this.failure ??= error;
      this.failed?.(this.failure);
    };
    const onError = (error: Error) => fail(new SmtpError(`SMTP connection failed: ${error.message}`, false));
    const onClose = () => fail(new SmtpError('SMTP server closed the connection', false));
    const onTimeout = () => {
      fail(new SmtpError('SMTP server did not answer in time', false));
      socket.destroy();
    };
    socket.on('data', onData).on('error', onError).on('close', onClose).on('timeout', onTimeout);
    this.detach = () => {
      socket.off('data', onData).off('error', onError).off('close', onClose).off('timeout', onTimeout);
    };
  }

  private pending: { code: number; text: string }[] = [];

  private flush(): void {
    const last = this.lines[this.lines.length - 1]!;
    const reply = { code: Number(last.slice(0, 3)), text: this.lines.map((line) => line.slice(4)).join('\n') };
    this.lines = [];
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.failed = undefined;
      resolve(reply);
    } else this.pending.push(reply);
  }

  next(): Promise<{ code: number; text: string }> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
    });
  }
}

/** Whether an EHLO reply lists an extension (its first word on a line, case-insensitive). */
export const offers = (ehloText: string, extension: string): boolean =>
  ehloText.split('\n').some((line) => line.trim().split(/\s+/)[0]?.toUpperCase() === extension);

/**
 * Sends one e-mail through the configured SMTP server: EHLO, STARTTLS when
 * the server offers it (or always, with `startTls: 'required'`; never with
 * `'off'`) and EHLO again, AUTH PLAIN when credentials are given, MAIL FROM,
 * RCPT TO, DATA, QUIT. `smtps://` servers speak TLS from the first byte. The
 * server's certificate is checked against the system's CAs (`tls` may add
 * one, as the tests do). Errors name the step and the server's code, never
 * the recipient; a server that lacks STARTTLS when it is required fails
 * permanently (retrying will not change its answer).
 */
export async function sendMail(settings: SmtpSettings, message: MailMessage, now = new Date(), tlsOptions: tls.ConnectionOptions = {}): Promise<void> {
  if (!ADDRESS.test(message.to) || !ADDRESS.test(message.from)) throw new SmtpError('Not a usable e-mail address', true);
  const servername = net.isIP(settings.host) ? undefined : settings.host;
  let socket: net.Socket = settings.secure
    ? tls.connect({ ...tlsOptions, host: settings.host, port: settings.port, servername })
    : net.connect({ host: settings.host, port: settings.port });
  socket.setTimeout(TIMEOUT_MS);
  let replies = new ReplyReader(socket);
  const expect = async (step: string, ok: (code: number) => boolean) => {
    const reply = await replies.next();
    if (!ok(reply.code)) throw new SmtpError(`SMTP ${step} refused: ${reply.code}`, reply.code >= 500);
    return reply;
  };
  const command = async (line: string, step: string, ok: (code: number) => boolean) => {
    socket.write(`${line}\r\n`);
    return expect(step, ok);
  };
  const is2xx = (code: number) => code >= 200 && code < 300;
  try {
    await expect('greeting', is2xx);
    const hostname = 'minxin.localhost';
    const ehlo = await command(`EHLO ${hostname}`, 'EHLO', is2xx);
    const mode = settings.startTls;
    if (!settings.secure && mode !== 'off') {
      if (offers(ehlo.text, 'STARTTLS')) {
        await command('STARTTLS', 'STARTTLS', (code) => code === 220);
        replies.detach();
        socket = await upgrade(socket, { ...tlsOptions, host: settings.host, servername });
        socket.setTimeout(TIMEOUT_MS);
        replies = new ReplyReader(socket);
        // RFC 3207: forget what was learnt before TLS and greet again.
        await command(`EHLO ${hostname}`, 'EHLO after STARTTLS', is2xx);
      } else if (mode === 'required') {
        throw new SmtpError('SMTP server does not offer STARTTLS, which SMTP_STARTTLS=required demands', true);
      }
    }
    if (settings.user !== undefined) {
      const token = Buffer.from(`\0${settings.user}\0${settings.password ?? ''}`).toString('base64');
      await command(`AUTH PLAIN ${token}`, 'AUTH', is2xx);
    }
    await command(`MAIL FROM:<${message.from}>`, 'MAIL FROM', is2xx);
    await command(`RCPT TO:<${message.to}>`, 'RCPT TO', is2xx);
    await command('DATA', 'DATA', (code) => code === 354);
    await command(`${formatMessage(message, now, hostname)}\r\n.`, 'message', is2xx);
    socket.write('QUIT\r\n');
    await replies.next().catch(() => undefined);
  } finally {
    socket.destroy();
  }
}

/** Wraps a connected socket in TLS and waits for the handshake; a bad certificate is an SmtpError. */
function upgrade(socket: net.Socket, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({ ...options, socket }, () => {
      secured.off('error', refuse);
      resolve(secured);
    });
    const refuse = (error: Error) => {
      secured.destroy();
      reject(new SmtpError(`SMTP STARTTLS handshake failed: ${error.message}`, false));
    };
    secured.once('error', refuse);
  });
}
