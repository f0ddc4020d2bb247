import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Histogram, slotOf, slotTop } from './histogram.ts';
import { mergeLoads, runLoad, summarise, type LoadResult } from './load.ts';
import {
  CLIENT_LAG_TOLERANCE_MS,
  driveOpenLoop,
  FixedRateSchedule,
  keptUp,
  OpenLoopTally,
  type OpenLoopClock,
  type Outcome,
} from './open-loop.ts';

describe('Histogram', () => {
  it('keeps values below 256 µs exact', () => {
    const histogram = new Histogram();
    for (let value = 1; value <= 100; value++) histogram.record(value);
    assert.equal(histogram.count, 100);
    assert.equal(histogram.min, 1);
    assert.equal(histogram.max, 100);
    assert.equal(histogram.mean, 50.5);
    assert.equal(histogram.percentile(50), 50);
    assert.equal(histogram.percentile(90), 90);
    assert.equal(histogram.percentile(99), 99);
    assert.equal(histogram.percentile(100), 100);
    assert.equal(histogram.percentile(0), 1);
  });

  it('never understates a percentile and overstates it by under 1/128', () => {
    const histogram = new Histogram();
    const values: number[] = [];
    let seed = 42;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const value = Math.floor(Math.exp((seed / 2 ** 31) * Math.log(5_000_000))); // 1 µs .. 5 s, log-uniform
      values.push(value);
      histogram.record(value);
    }
    values.sort((a, b) => a - b);
    for (const p of [1, 10, 50, 75, 90, 99, 99.9]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
      const reported = histogram.percentile(p);
      assert.ok(reported >= exact, `p${p}: ${reported} < ${exact}`);
      assert.ok(reported <= exact * (1 + 1 / 128), `p${p}: ${reported} too far above ${exact}`);
    }
    assert.equal(histogram.percentile(100), values.at(-1));
  });

  it('maps every value to a slot whose range holds it, slots contiguous up to 2^32', () => {
    let previousTop = -1;
    for (let slot = 0; slot < slotOf(Histogram.MAX_VALUE) + 1; slot++) {
      const top = slotTop(slot);
      assert.equal(slotOf(previousTop + 1), slot, `first value of slot ${slot}`);
      assert.equal(slotOf(top), slot, `last value of slot ${slot}`);
      previousTop = top;
    }
    assert.equal(previousTop, Histogram.MAX_VALUE);
  });

  it('clamps, rounds, merges and survives a round trip through plain data', () => {
    const a = new Histogram();
    a.record(-5);
    a.record(10.4);
    a.record(Number.MAX_SAFE_INTEGER);
    assert.deepEqual([a.min, a.max], [0, Histogram.MAX_VALUE]);
    const b = new Histogram();
    b.record(1000);
    a.merge(b);
    assert.equal(a.count, 4);
    const copy = Histogram.fromData(JSON.parse(JSON.stringify(a.toData())));
    for (const p of [25, 50, 75, 100]) assert.equal(copy.percentile(p), a.percentile(p));
    assert.equal(copy.mean, a.mean);
  });

  it('reports zeros when empty and refuses percentiles outside 0..100', () => {
    const empty = new Histogram();
    assert.deepEqual(summarise(empty), { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
    assert.throws(() => empty.percentile(101), RangeError);
    assert.throws(() => empty.percentile(Number.NaN), RangeError);
  });
});

describe('mergeLoads', () => {
  const load = (latencies: number[], seconds: number, errors: Record<string, number>, cpu: number): LoadResult => {
    const histogram = new Histogram();
    for (const latency of latencies) histogram.record(latency);
    const total = Object.values(errors).reduce((sum, n) => sum + n, 0);
    return {
      ok: latencies.length,
      errors: { total, byKind: errors },
      elapsedSeconds: seconds,
      throughput: latencies.length / seconds,
      histogram,
      latencyMs: summarise(histogram),
      bytes: latencies.length * 10,
      connectionsOpened: 2,
      workerCpu: cpu,
      callerCpu: cpu,
      machineCpuBusy: cpu,
    };
  };

  it('adds counts, merges latencies and weights CPU shares by time', () => {
    const merged = mergeLoads([
      load([1000, 2000, 3000], 1, { 'status 500': 1 }, 0.2),
      load([4000], 3, { 'status 500': 2, timeout: 1 }, 0.6),
    ]);
    assert.equal(merged.ok, 4);
    assert.equal(merged.elapsedSeconds, 4);
    assert.equal(merged.throughput, 1);
    assert.deepEqual(merged.errors, { total: 4, byKind: { 'status 500': 3, timeout: 1 } });
    assert.equal(merged.histogram.count, 4);
    assert.equal(merged.latencyMs.max, 4);
    assert.equal(merged.bytes, 40);
    assert.equal(merged.connectionsOpened, 4);
    assert.ok(Math.abs(merged.workerCpu - 0.5) < 1e-9);
    assert.throws(() => mergeLoads([]), RangeError);
  });
});

/**
 * Simulated time for the open loop: `sleepUntil` and `after` register timers,
 * and `run` fires them in time order (letting promise callbacks settle
 * between timers) until the work is done. No real waiting, so no timing.
 */
function simulatedTime(lateness: (atMs: number) => number = () => 0) {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const timer = (at: number): Promise<void> => new Promise((resolve) => timers.push({ at, resolve }));
  const clock: OpenLoopClock = { now: () => now, sleepUntil: (atMs) => timer(atMs + lateness(atMs)) };
  return {
    clock,
    after: (ms: number): Promise<void> => timer(now + ms),
    async run(work: Promise<void>): Promise<void> {
      let finished = false;
      void work.then(() => (finished = true));
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (finished) return;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) throw new Error('simulation stuck: nothing scheduled and the work is not done');
        now = Math.max(now, next.at);
        next.resolve();
      }
    },
  };
}

const accept = (status: number): boolean => status >= 200 && status < 300;

describe('FixedRateSchedule', () => {
  it('spreads requests evenly over the window and says how many are due', () => {
    const schedule = new FixedRateSchedule(500, 1000, 1);
    assert.equal(schedule.total, 500);
    assert.equal(schedule.intervalMs, 2);
    assert.equal(schedule.timeOf(0), 1000);
    assert.equal(schedule.timeOf(3), 1006);
    assert.equal(schedule.endMs, 2000);
    assert.equal(schedule.dueBy(999.9), 0);
    assert.equal(schedule.dueBy(1000), 1);
    assert.equal(schedule.dueBy(1005.9), 3);
    assert.equal(schedule.dueBy(1006), 4, 'a request is due at its own time');
    assert.equal(schedule.dueBy(5000), 500, 'never more than the schedule holds');
  });

  it('is not thrown off by float noise and refuses nonsense', () => {
    assert.equal(new FixedRateSchedule(30, 0, 0.1).total, 3);
    const third = new FixedRateSchedule(3, 0, 1);
    assert.equal(third.dueBy(third.timeOf(2)), 3);
    assert.equal(new FixedRateSchedule(1, 0, 0.2).total, 1, 'at least one request');
    assert.throws(() => new FixedRateSchedule(0, 0, 1), RangeError);
    assert.throws(() => new FixedRateSchedule(10, 0, -1), RangeError);
  });
});

describe('OpenLoopTally', () => {
  it('measures latency from the scheduled send, service time from the actual one', () => {
    const tally = new OpenLoopTally(new FixedRateSchedule(100, 0, 0.05), 8, accept); // due at 0, 10, 20, 30, 40 ms
    tally.onSend(0, 0);
    tally.onSend(1, 13); // the client was 3 ms late
    tally.onDone(0, 0, 5, { status: 201, bytes: 10 });
    tally.onDone(1, 13, 20, { status: 201, bytes: 10 });
    tally.onSend(2, 20);
    tally.onDone(2, 20, 25, { status: 500, bytes: 0 });
    tally.onSend(3, 30);
    tally.onDone(3, 30, 90, { error: 'timeout' });
    assert.equal(tally.ok, 2);
    assert.equal(tally.bytes, 20);
    assert.deepEqual(Object.fromEntries(tally.errors), { 'status 500': 1, timeout: 1 });
    assert.deepEqual([tally.histogram.min, tally.histogram.max], [5_000, 10_000], 'from scheduled: 5 and 20 − 10 ms');
    assert.deepEqual([tally.service.min, tally.service.max], [5_000, 7_000], 'from actual send: 5 and 20 − 13 ms');
    assert.deepEqual([tally.lag.min, tally.lag.max], [0, 3_000]);
    assert.equal(tally.maxInFlight, 2);
    assert.equal(tally.inFlight, 0);
    assert.equal(tally.elapsedMs, 90, 'until the last answer, past the window');
    const data = tally.toData();
    assert.deepEqual([data.rate, data.scheduled, data.sent, data.sockets], [100, 5, 4, 8]);
    assert.equal(keptUp(data, tally.lag), false, 'one request never sent');
  });

  it('counts as kept up only when every request left on time with a socket to spare', () => {
    const lag = (ms: number): OpenLoopTally['lag'] => {
      const tally = new OpenLoopTally(new FixedRateSchedule(1, 0, 1), 1, accept);
      tally.onSend(0, ms);
      return tally.lag;
    };
    const base = { scheduled: 10, sent: 10, maxInFlight: 3, sockets: 4 };
    assert.equal(keptUp(base, lag(CLIENT_LAG_TOLERANCE_MS)), true);
    assert.equal(keptUp(base, lag(CLIENT_LAG_TOLERANCE_MS + 1)), false, 'sent late');
    assert.equal(keptUp({ ...base, maxInFlight: 4 }, lag(0)), false, 'every socket busy');
    assert.equal(keptUp({ ...base, sent: 9 }, lag(0)), false, 'one short');
  });
});

describe('driveOpenLoop', () => {
  it('keeps sending through a server stall and charges the stall to every request it delays', async () => {
    const time = simulatedTime();
    // A server that answers in 1 ms, except that everything arriving in [100, 200) ms waits until 200 ms.
    const send = async (): Promise<Outcome> => {
      const arrived = time.clock.now();
      await time.after((arrived >= 100 && arrived < 200 ? 200 - arrived : 0) + 1);
      return { status: 200, bytes: 2 };
    };
    const tally = new OpenLoopTally(new FixedRateSchedule(100, 0, 0.5), 64, accept); // every 10 ms, 50 requests
    await time.run(driveOpenLoop(tally, time.clock, send));
    assert.equal(tally.sent, 50);
    assert.equal(tally.ok, 50);
    assert.equal(tally.lag.max, 0, 'the client never fell behind');
    // Requests due at 100, 110, …, 190 ms all answer at 201 ms: ten latencies from 101 down to 11 ms.
    assert.equal(tally.histogram.max, 101_000);
    assert.equal(tally.histogram.count, 50);
    // Buckets above 256 µs are 1/128 wide and a percentile reports a bucket's top.
    assert.ok(tally.histogram.percentile(80) <= 1_010, 'four fifths answered in 1 ms');
    assert.ok(tally.histogram.percentile(82) > 1_010, 'the other fifth was delayed by the stall');
    assert.equal(tally.maxInFlight, 11, 'the ten stalled requests, and the one sent at 200 ms');
    assert.equal(tally.elapsedMs, 500);
    assert.equal(keptUp(tally.toData(), tally.lag), true);
  });

  it('sends what fell due at once when the client wakes late, and counts the lateness in the latency', async () => {
    // The client's timer fires 30 ms late once, at the wake-up meant for 50 ms.
    const time = simulatedTime((atMs) => (atMs === 50 ? 30 : 0));
    const sends: number[] = [];
    const send = async (): Promise<Outcome> => {
      sends.push(time.clock.now());
      await time.after(2);
      return { status: 200, bytes: 2 };
    };
    const tally = new OpenLoopTally(new FixedRateSchedule(100, 0, 0.12), 64, accept);
    await time.run(driveOpenLoop(tally, time.clock, send));
    assert.deepEqual(sends, [0, 10, 20, 30, 40, 80, 80, 80, 80, 90, 100, 110]);
    assert.equal(tally.lag.max, 30_000);
    assert.equal(tally.histogram.max, 32_000, 'due at 50, answered at 82');
    assert.equal(tally.service.max, 2_000, 'the server alone never took more than 2 ms');
    assert.equal(keptUp(tally.toData(), tally.lag), false);
  });

  it('counts a rejected send as an error and still finishes', async () => {
    const time = simulatedTime();
    const tally = new OpenLoopTally(new FixedRateSchedule(10, 0, 0.3), 4, accept);
    await time.run(driveOpenLoop(tally, time.clock, async () => Promise.reject(new Error('boom'))));
    assert.equal(tally.sent, 3);
    assert.equal(tally.ok, 0);
    assert.deepEqual(Object.fromEntries(tally.errors), { 'Error: boom': 3 });
  });
});

describe('runLoad', () => {
  it('drives a local server on keep-alive connections and accounts for every request', async () => {
    let served = 0;
    const server = http.createServer((request, response) => {
      served += 1;
      if (request.url === '/missing') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await runLoad({
        port,
        requests: [{ path: '/a' }, { path: '/b' }, { path: '/missing' }],
        connections: 4,
        seconds: 0.8,
        warmupSeconds: 0.2,
      });
      assert.ok(result.ok > 0, 'some requests succeeded');
      assert.equal(result.histogram.count, result.ok, 'one latency per success');
      assert.equal(result.bytes, result.ok * '{"ok":true}'.length);
      // Round-robin over three paths: one in three is the 404, give or take one per connection.
      assert.deepEqual(Object.keys(result.errors.byKind), ['status 404']);
      assert.ok(
        Math.abs(result.errors.total * 2 - result.ok) <= 2 * 4,
        `${result.errors.total} errors vs ${result.ok} ok`,
      );
      // The server saw the warm-up too, so at least every measured request.
      assert.ok(served >= result.ok + result.errors.total);
      assert.equal(result.connectionsOpened, 4, 'keep-alive: one connection each, reused across both phases');
      assert.ok(result.elapsedSeconds > 0);
      assert.ok(result.throughput > 0);
      const { p50, p90, p99, max } = result.latencyMs;
      assert.ok(p50 <= p90 && p90 <= p99 && p99 <= max, `ordered percentiles ${JSON.stringify(result.latencyMs)}`);
      assert.ok(result.workerCpu > 0, 'the client thread did some work');
      assert.ok(
        result.machineCpuBusy >= 0 && result.machineCpuBusy <= 1,
        `machine busy share ${result.machineCpuBusy}`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('counts refused connections as errors and still stops by itself', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const result = await runLoad({ port, requests: [{ path: '/' }], connections: 2, seconds: 0.2 });
    assert.equal(result.ok, 0);
    assert.ok(result.errors.total > 0);
    assert.deepEqual(Object.keys(result.errors.byKind), ['ECONNREFUSED']);
  });

  it('sends on a fixed schedule in open-loop mode and accounts for every scheduled request', async () => {
    const server = http.createServer((_request, response) => response.writeHead(201).end('{"id":1}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await runLoad({
        port,
        requests: [{ method: 'POST', path: '/m', body: '{}' }],
        connections: 64,
        rate: 200,
        seconds: 0.5,
        warmupSeconds: 0.1,
      });
      const open = result.openLoop!;
      assert.equal(open.scheduled, 100);
      assert.equal(open.sent, 100, 'the schedule does not wait for answers');
      assert.equal(result.ok + result.errors.total, 100);
      assert.equal(result.histogram.count, result.ok);
      assert.equal(open.service.count, result.ok);
      assert.equal(open.lag.count, 100);
      assert.equal(open.rate, 200);
      assert.equal(open.sockets, 64);
      assert.ok(result.connectionsOpened >= 1 && result.connectionsOpened <= 64);
      assert.equal(typeof open.keptUp, 'boolean');
      const merged = mergeLoads([result, result]);
      assert.equal(merged.openLoop!.scheduled, 200);
      assert.equal(merged.openLoop!.seconds, 1);
      assert.equal(merged.openLoop!.rate, 200);
      assert.throws(() => mergeLoads([result, { ...result, openLoop: undefined }]), RangeError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses options outside its bounds', () => {
    assert.throws(() => runLoad({ port: 80, requests: [], connections: 1, seconds: 1 }), RangeError);
    assert.throws(() => runLoad({ port: 80, requests: [{ path: '/' }], connections: 0, seconds: 1 }), RangeError);
    assert.throws(() => runLoad({ port: 80, requests: [{ path: '/' }], connections: 1, seconds: 86_400 }), RangeError);
    assert.throws(
      () => runLoad({ port: 80, requests: [{ path: 'http://example.com/' }], connections: 1, seconds: 1 }),
      RangeError,
    );
    assert.throws(
      () => runLoad({ port: 80, requests: [{ path: '/' }], connections: 1, seconds: 1, rate: 0 }),
      RangeError,
    );
  });

  it('rejects when aborted', async () => {
    const server = http.createServer((_request, response) => response.end('x'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const controller = new AbortController();
      const run = runLoad({ port, requests: [{ path: '/' }], connections: 1, seconds: 60, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(run, /aborted/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
