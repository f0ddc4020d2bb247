import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Histogram, slotOf, slotTop } from './histogram.ts';
import { mergeLoads, runLoad, summarise, type LoadResult } from './load.ts';

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

  it('refuses options outside its bounds', () => {
    assert.throws(() => runLoad({ port: 80, requests: [], connections: 1, seconds: 1 }), RangeError);
    assert.throws(() => runLoad({ port: 80, requests: [{ path: '/' }], connections: 0, seconds: 1 }), RangeError);
    assert.throws(() => runLoad({ port: 80, requests: [{ path: '/' }], connections: 1, seconds: 86_400 }), RangeError);
    assert.throws(
      () => runLoad({ port: 80, requests: [{ path: 'http://example.com/' }], connections: 1, seconds: 1 }),
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
