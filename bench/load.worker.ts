// The load generator's body, run by `runLoad` (load.ts) in a worker thread so
// the client never shares an event loop with the server it measures: a closed
// loop (`connections` connections, one request in flight each) or, with
// `rate`, an open loop (open-loop.ts) on up to `connections` sockets.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Histogram } from './histogram.ts';
import type { WorkerInput, WorkerMessage } from './load.ts';
import { driveOpenLoop, FixedRateSchedule, OpenLoopTally, type OpenLoopClock, type Outcome } from './open-loop.ts';

/** The only host the generator talks to. */
const LOOPBACK = '127.0.0.1';

interface Prepared {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

interface Tally {
  ok: number;
  bytes: number;
  readonly errors: Map<string, number>;
  readonly histogram: Histogram;
}

const input = workerData as WorkerInput;
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

const agent = new http.Agent({ keepAlive: true, maxSockets: input.connections, maxFreeSockets: input.connections });
let connectionsOpened = 0;
let nextRequest = 0;
const prepared: Prepared[] = input.requests.map((request) => {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string> = { ...request.headers };
  if (body) headers['content-length'] = String(body.length);
  return { method: request.method ?? 'GET', path: request.path, headers, body };
});
const isExpected = input.expectStatus
  ? (status: number) => input.expectStatus!.includes(status)
  : (status: number) => status >= 200 && status < 300;

function send(request: Prepared): Promise<Outcome> {
  return new Promise((resolve) => {
    let done = false;
    let timedOut = false;
    // From the send call, not from getting a socket: in an open loop a request may wait for a socket.
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, input.timeoutMs);
    const settle = (outcome: Outcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = http.request(
      { agent, host: LOOPBACK, port: input.port, method: request.method, path: request.path, headers: request.headers },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => settle({ status: res.statusCode ?? 0, bytes }));
        res.on('error', (error: NodeJS.ErrnoException) =>
          settle({ error: timedOut ? 'timeout' : (error.code ?? error.message) }),
        );
      },
    );
    req.on('socket', () => {
      if (!req.reusedSocket) connectionsOpened += 1;
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ error: timedOut ? 'timeout' : (error.code ?? error.message) }),
    );
    req.end(request.body);
  });
}

/** One connection's closed loop: send, wait for the whole answer, record, repeat until the deadline. */
async function drive(deadline: number, tally: Tally): Promise<void> {
  while (performance.now() < deadline) {
    const request = prepared[nextRequest++ % prepared.length]!;
    const start = performance.now();
    const outcome = await send(request);
    const micros = (performance.now() - start) * 1000;
    if ('error' in outcome) {
      tally.errors.set(outcome.error, (tally.errors.get(outcome.error) ?? 0) + 1);
    } else if (!isExpected(outcome.status)) {
      const kind = `status ${outcome.status}`;
      tally.errors.set(kind, (tally.errors.get(kind) ?? 0) + 1);
    } else {
      tally.ok += 1;
      tally.bytes += outcome.bytes;
      tally.histogram.record(micros);
    }
  }
}

/** Runs every connection until `seconds` have passed; requests in flight then finish and count. */
async function phase(seconds: number): Promise<{ tally: Tally; elapsedMs: number }> {
  const tally: Tally = { ok: 0, bytes: 0, errors: new Map(), histogram: new Histogram() };
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(Array.from({ length: input.connections }, () => drive(deadline, tally)));
  return { tally, elapsedMs: performance.now() - start };
}

const realClock: OpenLoopClock = {
  now: () => performance.now(),
  sleepUntil: (atMs) => new Promise((resolve) => setTimeout(resolve, Math.max(0, atMs - performance.now()))),
};

/** An open-loop phase at `rate` per second: requests leave on schedule, round-robin, whatever is outstanding. */
async function openPhase(rate: number, seconds: number): Promise<OpenLoopTally> {
  const tally = new OpenLoopTally(
    new FixedRateSchedule(rate, performance.now(), seconds),
    input.connections,
    isExpected,
  );
  await driveOpenLoop(tally, realClock, () => send(prepared[nextRequest++ % prepared.length]!));
  return tally;
}

try {
  if (input.rate !== null) {
    if (input.warmupSeconds > 0) await openPhase(input.rate, input.warmupSeconds);
    post({ type: 'measuring' });
    const cpuAtStart = process.threadCpuUsage();
    const tally = await openPhase(input.rate, input.seconds);
    const cpu = process.threadCpuUsage(cpuAtStart);
    agent.destroy();
    post({
      type: 'done',
      ok: tally.ok,
      errors: Object.fromEntries(tally.errors),
      elapsedMs: tally.elapsedMs,
      histogram: tally.histogram.toData(),
      bytes: tally.bytes,
      connectionsOpened,
      cpuMicros: cpu.user + cpu.system,
      openLoop: tally.toData(),
    });
  } else {
    if (input.warmupSeconds > 0) await phase(input.warmupSeconds);
    post({ type: 'measuring' });
    const cpuAtStart = process.threadCpuUsage();
    const { tally, elapsedMs } = await phase(input.seconds);
    const cpu = process.threadCpuUsage(cpuAtStart);
    agent.destroy();
    post({
      type: 'done',
      ok: tally.ok,
      errors: Object.fromEntries(tally.errors),
      elapsedMs,
      histogram: tally.histogram.toData(),
      bytes: tally.bytes,
      connectionsOpened,
      cpuMicros: cpu.user + cpu.system,
    });
  }
} catch (error) {
  agent.destroy();
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
