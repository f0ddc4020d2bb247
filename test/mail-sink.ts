import net from 'node:net';

/** A loopback SMTP server for tests of mail delivery: it keeps what came after each DATA. */
export interface MailSink {
  readonly port: number;
  /** While set, every session is refused with 554 (a permanent failure); otherwise mail is accepted. */
  refuse: boolean;
  readonly received: string[];
  close(): Promise<void>;
}

/** Starts a sink on a free port; `refuse` starts it refusing (to test failed deliveries first). */
export async function startMailSink(options: { refuse?: boolean } = {}): Promise<MailSink> {
  const received: string[] = [];
  let refuse = options.refuse ?? false;
  const server = net.createServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (refuse) {
      socket.end('554 no service here\r\n');
      return;
    }
    let buffer = '';
    let inData = false;
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          received.push(buffer.slice(0, end));
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
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
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
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
