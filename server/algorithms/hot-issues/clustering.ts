/**
 * Groups citizens' messages about the same concrete problem: the same place
 * (or named thing) and the same problem, e.g. "丽发新城 + 搅拌站噪音" — not
 * merely the same topic, and not the same estate's other complaints.
 *
 * Method (docs/hot-issues.md):
 * 1. Each message is read (`message-terms.ts`) into token ids with a role
 *    (problem word, part of a name), places, names and district codes, kept
 *    in flat typed arrays; the body is dropped (the title stays, to describe
 *    the cluster).
 * 2. Every place learned anywhere is looked for in every message, so one
 *    naming 绿地海外滩 without a suffix still names it, and its words leave
 *    the problem.
 * 3. Problem words are weighted by TF-IDF (sublinear term frequency, a title
 *    word counting twice), the IDF damped by √(distinct writers / messages)
 *    so one prolific writer's style words do not look like a shared problem,
 *    cut to the `MAX_TERMS` heaviest per message and L2-normalised.
 * 4. Candidate pairs come from an inverted index over places (and the places
 *    they extend) and names — never all pairs: each message meets at most
 *    `window` earlier messages per key, O(n · keys · window) in all.
 * 5. A pair links when its places agree (the same place, or one extending
 *    the other: 伊景园 / 伊景园滨河苑) and the problem cosine reaches
 *    `placeThreshold`; when one of them names no place, a shared name and
 *    `nameThreshold` do. Different places, or different district codes,
 *    never link; one writer's own messages need twice the cosine.
 * 6. Links are taken strongest first (agglomeration); two groups merge only
 *    when their problem centroids also reach `placeThreshold`, which stops a
 *    chain of pairwise links drifting from one problem to another.
 */
import { createReader, ROLE_NAME, ROLE_PROBLEM, type ReadMessage } from './message-terms.ts';
import { ParallelReading, type ParallelReadingOptions, type ReadingSource } from './parallel-reading.ts';

/** One message as the clustering reads it (the JSON-lines fields of `minxin hot`). */
export interface HotMessage {
  readonly id: string | number;
  /** Who wrote it (a pseudonym is fine): distinct people count, not messages. */
  readonly user: string;
  readonly title: string;
  readonly body: string;
  readonly time: Date;
  /** Citizens' support (点赞) and opposition; 0 where a channel has none. */
  readonly likes: number;
  readonly dislikes: number;
}

export interface ClusterOptions {
  /** Least problem cosine for two messages about the same place. Default 0.15. */
  readonly placeThreshold?: number;
  /** Least problem cosine when only a name links them (one names no place). Default 0.3. */
  readonly nameThreshold?: number;
  /** Earlier messages per index key each message is compared with (the newest). Default 200. */
  readonly window?: number;
  /** A key in more than this share of the messages is not a concrete place (e.g. a city-wide name). Default 0.03. */
  readonly maxKeyShare?: number;
  /**
   * How the messages are read (`parallel-reading.ts`): by default on two
   * threads once a run reaches 5,000 messages, on a machine with two cores or
   * more. The clusters are the same either way.
   */
  readonly reading?: ParallelReadingOptions;
}

/** A group of messages about one problem at one place; `members` index the messages in input order. */
export interface MessageCluster {
  readonly members: readonly number[];
  /** The member closest to the cluster's problem centroid. */
  readonly representative: number;
  /** The place (or name) most members mention, if any. */
  readonly place: string | undefined;
  /** The heaviest problem words of the centroid, heaviest first. */
  readonly keyTerms: readonly string[];
}

/** What `cluster()` returns: the clusters (largest first) and the messages they index. */
export interface Clustering {
  readonly clusters: readonly MessageCluster[];
  readonly messages: readonly ClusteredMessage[];
  /** Candidate pairs compared, and pairs that linked: the work done. */
  readonly pairsCompared: number;
  readonly pairsLinked: number;
  /**
   * Threads that read the messages (2 when a worker read some of them), how
   * many the worker read, and the seconds this thread waited for it.
   */
  readonly reading: { readonly threads: number; readonly byWorker: number; readonly waitedSeconds: number };
}

/** A message's facts kept after reading (no body). */
export interface ClusteredMessage {
  readonly id: string | number;
  readonly user: string;
  readonly title: string;
  readonly time: Date;
  readonly likes: number;
  readonly dislikes: number;
}

/** A clusterer fed one message at a time: the file or database page is never held whole. */
export interface Clusterer {
  add(message: HotMessage): void;
  /** Adds a batch (a page, a few hundred lines): faster than one by one. */
  addMany(messages: readonly HotMessage[]): void;
  readonly size: number;
  /**
   * Waits until every message added has been read (the worker's share too)
   * and stops the reading worker; `cluster()` does it first. Adding more
   * afterwards reads on this thread.
   */
  finishReading(): void;
  /** Clusters everything added so far. */
  cluster(): Clustering;
}

const MAX_TERMS = 32;

/** A growable Int32 column (flat storage keeps 100,000 messages in a few compact arrays). */
class IntColumn {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }
  /** Makes room for `more` values. */
  reserve(more: number): void {
    if (this.length + more <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + more) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

class Vocabulary {
  readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  readonly df: number[] = [];
  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
      this.df.push(0);
    }
    return id;
  }
}

/** A list of id lists stored flat (CSR): `start[i] .. start[i + 1]` in `values`. */
class Lists {
  readonly values = new IntColumn();
  readonly start = new IntColumn();
  constructor() {
    this.start.push(0);
  }
  add(ids: Iterable<number>): void {
    for (const id of ids) this.values.push(id);
    this.start.push(this.values.length);
  }
  of(i: number): Int32Array {
    return this.values.data.subarray(this.start.data[i]!, this.start.data[i + 1]!);
  }
}

/** One place as learned from the messages: its text and the tokens that spell it. */
interface LearnedPlace {
  readonly text: string;
  readonly tokens: Int32Array;
}

/**
 * Creates a clusterer. Memory per message is its title, its tokens (one
 * integer and one byte each, about 100) and its facts; reading (jieba)
 * dominates the time, about 30 µs a message.
 *
 * @example
 * const clusterer = createClusterer();
 * for (const message of messages) clusterer.add(message);
 * const { clusters } = clusterer.cluster(); // largest first
 */
export function createClusterer(options: ClusterOptions = {}): Clusterer {
  const thresholds: Thresholds = {
    placeThreshold: options.placeThreshold ?? 0.15,
    nameThreshold: options.nameThreshold ?? 0.3,
    window: options.window ?? 200,
    maxKeyShare: options.maxKeyShare ?? 0.03,
  };
  const messages: ClusteredMessage[] = [];
  const tokenLists = new Lists();
  const roles = new ByteColumn();
  const titleTokens: number[] = [];
  const places = new Map<string, LearnedPlace>();
  const placeTexts = new Vocabulary();
  const placeLists = new Lists();
  const names = new Vocabulary();
  const nameLists = new Lists();
  const districts = new Vocabulary();
  const districtLists = new Lists();
  // Token ids of the whole run, given in input order: a word's id is the one a single reader would have given it.
  const words = new Vocabulary();
  words.id('|');
  /** Per reading source, its token id → the run's (-1 before first met). */
  const translations = [new Int32Array(1024).fill(-1), new Int32Array(1024).fill(-1)];
  /** Adds a message's distinct ids of `words` to `lists` (first-seen order) and counts their document frequency. */
  const intern = (vocabulary: Vocabulary, lists: Lists, words: readonly string[]): void => {
    const from = lists.values.length;
    for (const word of words) {
      const id = vocabulary.id(word);
      let seen = false;
      for (let k = from; k < lists.values.length; k++) if (lists.values.data[k] === id) seen = true;
      if (seen) continue;
      lists.values.push(id);
      vocabulary.df[id]! += 1;
    }
    lists.start.push(lists.values.length);
  };
  const keep = (index: number, read: ReadMessage, source: ReadingSource): void => {
    let translation = translations[source.id]!;
    if (translation.length < source.words.length) {
      const grown = new Int32Array(Math.max(2 * translation.length, source.words.length)).fill(-1);
      grown.set(translation);
      translations[source.id] = translation = grown;
    }
    const values = tokenLists.values;
    const offset = values.length;
    const tokens = read.tokens;
    values.reserve(tokens.length);
    const data = values.data;
    for (let k = 0; k < tokens.length; k++) {
      const local = tokens[k]!;
      let id = translation[local]!;
      if (id < 0) translation[local] = id = words.id(source.words[local]!);
      data[offset + k] = id;
    }
    values.length += tokens.length;
    tokenLists.start.push(values.length);
    roles.append(read.roles);
    titleTokens.push(read.titleTokens);
    for (const place of read.places) {
      if (!places.has(place.text)) places.set(place.text, { text: place.text, tokens: values.data.slice(offset + place.start, offset + place.end) });
    }
    intern(placeTexts, placeLists, read.places.map((place) => place.text));
    intern(names, nameLists, read.names);
    intern(districts, districtLists, read.areas.filter((area) => /^[a-z]\d*[区县]$/u.test(area)));
    if (index !== titleTokens.length - 1) throw new Error(`hot-issue reading out of order: message ${index} kept as ${titleTokens.length - 1}`);
  };
  const reading = new ParallelReading(createReader(), keep, options.reading);
  const prepare = (): Stored => {
    const found = recognisePlaces({ tokenLists, roles, places, placeTexts, placeLists, count: messages.length });
    return { messages, placeTexts, names, districtLists, nameLists, placeLists: found, ...problemWords(words.words, tokenLists, roles, titleTokens) };
  };
  const addMany = (batch: readonly HotMessage[]): void => {
    for (const message of batch) messages.push({ id: message.id, user: message.user, title: message.title, time: message.time, likes: message.likes, dislikes: message.dislikes });
    reading.add(batch);
  };

  return {
    get size() {
      return messages.length;
    },
    add(message) {
      addMany([message]);
    },
    addMany,
    finishReading() {
      reading.finish();
    },
    cluster() {
      const threads = Math.max(reading.threads, reading.readInWorker > 0 ? 2 : 1);
      reading.finish();
      return { ...clusterAll(prepare(), thresholds), reading: { threads, byWorker: reading.readInWorker, waitedSeconds: Math.round(reading.waitedMs) / 1000 } };
    },
  };
}

/** A growable byte column. */
class ByteColumn {
  data = new Uint8Array(4096);
  length = 0;
  append(values: Uint8Array): void {
    if (this.length + values.length > this.data.length) {
      let size = this.data.length * 2;
      while (size < this.length + values.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
}

/** Token ids stay below this (2^24), so two of them make one safe integer key. */
const TOKEN_KEY = 16_777_216;

/**
 * Finds every learned place in every message, also where the message did not
 * name it with a suffix (绿地海外滩二期 after 绿地海外滩小区 was seen elsewhere),
 * marks its tokens as names (not problem words) and returns each message's
 * places. Places of at least two tokens and three characters are looked for;
 * the scan is one pass over the tokens with a table by first token.
 */
function recognisePlaces(input: {
  tokenLists: Lists;
  roles: ByteColumn;
  places: ReadonlyMap<string, LearnedPlace>;
  placeTexts: Vocabulary;
  placeLists: Lists;
  count: number;
}): Lists {
  // Places by their first two tokens (a number key), so a token position meets only the places that start there.
  // Most token positions start no place: a bit per token id says which can, before the table is asked.
  const byStart = new Map<number, { id: number; tokens: Int32Array }[]>();
  let tokenCount = 0;
  for (const place of input.places.values()) tokenCount = Math.max(tokenCount, place.tokens[0]! + 1);
  const starts = new Uint8Array(tokenCount);
  for (const place of input.places.values()) {
    if (place.tokens.length < 2 || place.text.length < 3) continue;
    const entry = { id: input.placeTexts.ids.get(place.text)!, tokens: place.tokens };
    const key = place.tokens[0]! * TOKEN_KEY + place.tokens[1]!;
    starts[place.tokens[0]!] = 1;
    const list = byStart.get(key);
    if (list) list.push(entry);
    else byStart.set(key, [entry]);
  }
  const out = new Lists();
  const df = input.placeTexts.df;
  df.fill(0);
  const found = new Set<number>();
  for (let i = 0; i < input.count; i++) {
    found.clear();
    for (const id of input.placeLists.of(i)) found.add(id);
    const offset = input.tokenLists.start.data[i]!;
    const ids = input.tokenLists.of(i);
    for (let p = 0; p + 1 < ids.length; p++) {
      if (starts[ids[p]!] !== 1) continue;
      const candidates = byStart.get(ids[p]! * TOKEN_KEY + ids[p + 1]!);
      if (!candidates) continue;
      for (const candidate of candidates) {
        const length = candidate.tokens.length;
        if (p + length > ids.length) continue;
        let k = 2;
        while (k < length && ids[p + k] === candidate.tokens[k]) k++;
        if (k < length) continue;
        found.add(candidate.id);
        input.roles.data.fill(ROLE_NAME, offset + p, offset + p + length);
      }
    }
    for (const id of found) df[id]! += 1;
    out.add(found);
  }
  return out;
}

/** Each message's problem words (term ids) and counts, a title word counting twice. */
function problemWords(words: readonly string[], tokenLists: Lists, roles: ByteColumn, titleTokens: readonly number[]): Pick<Stored, 'terms' | 'termLists' | 'countLists'> {
  const termLists = new Lists();
  const countLists: number[][] = [];
  const df = new Int32Array(words.length);
  const counts = new Map<number, number>();
  for (let i = 0; i < titleTokens.length; i++) {
    counts.clear();
    const offset = tokenLists.start.data[i]!;
    const ids = tokenLists.of(i);
    for (let p = 0; p < ids.length; p++) {
      if (roles.data[offset + p] !== ROLE_PROBLEM) continue;
      counts.set(ids[p]!, (counts.get(ids[p]!) ?? 0) + (p < titleTokens[i]! ? 2 : 1));
    }
    for (const id of counts.keys()) df[id]! += 1;
    termLists.add(counts.keys());
    countLists.push([...counts.values()]);
  }
  return { terms: { words, df }, termLists, countLists };
}

interface Stored {
  readonly messages: readonly ClusteredMessage[];
  readonly terms: { readonly words: readonly string[]; readonly df: ArrayLike<number> };
  readonly placeTexts: Vocabulary;
  readonly names: Vocabulary;
  readonly termLists: Lists;
  readonly countLists: readonly number[][];
  readonly placeLists: Lists;
  readonly nameLists: Lists;
  readonly districtLists: Lists;
}

interface Thresholds {
  readonly placeThreshold: number;
  readonly nameThreshold: number;
  readonly window: number;
  readonly maxKeyShare: number;
}

/** Sparse unit vectors, flat: message i's terms are `ids[start[i] .. start[i + 1]]`, sorted by id. */
interface Vectors {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
  readonly start: Int32Array;
}

/**
 * Term weights: IDF, damped by how few people use the word. A word that only
 * one prolific writer uses in many messages is their style (倡导, 刻不容缓),
 * not a problem: its IDF is multiplied by √(distinct writers / messages).
 */
function termWeights(stored: Stored): Float64Array {
  const n = stored.messages.length;
  const vocabulary = stored.terms.words.length;
  const byUser = Array.from({ length: n }, (_, i) => i).sort((a, b) => (stored.messages[a]!.user < stored.messages[b]!.user ? -1 : stored.messages[a]!.user > stored.messages[b]!.user ? 1 : 0));
  const lastWriter = new Int32Array(vocabulary).fill(-1);
  const writers = new Int32Array(vocabulary);
  let writer = -1;
  let previous: string | undefined;
  for (const i of byUser) {
    if (stored.messages[i]!.user !== previous) [writer, previous] = [writer + 1, stored.messages[i]!.user];
    for (const id of stored.termLists.of(i)) {
      if (lastWriter[id] === writer) continue;
      lastWriter[id] = writer;
      writers[id]! += 1;
    }
  }
  const weights = new Float64Array(vocabulary);
  for (let id = 0; id < vocabulary; id++) {
    const df = stored.terms.df[id]!;
    weights[id] = Math.log((n + 1) / df) * Math.sqrt(writers[id]! / df);
  }
  return weights;
}

function weigh(stored: Stored): Vectors {
  const n = stored.messages.length;
  const start = new Int32Array(n + 1);
  const ids = new Int32Array(n * MAX_TERMS);
  const weights = new Float32Array(n * MAX_TERMS);
  const idf = termWeights(stored);
  let at = 0;
  const scratch: { id: number; weight: number }[] = [];
  for (let i = 0; i < n; i++) {
    const termIds = stored.termLists.of(i);
    const counts = stored.countLists[i]!;
    scratch.length = 0;
    for (let k = 0; k < termIds.length; k++) {
      const id = termIds[k]!;
      scratch.push({ id, weight: (1 + Math.log(counts[k]!)) * idf[id]! });
    }
    if (scratch.length > MAX_TERMS) {
      scratch.sort((a, b) => b.weight - a.weight);
      scratch.length = MAX_TERMS;
    }
    scratch.sort((a, b) => a.id - b.id);
    let norm = 0;
    for (const entry of scratch) norm += entry.weight * entry.weight;
    norm = Math.sqrt(norm) || 1;
    start[i] = at;
    for (const entry of scratch) {
      ids[at] = entry.id;
      weights[at] = entry.weight / norm;
      at++;
    }
  }
  start[n] = at;
  return { ids, weights, start };
}

/**
 * The cosine of message b with the message spread out in `dense` (both unit
 * vectors): the shared terms' products added in term-id order, as a merge of
 * the two sorted lists would, so the same value to the last bit; b's other
 * terms add exact zeros (weights are positive). No merge and no
 * unpredictable branches: this is the inner loop of the candidate pairs.
 */
function cosineWithDense(vectors: Vectors, dense: Float64Array, b: number): number {
  const { ids, weights, start } = vectors;
  let dot = 0;
  for (let k = start[b]!; k < start[b + 1]!; k++) dot += dense[ids[k]!]! * weights[k]!;
  return dot;
}

/**
 * Which places agree with which: one extends the other (伊景园 and
 * 伊景园滨河苑, 月亮岛 and 月亮岛路). Only prefixes count: a place's tail is
 * often a generic form shared by different places (国际城 in 辉煌国际城 and
 * 明发国际城). Found through a table by first three characters.
 */
function containment(words: readonly string[]): Map<number, number[]> {
  const byPrefix = new Map<string, number[]>();
  words.forEach((word, id) => {
    if (word.length < 3) return;
    const prefix = word.slice(0, 3);
    const list = byPrefix.get(prefix);
    if (list) list.push(id);
    else byPrefix.set(prefix, [id]);
  });
  const related = new Map<number, number[]>();
  const relate = (x: number, y: number): void => {
    const list = related.get(x);
    if (list) list.push(y);
    else related.set(x, [y]);
  };
  for (const ids of byPrefix.values()) {
    for (const inner of ids) {
      for (const outer of ids) {
        if (words[outer]!.length > words[inner]!.length && words[outer]!.startsWith(words[inner]!)) {
          relate(inner, outer);
          relate(outer, inner);
        }
      }
    }
  }
  return related;
}

function clusterAll(stored: Stored, thresholds: Thresholds): Omit<Clustering, 'reading'> {
  const n = stored.messages.length;
  const vectors = weigh(stored);
  const maxDf = Math.max(50, Math.ceil(thresholds.maxKeyShare * n));
  const related = containment(stored.placeTexts.words);
  const context: PairContext = { stored, vectors, thresholds, related, users: userIndexes(stored.messages), dense: new Float64Array(stored.terms.words.length) };
  // Index keys: place ids, then name ids after them; a key too common to be a concrete place is not indexed.
  const placeCount = stored.placeTexts.words.length;
  const usable = (df: number): boolean => df >= 1 && df <= maxDf;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => stored.messages[a]!.time.getTime() - stored.messages[b]!.time.getTime() || a - b);
  const postings = new Map<number, number[]>();
  const seen = new Int32Array(n).fill(-1);
  const links: Link[] = [];
  let compared = 0;
  const compareWith = (i: number, key: number): void => {
    const list = postings.get(key);
    if (!list) return;
    for (let k = list.length - 1, met = 0; k >= 0 && met < thresholds.window; k--, met++) {
      const j = list[k]!;
      if (seen[j] === i) continue;
      seen[j] = i;
      compared++;
      const similarity = linkSimilarity(context, i, j);
      if (similarity >= 0) links.push({ a: i, b: j, similarity });
    }
  };
  const insert = (i: number, key: number): void => {
    const list = postings.get(key);
    if (list) list.push(i);
    else postings.set(key, [i]);
  };
  const { values: placeValues, start: placeStart } = stored.placeLists;
  const { values: nameValues, start: nameStart } = stored.nameLists;
  const { dense } = context;
  for (const i of order) {
    // Message i meets its candidates with its vector spread out by term id (see `cosineWithDense`).
    for (let k = vectors.start[i]!; k < vectors.start[i + 1]!; k++) dense[vectors.ids[k]!] = vectors.weights[k]!;
    for (let k = placeStart.data[i]!; k < placeStart.data[i + 1]!; k++) {
      const place = placeValues.data[k]!;
      if (!usable(stored.placeTexts.df[place]!)) continue;
      compareWith(i, place);
      for (const other of related.get(place) ?? []) compareWith(i, other);
    }
    for (let k = nameStart.data[i]!; k < nameStart.data[i + 1]!; k++) {
      const name = nameValues.data[k]!;
      if (usable(stored.names.df[name]!) && stored.names.df[name]! >= 2) compareWith(i, placeCount + name);
    }
    for (let k = placeStart.data[i]!; k < placeStart.data[i + 1]!; k++) if (usable(stored.placeTexts.df[placeValues.data[k]!]!)) insert(i, placeValues.data[k]!);
    for (let k = nameStart.data[i]!; k < nameStart.data[i + 1]!; k++) if (usable(stored.names.df[nameValues.data[k]!]!) && stored.names.df[nameValues.data[k]!]! >= 2) insert(i, placeCount + nameValues.data[k]!);
    for (let k = vectors.start[i]!; k < vectors.start[i + 1]!; k++) dense[vectors.ids[k]!] = 0;
  }
  return agglomerate(stored, vectors, thresholds, links, compared);
}

interface Link {
  readonly a: number;
  readonly b: number;
  readonly similarity: number;
}

interface PairContext {
  readonly stored: Stored;
  readonly vectors: Vectors;
  readonly thresholds: Thresholds;
  readonly related: ReadonlyMap<number, readonly number[]>;
  /** Each message's writer as a small integer. */
  readonly users: Int32Array;
  /** The weights of the message whose candidates are being compared, by term id (0 elsewhere). */
  readonly dense: Float64Array;
}

function userIndexes(messages: readonly ClusteredMessage[]): Int32Array {
  const ids = new Map<string, number>();
  const users = new Int32Array(messages.length);
  messages.forEach((message, i) => {
    let id = ids.get(message.user);
    if (id === undefined) ids.set(message.user, (id = ids.size));
    users[i] = id;
  });
  return users;
}

/** Whether two messages name an agreeing place: the same, or one containing the other. */
function placesAgree(context: PairContext, a: number, b: number): boolean {
  const { values, start } = context.stored.placeLists;
  for (let x = start.data[a]!; x < start.data[a + 1]!; x++) {
    const p = values.data[x]!;
    const related = context.related.get(p);
    for (let y = start.data[b]!; y < start.data[b + 1]!; y++) {
      const q = values.data[y]!;
      if (p === q || (related !== undefined && related.includes(q))) return true;
    }
  }
  return false;
}

function shareAny(lists: Lists, a: number, b: number): boolean {
  const { values, start } = lists;
  for (let x = start.data[a]!; x < start.data[a + 1]!; x++) {
    for (let y = start.data[b]!; y < start.data[b + 1]!; y++) if (values.data[x] === values.data[y]) return true;
  }
  return false;
}

const count = (lists: Lists, i: number): number => lists.start.data[i + 1]! - lists.start.data[i]!;

/** The pair's problem cosine when it may link (see the module comment), else -1. */
function linkSimilarity(context: PairContext, a: number, b: number): number {
  const { stored, thresholds } = context;
  if (count(stored.districtLists, a) > 0 && count(stored.districtLists, b) > 0 && !shareAny(stored.districtLists, a, b)) return -1;
  let threshold: number;
  if (count(stored.placeLists, a) > 0 && count(stored.placeLists, b) > 0) {
    if (!placesAgree(context, a, b)) return -1;
    threshold = thresholds.placeThreshold;
  } else {
    if (!shareAny(stored.nameLists, a, b)) return -1;
    threshold = thresholds.nameThreshold;
  }
  // One writer's messages share their style: their own messages must agree twice as much to be one problem.
  if (context.users[a] === context.users[b]) threshold *= 2;
  const similarity = cosineWithDense(context.vectors, context.dense, b);
  return similarity >= threshold ? similarity : -1;
}

/** A group's problem centroid: the sum of its members' unit vectors. */
interface Centroid {
  readonly terms: Map<number, number>;
  norm2: number;
  size: number;
}

function centroidCosine(x: Centroid, y: Centroid): number {
  const [small, large] = x.terms.size <= y.terms.size ? [x, y] : [y, x];
  let dot = 0;
  for (const [id, weight] of small.terms) dot += weight * (large.terms.get(id) ?? 0);
  return dot / Math.sqrt(x.norm2 * y.norm2 || 1);
}

function agglomerate(stored: Stored, vectors: Vectors, thresholds: Thresholds, links: Link[], compared: number): Omit<Clustering, 'reading'> {
  const n = stored.messages.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  // Each group's problem centroid (sum of its unit vectors), sparse, with its squared norm kept up to date.
  const centroids = new Map<number, Centroid>();
  const centroidOf = (root: number): Centroid => {
    let centroid = centroids.get(root);
    if (!centroid) {
      const terms = new Map<number, number>();
      for (let k = vectors.start[root]!; k < vectors.start[root + 1]!; k++) terms.set(vectors.ids[k]!, vectors.weights[k]!);
      centroid = { terms, norm2: vectors.start[root + 1]! > vectors.start[root]! ? 1 : 0, size: 1 };
      centroids.set(root, centroid);
    }
    return centroid;
  };
  links.sort((p, q) => q.similarity - p.similarity);
  let linked = 0;
  for (const link of links) {
    const x = find(link.a);
    const y = find(link.b);
    if (x === y) continue;
    const cx = centroidOf(x);
    const cy = centroidOf(y);
    if ((cx.size > 1 || cy.size > 1) && centroidCosine(cx, cy) < thresholds.placeThreshold) continue;
    const [keep, drop] = cx.size >= cy.size ? [x, y] : [y, x];
    const into = keep === x ? cx : cy;
    const from = keep === x ? cy : cx;
    for (const [id, weight] of from.terms) {
      const old = into.terms.get(id) ?? 0;
      into.terms.set(id, old + weight);
      into.norm2 += (old + weight) ** 2 - old * old;
    }
    into.size += from.size;
    centroids.delete(drop);
    parent[drop] = keep;
    linked++;
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  const clusters = [...groups.entries()].map(([root, members]) => describe(stored, vectors, members, centroids.get(root)?.terms));
  clusters.sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!);
  return { clusters, messages: stored.messages, pairsCompared: compared, pairsLinked: linked };
}

function describe(stored: Stored, vectors: Vectors, members: number[], centroid: Map<number, number> | undefined): MessageCluster {
  const sum = centroid ?? new Map<number, number>();
  if (!centroid) for (let k = vectors.start[members[0]!]!; k < vectors.start[members[0]! + 1]!; k++) sum.set(vectors.ids[k]!, vectors.weights[k]!);
  let representative = members[0]!;
  let best = -1;
  for (const member of members) {
    let score = 0;
    for (let k = vectors.start[member]!; k < vectors.start[member + 1]!; k++) score += vectors.weights[k]! * (sum.get(vectors.ids[k]!) ?? 0);
    if (score > best) [best, representative] = [score, member];
  }
  // The place most members name; a message's first place (the title's, if it names one) counts a half more.
  const placeCounts = new Map<string, number>();
  const count = (lists: Lists, words: readonly string[]): void => {
    for (const member of members) {
      lists.of(member).forEach((id, k) => placeCounts.set(words[id]!, (placeCounts.get(words[id]!) ?? 0) + (k === 0 ? 1.5 : 1)));
    }
  };
  count(stored.placeLists, stored.placeTexts.words);
  if (placeCounts.size === 0) count(stored.nameLists, stored.names.words);
  let place: string | undefined;
  let placeCount = 0;
  for (const [candidate, count] of placeCounts) {
    if (count > placeCount || (count === placeCount && place !== undefined && candidate.length > place.length)) [place, placeCount] = [candidate, count];
  }
  const keyTerms = [...sum.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([id]) => stored.terms.words[id]!);
  return { members, representative, place, keyTerms };
}

