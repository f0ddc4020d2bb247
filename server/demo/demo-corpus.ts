/**
 * The real citizen messages and government replies the demo city's history is
 * drawn from: derived once from the teddy2020 data by
 * `scripts/build-demo-corpus.ts` and shipped as `demo-corpus.json.gz` next to
 * this file (server/demo/README.md says where it came from).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** One message: texts masked, place names already the demo city's. */
export interface DemoCorpusMessage {
  readonly title: string;
  readonly body: string;
  /** A taxonomy path: level 1 always, levels 2–3 where the text names them. */
  readonly category: string;
  /** The district code the text names, or null when it names none (or several). */
  readonly district: string | null;
  /** The government's real reply to this message, when the source has one. */
  readonly reply: string | null;
}

export interface DemoCorpus {
  readonly source: string;
  readonly messages: readonly DemoCorpusMessage[];
}

export const DEMO_CORPUS_FILE = new URL('./demo-corpus.json.gz', import.meta.url);

let cached: DemoCorpus | null = null;

/** The shipped corpus, read and unzipped once (about 50 ms). */
export function loadDemoCorpus(): DemoCorpus {
  cached ??= JSON.parse(gunzipSync(readFileSync(DEMO_CORPUS_FILE)).toString('utf8')) as DemoCorpus;
  return cached;
}
