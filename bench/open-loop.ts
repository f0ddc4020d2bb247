/**
 * Open-loop (fixed-rate) load: requests leave on a schedule that does not
 * wait for answers, and each latency is measured from the request's
 * *scheduled* send time. A server stall then shows as many late answers, as
 * real users arriving at that rate would see it, instead of one slow answer
 * and a silent pause in sending (coordinated omission, which the closed loop
 * suffers). The scheduling and accounting here take the clock and the timer
 * as arguments, so tests check the arithmetic without real time;
 * `load.worker.ts` runs them with `performance.now()` and `node:http`.
 */
import { Histogram, type HistogramData } from './histogram.ts';

/** Send lag (actual send − scheduled send) the client may show at p99 and still count as keeping up. */
export const CLIENT_LAG_TOLERANCE_MS = 5;

/**
 * Request `i` (0-based) is due at `startMs + i × 1000 / rate`, for every `i`
 * whose time falls before `startMs + seconds × 1000`: requests spread evenly,
 * `ceil(seconds × rate)` of them.
 *
 * @example
 * const schedule = new FixedRateSchedule(500, 0, 1);
 * schedule.total; // 500
 * schedule.timeOf(3); // 6 (ms)
 * schedule.dueBy(6); // 4: requests 0..3 are due at 6 ms
 */
export class FixedRateSchedule {
  readonly rate: number;
  readonly startMs: number;
  readonly seconds: number;
  readonly intervalMs: number;
  readonly total: number;

  constructor(rate: number, startMs: number, seconds: number) {
    if (!(Number.isFinite(rate) && rate > 0)) throw new RangeError(`rate must be above 0, got ${rate}`);
    if (!(Number.isFinite(seconds) && seconds > 0)) throw new RangeError(`seconds must be above 0, got ${seconds}`);
    this.rate = rate;
    this.startMs = startMs;
    this.seconds = seconds;
    this.intervalMs = 1000 / rate;
    // The epsilon keeps float noise (0.1 s × 30/s = 3.0000000000000004) from adding a request.
    this.total = Math.max(1, Math.ceil(seconds * rate - 1e-9));
  }

  /** When request `index` is due, in the clock's milliseconds. */
  timeOf(index: number): number {
    return this.startMs + (index * 1000) / this.rate;
  }

  /** How many requests are due at `nowMs` (those scheduled at or before it), at most `total`. */
  dueBy(nowMs: number): number {
    if (nowMs < this.startMs) return 0;
    return Math.min(this.total, Math.floor(((nowMs - this.startMs) * this.rate) / 1000 + 1e-9) + 1);
  }

  /** The end of the schedule's window. */
  get endMs(): number {
    return this.startMs + this.seconds * 1000;
  }
}

/** How one request ended: an HTTP status and the body's size, or a network error / `timeout`. */
export type Outcome = { readonly status: number; readonly bytes: number } | { readonly error: string };

/** What an open-loop phase measured, as plain data (it crosses the worker boundary). */
export interface OpenLoopData {
  /** Offered rate, requests per second. */
  readonly rate: number;
  /** Length of the schedule's window, seconds. */
  readonly seconds: number;
  /** Requests the schedule held, and how many the client sent. */
  readonly scheduled: number;
  readonly sent: number;
  /** Actual send − scheduled send, µs: how late the client itself was. */
  readonly lag: HistogramData;
  /** Answer − actual send, µs: the server's part alone (what a closed loop would report). */
  readonly service: HistogramData;
  /** Most requests outstanding at once, and the sockets the client could use. */
  readonly maxInFlight: number;
  readonly sockets: number;
}

/**
 * Counts one open-loop phase. `histogram` holds the latency of every
 * successful answer from its *scheduled* send time (what is reported);
 * `service` from its actual send; `lag` how late each send left.
 */
export class OpenLoopTally {
  ok = 0;
  bytes = 0;
  sent = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** When the last answer (or error) of this phase arrived. */
  lastDoneMs = -Infinity;
  readonly errors = new Map<string, number>();
  readonly histogram = new Histogram();
  readonly service = new Histogram();
  readonly lag = new Histogram();
  readonly schedule: FixedRateSchedule;
  readonly sockets: number;
  readonly #isExpected: (status: number) => boolean;

  constructor(schedule: FixedRateSchedule, sockets: number, isExpected: (status: number) => boolean) {
    this.schedule = schedule;
    this.sockets = sockets;
    this.#isExpected = isExpected;
  }

  /** Request `index` left at `sentMs`. */
  onSend(index: number, sentMs: number): void {
    this.sent += 1;
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    this.lag.record((sentMs - this.schedule.timeOf(index)) * 1000);
  }

  /** Request `index`, sent at `sentMs`, ended at `doneMs` with `outcome`. */
  onDone(index: number, sentMs: number, doneMs: number, outcome: Outcome): void {
    this.inFlight -= 1;
    if (doneMs > this.lastDoneMs) this.lastDoneMs = doneMs;
    const kind =
      'error' in outcome ? outcome.error : this.#isExpected(outcome.status) ? undefined : `status ${outcome.status}`;
    if (kind !== undefined) {
      this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
      return;
    }
    this.ok += 1;
    this.bytes += (outcome as { bytes: number }).bytes;
    this.histogram.record((doneMs - this.schedule.timeOf(index)) * 1000);
    this.service.record((doneMs - sentMs) * 1000);
  }

  /** From the schedule's start until its window closed or the last answer came, whichever is later. */
  get elapsedMs(): number {
    return Math.max(this.schedule.endMs, this.lastDoneMs) - this.schedule.startMs;
  }

  toData(): OpenLoopData {
    return {
      rate: this.schedule.rate,
      seconds: this.schedule.seconds,
      scheduled: this.schedule.total,
      sent: this.sent,
      lag: this.lag.toData(),
      service: this.service.toData(),
      maxInFlight: this.maxInFlight,
      sockets: this.sockets,
    };
  }
}

/**
 * Whether the client kept to its schedule, so the latencies are the
 * server's: every scheduled request sent, sends late by at most
 * `CLIENT_LAG_TOLERANCE_MS` at p99, and never every socket busy (a request
 * waiting for a free socket is the client limiting the rate).
 */
export function keptUp(
  data: Pick<OpenLoopData, 'scheduled' | 'sent' | 'maxInFlight' | 'sockets'>,
  lag: Histogram,
): boolean {
  return (
    data.sent === data.scheduled &&
    lag.percentile(99) <= CLIENT_LAG_TOLERANCE_MS * 1000 &&
    data.maxInFlight < data.sockets
  );
}

/** The clock and timer a phase runs on: `performance.now()` and `setTimeout` in the worker, fakes in tests. */
export interface OpenLoopClock {
  now(): number;
  /** Resolves at (or after) `atMs`. */
  sleepUntil(atMs: number): Promise<void>;
}

/**
 * Sends every request of `tally.schedule` when it is due, whatever is still
 * outstanding, and resolves once every answer is in. Requests that fell due
 * while the client was late leave at once, in order; their lateness counts
 * in their latency (it is measured from the scheduled time).
 */
export async function driveOpenLoop(
  tally: OpenLoopTally,
  clock: OpenLoopClock,
  send: (index: number) => Promise<Outcome>,
): Promise<void> {
  const { schedule } = tally;
  const outstanding = new Set<Promise<void>>();
  let next = 0;
  while (next < schedule.total) {
    const due = schedule.dueBy(clock.now());
    for (; next < due; next++) {
      const index = next;
      const sentMs = clock.now();
      tally.onSend(index, sentMs);
      const done: Promise<void> = send(index).then(
        (outcome) => tally.onDone(index, sentMs, clock.now(), outcome),
        (error: unknown) => tally.onDone(index, sentMs, clock.now(), { error: String(error) }),
      );
      outstanding.add(done);
      void done.finally(() => outstanding.delete(done));
    }
    if (next < schedule.total) await clock.sleepUntil(schedule.timeOf(next));
  }
  await Promise.all(outstanding);
}
