/**
 * The second reader of a large hot-issue run (`parallel-reading.ts`): reads
 * the batches of messages it is sent with its own token ids and posts each
 * batch back as typed arrays on the port it was given, bumping the shared
 * counter so that the main thread, waiting synchronously, wakes up.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createReader, type SharedReaderLexicon } from './message-terms.ts';
import { encodeBatch, type WorkerBatch, type WorkerReply } from './parallel-reading.ts';

const { lexicon, port, signal } = workerData as { lexicon: SharedReaderLexicon; port: MessagePort; signal: SharedArrayBuffer };
const counter = new Int32Array(signal);

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

try {
  const reader = createReader(lexicon);
  let sentWords = 0;
  reply({ type: 'ready' });
  parentPort!.on('message', (batch: WorkerBatch) => {
    try {
      const reads = [];
      let at = 0;
      for (let k = 0; k < batch.lengths.length; k += 2) {
        const title = batch.text.slice(at, (at += batch.lengths[k]!));
        const body = batch.text.slice(at, (at += batch.lengths[k + 1]!));
        reads.push(reader.read(title, body));
      }
      const words = reader.words.slice(sentWords);
      sentWords = reader.words.length;
      const encoded = encodeBatch(batch.seq, reads, words);
      reply(encoded, [encoded.counts.buffer, encoded.tokens.buffer, encoded.roles.buffer, encoded.spans.buffer]);
    } catch (error) {
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
} catch (error) {
  reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
