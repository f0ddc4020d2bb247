/**
 * Reading messages on two cores. Reading (segmentation, places, names,
 * problem words) is about 60 % of a large hot-issue run and each message is
 * read on its own, so once a run is large (`parallelFrom` messages) a worker
 * thread (`reading.worker.ts`) reads every other batch while this thread
 * reads the rest. The worker has its own token ids; batches come back as
 * typed arrays with the words the worker met for the first time, and are
 * handed on strictly in input order, so the clusterer can give every token
 * the id it would have had from one reader (`createClusterer` translates):
 * the clusters are the same, in the same order.
 *
 * The interface stays synchronous (`add`, then `finish`): replies are taken
 * with `receiveMessageOnPort`, and the main thread blocks on a shared counter
 * only when it must (the batch it needs next is the worker's, or too many
 * batches wait). Memory stays bounded: at most `IN_FLIGHT` batches are with
 * the worker and at most `MAX_WAITING` read batches wait for an earlier one.
 * A worker that fails or stops answering is dropped and its batches are
 * read here.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { BODY_PREFIX_CHARS, shareReaderLexicon, type PlaceSpan, type ReadMessage, type TokenReader } from './message-terms.ts';

/** Messages per batch sent to the worker (as `minxin hot` and the bench hand them over). */
export const READ_BATCH = 500;
/** Batches with the worker at once: one being read and two queued, so it never idles while this thread is descheduled. */
const IN_FLIGHT = 3;
/** Read batches waiting for an earlier batch before this thread waits for the worker. */
const MAX_WAITING = 16;
/** Silence after which the worker counts as stuck and its batches are read here. */
const STUCK_MS = 60_000;

/** A batch sent to the worker: titles and body starts back to back, with their lengths. */
export interface WorkerBatch {
  readonly seq: number;
  readonly text: string;
  /** Title length, body length, per message. */
  readonly lengths: Int32Array;
}

/** A batch read by the worker, flat: per message 5 counts (tokens, title tokens, places, names, areas). */
export interface EncodedBatch {
  readonly type: 'read';
  readonly seq: number;
  /** Words the worker's reader met for the first time in this batch, in its id order. */
  readonly words: readonly string[];
  readonly counts: Int32Array<ArrayBuffer>;
  readonly tokens: Int32Array<ArrayBuffer>;
  readonly roles: Uint8Array<ArrayBuffer>;
  /** Start and end token of each place. */
  readonly spans: Int32Array<ArrayBuffer>;
  /** Per message its places' texts, then its names, then its areas. */
  readonly strings: readonly string[];
}

export type WorkerReply = { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string } | EncodedBatch;

/** Packs read messages into a few typed arrays (transferred, not copied) and one string list. */
export function encodeBatch(seq: number, reads: readonly ReadMessage[], words: readonly string[]): EncodedBatch {
  let tokenCount = 0;
  let placeCount = 0;
  for (const read of reads) {
    tokenCount += read.tokens.length;
    placeCount += read.places.length;
  }
  const counts = new Int32Array(reads.length * 5);
  const tokens = new Int32Array(tokenCount);
  const roles = new Uint8Array(tokenCount);
  const spans = new Int32Array(placeCount * 2);
  const strings: string[] = [];
  let at = 0;
  let span = 0;
  reads.forEach((read, k) => {
    counts.set([read.tokens.length, read.titleTokens, read.places.length, read.names.length, read.areas.length], k * 5);
    tokens.set(read.tokens, at);
    roles.set(read.roles, at);
    at += read.tokens.length;
    for (const place of read.places) {
      spans[span++] = place.start;
      spans[span++] = place.end;
      strings.push(place.text);
    }
    strings.push(...read.names, ...read.areas);
  });
  return { type: 'read', seq, words, counts, tokens, roles, spans, strings };
}

/** Unpacks `encodeBatch`; the messages' arrays are views of the batch's. */
export function decodeBatch(batch: EncodedBatch): ReadMessage[] {
  const reads: ReadMessage[] = [];
  let at = 0;
  let span = 0;
  let string = 0;
  for (let k = 0; k < batch.counts.length; k += 5) {
    const { counts } = batch;
    const tokenCount = counts[k]!;
    const titleTokens = counts[k + 1]!;
    const placeCount = counts[k + 2]!;
    const nameCount = counts[k + 3]!;
    const areaCount = counts[k + 4]!;
    const places: PlaceSpan[] = [];
    for (let p = 0; p < placeCount; p++, span += 2) places.push({ text: batch.strings[string++]!, start: batch.spans[span]!, end: batch.spans[span + 1]! });
    const names = batch.strings.slice(string, (string += nameCount));
    const areas = batch.strings.slice(string, (string += areaCount));
    reads.push({ tokens: batch.tokens.subarray(at, at + tokenCount), titleTokens, roles: batch.roles.subarray(at, at + tokenCount), places, names, areas });
    at += tokenCount;
  }
  return reads;
}

/** What a reading source hands on: the message's index in input order, its reading, and the words its token ids stand for. */
export type KeepRead = (index: number, read: ReadMessage, source: ReadingSource) => void;

/** Who read a message: this thread's reader or the worker (each with its own token ids). */
export interface ReadingSource {
  readonly id: 0 | 1;
  /** Token text by the source's own id. */
  readonly words: readonly string[];
}

export interface ParallelReadingOptions {
  /** Threads that read: 1 (this one) or 2 (plus a worker). Default: 2 when the machine has two cores or more. */
  readonly threads?: number;
  /** Messages added before the worker is started: a small run does not pay its start-up. Default 5,000. */
  readonly parallelFrom?: number;
  /** Messages per batch handed to a thread. Default `READ_BATCH`. */
  readonly batch?: number;
  /** Block until the worker is up when it is started (tests); a real run reads on meanwhile. */
  readonly awaitWorker?: boolean;
}

interface Slot {
  readonly seq: number;
  readonly first: number;
  /** The input, kept while the worker has it (read here if the worker fails). */
  readonly titles: readonly string[];
  readonly bodies: readonly string[];
  reads?: readonly ReadMessage[];
  source?: ReadingSource;
}

/**
 * Reads messages in batches on this thread and, for large runs, a worker
 * thread, and hands each reading on in input order (`keep`).
 */
export class ParallelReading {
  readonly #reader: TokenReader;
  readonly #keep: KeepRead;
  readonly #threads: number;
  readonly #parallelFrom: number;
  readonly #batch: number;
  readonly #awaitWorker: boolean;
  readonly #local: ReadingSource;
  #added = 0;
  #seq = 0;
  #pending: { title: string; body: string }[] = [];
  readonly #slots: Slot[] = [];
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #signal: Int32Array | undefined;
  #ready = false;
  #started = false;
  #inFlight = 0;
  readonly #workerWords: string[] = [];
  #readInWorker = 0;
  #waitedMs = 0;

  constructor(reader: TokenReader, keep: KeepRead, options: ParallelReadingOptions = {}) {
    this.#reader = reader;
    this.#keep = keep;
    this.#threads = Math.max(1, Math.min(2, options.threads ?? Math.min(2, availableParallelism())));
    this.#parallelFrom = options.parallelFrom ?? 5_000;
    this.#batch = Math.max(1, options.batch ?? READ_BATCH);
    this.#awaitWorker = options.awaitWorker ?? false;
    this.#local = { id: 0, words: reader.words };
  }

  /** Threads reading now: 2 once the worker has started and answered, else 1. */
  get threads(): number {
    return this.#ready ? 2 : 1;
  }

  /** Messages the worker read (the rest were read on this thread). */
  get readInWorker(): number {
    return this.#readInWorker;
  }

  /** Milliseconds this thread spent blocked waiting for the worker (start-up included when `awaitWorker`). */
  get waitedMs(): number {
    return this.#waitedMs;
  }

  /** Adds messages in input order; small runs are read at once, large ones in batches shared with the worker. */
  add(messages: readonly { readonly title: string; readonly body: string }[]): void {
    if (!this.#started && this.#threads > 1 && this.#added + messages.length >= this.#parallelFrom) this.#start();
    if (!this.#worker && this.#pending.length === 0) {
      // One thread: read and keep at once, as a plain reader would.
      const reads = this.#reader.readMany(messages);
      reads.forEach((read, k) => this.#keep(this.#added + k, read, this.#local));
      this.#added += messages.length;
      return;
    }
    for (const message of messages) {
      this.#pending.push(message);
      if (this.#pending.length === this.#batch) this.#dispatch();
    }
  }

  /** Reads what is left, waits for the worker's batches, hands everything on and stops the worker. */
  finish(): void {
    if (this.#pending.length > 0) this.#dispatch();
    while (this.#slots.length > 0) this.#waitForHead();
    this.#stop();
  }

  #start(): void {
    this.#started = true;
    try {
      const { port1, port2 } = new MessageChannel();
      const signal = new SharedArrayBuffer(4);
      this.#worker = new Worker(new URL('./reading.worker.ts', import.meta.url), {
        workerData: { lexicon: shareReaderLexicon(), port: port2, signal },
        transferList: [port2],
      });
      // Failures are seen through the port or as silence; an 'error' event must not crash the process.
      this.#worker.on('error', () => {});
      this.#worker.unref();
      this.#port = port1;
      this.#signal = new Int32Array(signal);
    } catch {
      this.#worker = undefined;
      return;
    }
    if (this.#awaitWorker) this.#waitUntil(() => this.#ready);
  }

  /** Sends the pending batch to the worker if it has room, else reads it here; then hands on what is ready in order. */
  #dispatch(): void {
    const batch = this.#pending;
    this.#pending = [];
    const slot: Slot = { seq: this.#seq++, first: this.#added, titles: batch.map((message) => message.title), bodies: batch.map((message) => message.body.slice(0, BODY_PREFIX_CHARS)) };
    this.#added += batch.length;
    this.#slots.push(slot);
    this.#receive();
    if (this.#worker && this.#ready && this.#inFlight < IN_FLIGHT) {
      const lengths = new Int32Array(batch.length * 2);
      slot.titles.forEach((title, k) => {
        lengths[2 * k] = title.length;
        lengths[2 * k + 1] = slot.bodies[k]!.length;
      });
      let text = '';
      for (let k = 0; k < batch.length; k++) text += slot.titles[k]! + slot.bodies[k]!;
      this.#worker.postMessage({ seq: slot.seq, text, lengths } satisfies WorkerBatch, [lengths.buffer]);
      this.#inFlight++;
    } else this.#readHere(slot);
    this.#handOn();
    while (this.#slots.length > MAX_WAITING) this.#waitForHead();
  }

  #readHere(slot: Slot): void {
    slot.reads = slot.titles.map((title, k) => this.#reader.read(title, slot.bodies[k]!));
    slot.source = this.#local;
  }

  /** Takes every reply the worker has posted so far (never blocks). */
  #receive(): void {
    if (!this.#port) return;
    for (let reply = receiveMessageOnPort(this.#port); reply; reply = receiveMessageOnPort(this.#port)) {
      const message = reply.message as WorkerReply;
      if (message.type === 'ready') this.#ready = true;
      else if (message.type === 'error') this.#fail();
      else {
        for (const word of message.words) this.#workerWords.push(word);
        const slot = this.#slots.find((candidate) => candidate.seq === message.seq);
        if (!slot) continue;
        slot.reads = decodeBatch(message);
        slot.source = { id: 1, words: this.#workerWords };
        this.#readInWorker += slot.reads.length;
        this.#inFlight--;
      }
      if (!this.#port) return;
    }
  }

  /** Hands on the read batches at the head of the queue, in order. */
  #handOn(): void {
    while (this.#slots.length > 0 && this.#slots[0]!.reads) {
      const slot = this.#slots.shift()!;
      slot.reads!.forEach((read, k) => this.#keep(slot.first + k, read, slot.source!));
    }
  }

  /** Blocks until the batch at the head is read (by the worker, or here if it fails) and hands it on. */
  #waitForHead(): void {
    this.#waitUntil(() => this.#slots.length === 0 || this.#slots[0]!.reads !== undefined);
    this.#handOn();
  }

  /** Takes the worker's replies, blocking between them, until `done()` or the worker has failed (its batches then read here). */
  #waitUntil(done: () => boolean): void {
    let silentSince = Date.now();
    for (;;) {
      const seen = this.#signal ? Atomics.load(this.#signal, 0) : 0;
      this.#receive();
      if (done()) return;
      if (!this.#worker || !this.#signal) {
        this.#fail();
        return;
      }
      // A short wait at a time, so a worker that died (its thread id becomes -1) is noticed soon.
      const blocked = performance.now();
      const woken = Atomics.wait(this.#signal, 0, seen, 100) !== 'timed-out';
      this.#waitedMs += performance.now() - blocked;
      if (woken) silentSince = Date.now();
      else if (this.#worker.threadId === -1 || Date.now() - silentSince > STUCK_MS) {
        this.#fail();
        return;
      }
    }
  }

  /** Drops the worker and reads its batches here. */
  #fail(): void {
    this.#stop();
    for (const slot of this.#slots) if (!slot.reads) this.#readHere(slot);
  }

  #stop(): void {
    if (this.#worker) void this.#worker.terminate();
    this.#port?.close();
    this.#worker = undefined;
    this.#port = undefined;
    this.#signal = undefined;
    this.#ready = false;
    this.#inFlight = 0;
  }
}
