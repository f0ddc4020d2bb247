import net from 'node:net';

/** One message as the sink received it: the envelope and what came after DATA (dot-stuffing undone). */
export interface SunkMail {
  readonly from: string;
  readonly to: string[];
  readonly data: string;
}

/** A loopback SMTP server for tests of mail delivery. */
export interface MailSink {
  readonly port: number;
  /** While set, every session is refused with 554 (a permanent failure); otherwise mail is accepted. */
  refuse: boolean;
  readonly mails: SunkMail[];
  close(): Promise<void>;
}

/**
 * Starts a sink on a free port; `refuse` starts it refusing (to test failed
 * deliveries first). It answers the commands our client sends (EHLO, AUTH
 * PLAIN, MAIL FROM, RCPT TO, DATA, QUIT) and 500 to anything else.
 */
export async function startMailSink(options: { refuse?: boolean } = {}): Promise<MailSink> {
  const mails: SunkMail[] = [];
  let refuse = options.refuse ?? false;
  const server = net.createServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (refuse) {
      socket.end('554 no service here\r\n');
      return;
    }
    let buffer = '';
    let inData = false;
    let envelope = { from: '', to: [] as string[] };
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mails.push({ ...envelope, data: buffer.slice(0, end).replace(/^\.\./gm, '.') });
          envelope = { from: '', to: [] };
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 queued\r\n');
          continue;
        }
        const index = buffer.indexOf('\r\n');
        if (index < 0) return;
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (/^EHLO/i.test(line)) socket.write('250-sink\r\n250 AUTH PLAIN\r\n');
        else if (/^AUTH PLAIN /i.test(line)) socket.write('235 ok\r\n');
        else if (/^MAIL FROM:/i.test(line)) {
          envelope.from = line.slice(10).replace(/[<>]/g, '');
          socket.write('250 ok\r\n');
        } else if (/^RCPT TO:/i.test(line)) {
          envelope.to.push(line.slice(8).replace(/[<>]/g, ''));
          socket.write('250 ok\r\n');
        } else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('500 what\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get refuse() {
      return refuse;
    },
    set refuse(value: boolean) {
      refuse = value;
    },
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
