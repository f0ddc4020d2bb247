import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { finished, Readable } from 'node:stream';

/** Where a table's bytes come from; `name` is what error messages call the file. */
export type TabularSource = { name: string; bytes: Uint8Array } | { name: string; path: string };

/** Enough to sniff the format, the encoding and the delimiter in one read. */
export const SAMPLE_SIZE = 1024 * 1024;

/** The first SAMPLE_SIZE bytes (fewer when the file is shorter). */
export async function readSample(source: TabularSource): Promise<Uint8Array> {
  if ('bytes' in source) return source.bytes.subarray(0, SAMPLE_SIZE);
  const handle = await open(source.path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_SIZE);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_SIZE, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A fresh stream over all the bytes; a path is read in chunks, never whole. */
export function openByteStream(source: TabularSource): Readable {
  if ('path' in source) return createReadStream(source.path);
  // One chunk; Readable.from would iterate a Uint8Array byte by byte.
  return Readable.from([Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength)]);
}

/**
 * Iterates an object-mode stream in batches of whatever it has buffered, so a
 * million records cost thousands of awaits rather than a million (each await
 * is expensive when async hooks are on, as under a tracer or `node --test`).
 * The stream is destroyed when the iteration stops early.
 */
export async function* readInBatches<T>(stream: Readable): AsyncGenerator<T[], void, undefined> {
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  stream.on('readable', notify);
  const stopWatching = finished(stream, { writable: false }, (error) => {
    if (error) failure = error;
    ended = true;
    notify();
  });
  try {
    for (;;) {
      const batch: T[] = [];
      for (let item: T | null; (item = stream.destroyed ? null : (stream.read() as T | null)) !== null;) {
        batch.push(item);
      }
      if (batch.length > 0) yield batch;
      else if (failure !== undefined) throw failure;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off('readable', notify);
    stopWatching();
    if (!ended) stream.destroy();
  }
}
