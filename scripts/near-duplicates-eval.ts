// Measures near-duplicate detection on the labelled pairs
// (server/algorithms/near-duplicates/labelled-pairs.json, built from
// ../shared/data/civic/teddy2020/hot-messages.jsonl and replies.jsonl by
// reading each pair): precision and recall of the score at its threshold,
// the candidate recall of the index keys, the expected number of candidates
// a lookup meets among 1,000,000 stored messages, and the alternatives the
// defaults were chosen over (SimHash, other shingle sizes and bands).
// Usage: node scripts/near-duplicates-eval.ts [--json FILE]
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_PARAMETERS,
  compareMessages,
  createSigner,
  fmix32,
  hashText,
  placeKeyOf,
  sharesKey,
  lettersOf,
  normaliseText,
  seededUint32,
  shingleHashes,
  type MessageFacts,
  type NearDuplicateParameters,
  type TextSignature,
} from '../server/algorithms/near-duplicates/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(root, '../shared/data/civic/teddy2020');
if (!fs.existsSync(dataDir)) {
  console.error(`The shared data (${dataDir}) is missing; nothing to measure.`);
  process.exit(1);
}
const jsonOut = process.argv.indexOf('--json') > 0 ? process.argv[process.argv.indexOf('--json') + 1] : undefined;

interface Message {
  ref: string;
  title: string;
  body: string;
  time: Date;
}
const messages = new Map<string, Message>();
for (const file of ['hot-messages', 'replies']) {
  for (const line of fs.readFileSync(path.join(dataDir, `${file}.jsonl`), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { id: number; title: string; body: string; time: string };
    messages.set(`${file}:${row.id}`, { ref: `${file}:${row.id}`, title: row.title, body: row.body, time: new Date(`${row.time.length === 10 ? `${row.time}T00:00:00` : row.time}+08:00`) });
  }
}
const pairs = (JSON.parse(fs.readFileSync(path.join(root, 'server/algorithms/near-duplicates/labelled-pairs.json'), 'utf8')) as [string, string, 0 | 1][]).map(([a, b, label]) => ({ a, b, label }));
const positives = pairs.filter((pair) => pair.label === 1).length;
console.log(`${pairs.length} labelled pairs (${positives} duplicates, ${pairs.length - positives} not), ${messages.size} messages`);

const factsOf = (signature: TextSignature, message: Message): MessageFacts => ({ signature, communityId: null, districtId: null, categoryPath: null, lat: null, lng: null, submittedAt: message.time });

/** Precision, recall and F1 of `score >= threshold` over the pairs. */
function prf(scores: readonly number[], threshold: number, labels: readonly number[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((score, i) => {
    const predicted = score >= threshold;
    if (predicted && labels[i] === 1) tp += 1;
    else if (predicted) fp += 1;
    else if (labels[i] === 1) fn += 1;
  });
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), threshold };
}

/** The threshold (on a 0.01 grid) with the best F1 on these pairs. */
function bestThreshold(scores: readonly number[], labels: readonly number[]) {
  let best = prf(scores, 0, labels);
  for (let t = 0.01; t <= 1; t += 0.01) {
    const result = prf(scores, Math.round(t * 100) / 100, labels);
    if (result.f1 > best.f1) best = result;
  }
  return best;
}

/** Five-fold cross-validated precision/recall: the threshold is chosen on four folds and applied to the fifth. */
function crossValidated(scores: readonly number[], labels: readonly number[]) {
  const next = seededUint32(7);
  const fold = labels.map(() => next() % 5);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let k = 0; k < 5; k += 1) {
    const train = scores.map((_, i) => i).filter((i) => fold[i] !== k);
    const { threshold } = bestThreshold(train.map((i) => scores[i]!), train.map((i) => labels[i]!));
    scores.forEach((score, i) => {
      if (fold[i] !== k) return;
      if (score >= threshold && labels[i] === 1) tp += 1;
      else if (score >= threshold) fp += 1;
      else if (labels[i] === 1) fn += 1;
    });
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

const labels = pairs.map((pair) => pair.label);
const fmt = (value: number) => value.toFixed(3);
const report: Record<string, unknown> = { pairs: pairs.length, positives, measuredAt: new Date().toISOString() };

const refs = [...messages.keys()];

function evaluate(name: string, parameters: NearDuplicateParameters) {
  const signer = createSigner(parameters);
  const cache = new Map<string, TextSignature>();
  const sign = (ref: string) => {
    let signature = cache.get(ref);
    if (!signature) cache.set(ref, (signature = signer.sign(messages.get(ref)!)));
    return signature;
  };
  const sims = pairs.map((pair) => compareMessages(factsOf(sign(pair.a), messages.get(pair.a)!), factsOf(sign(pair.b), messages.get(pair.b)!), parameters));
  const keysOf = (signature: TextSignature) => [...signature.bandKeys, ...signature.siteKeys];
  const shares = (a: TextSignature, b: TextSignature, bandsOnly: boolean) => {
    const keys = new Set(bandsOnly ? a.bandKeys : keysOf(a));
    return (bandsOnly ? b.bandKeys : keysOf(b)).some((key) => keys.has(key));
  };
  const candidate = pairs.map((pair) => shares(sign(pair.a), sign(pair.b), false));
  const bandCandidate = pairs.map((pair) => shares(sign(pair.a), sign(pair.b), true));
  const positivesFound = (found: boolean[]) => found.filter((hit, i) => hit && labels[i] === 1).length / positives;
  // Every message against every other through the index: how many others share a key with it, on average.
  const buckets = new Map<number, string[]>();
  for (const ref of refs) for (const key of new Set(keysOf(sign(ref)))) buckets.set(key, [...(buckets.get(key) ?? []), ref]);
  let met = 0;
  for (const ref of refs) {
    const others = new Set<string>();
    for (const key of new Set(keysOf(sign(ref)))) for (const other of buckets.get(key)!) if (other !== ref) others.add(other);
    met += others.size;
  }
  const backgroundRate = met / refs.length / (refs.length - 1);
  const heavy = [...buckets].sort((x, y) => y[1].length - x[1].length).slice(0, 3).map(([key, members]) => {
    const signature = sign(members[0]!);
    const place = signature.places.find((term) => placeKeyOf(term.term) === key);
    return `${place ? place.term : 'band'}×${members.length}`;
  });
  // What the product does: a pair is proposed when it is a candidate (shares a key) and scores at or above the threshold.
  const scores = sims.map((sim, i) => (candidate[i] ? sim.score : 0));
  const textOnly = sims.map((sim) => sim.text);
  const fixed = prf(scores, parameters.threshold, labels);
  const best = bestThreshold(scores, labels);
  const cv = crossValidated(scores, labels);
  const row = {
    name,
    candidateRecall: positivesFound(candidate),
    bandCandidateRecall: positivesFound(bandCandidate),
    candidatesPerLookupAt1M: Math.round(backgroundRate * 1_000_000),
    heaviestKeys: heavy,
    atThreshold: fixed,
    best,
    crossValidated: cv,
    textOnlyBest: bestThreshold(textOnly, labels),
  };
  console.log(
    `${name.padEnd(34)} cand.recall ${fmt(row.candidateRecall)} (bands ${fmt(row.bandCandidateRecall)})  ~${String(row.candidatesPerLookupAt1M).padStart(6)} cand/1M [${heavy.join(' ')}] ` +
      `@${parameters.threshold}: P ${fmt(fixed.precision)} R ${fmt(fixed.recall)} F1 ${fmt(fixed.f1)}  best@${best.threshold}: F1 ${fmt(best.f1)}  CV: P ${fmt(cv.precision)} R ${fmt(cv.recall)} F1 ${fmt(cv.f1)}  text-only F1 ${fmt(row.textOnlyBest.f1)}`,
  );
  return { row, sims, scores };
}

console.log('\nMinHash variants (score = weights · [text, place, problem]; a pair counts only when it shares an index key):');
const main = evaluate('default (3-shingles, 32×2 + places)', DEFAULT_PARAMETERS);
const variants: [string, Partial<NearDuplicateParameters>][] = [
  ['2-shingles', { shingleSize: 2 }],
  ['4-shingles', { shingleSize: 4 }],
  ['bands 16×4', { bands: 16, rows: 4 }],
  ['2-shingles, bands 16×4', { shingleSize: 2, bands: 16, rows: 4 }],
  ['bands 21×3', { bands: 21, rows: 3 }],
  ['bands 8×8', { bands: 8, rows: 8 }],
  ['no place keys', { maxPlaceKeys: 0 }],
  ['text only (weights 1/0/0)', { weights: { text: 1, place: 0, problem: 0 } }],
  ['weights .5/.25/.25', { weights: { text: 0.5, place: 0.25, problem: 0.25 } }],
  ['weights .3/.35/.35', { weights: { text: 0.3, place: 0.35, problem: 0.35 } }],
  ['weights .2/.4/.4', { weights: { text: 0.2, place: 0.4, problem: 0.4 } }],
  ['128 permutations, 32×4', { permutations: 128, bands: 32, rows: 4 }],
];
const variantRows = variants.map(([name, change]) => evaluate(name, { ...DEFAULT_PARAMETERS, ...change }).row);

// The weights: every split of 1 on a 0.1 grid (each part at least 0.1), judged by cross-validated F1 at the default signature.
{
  const signer = createSigner(DEFAULT_PARAMETERS);
  const signatures = new Map(refs.map((ref) => [ref, signer.sign(messages.get(ref)!)]));
  const base = pairs.map((pair) => {
    const a = signatures.get(pair.a)!;
    const b = signatures.get(pair.b)!;
    return { candidate: sharesKey(a, b), sim: compareMessages(factsOf(a, messages.get(pair.a)!), factsOf(b, messages.get(pair.b)!)) };
  });
  const grid: { weights: string; f1: number; precision: number; recall: number; threshold: number }[] = [];
  for (let t = 1; t <= 8; t += 1) {
    for (let p = 1; t + p <= 9; p += 1) {
      const [wt, wp, wq] = [t / 10, p / 10, (10 - t - p) / 10];
      const scores = base.map(({ candidate, sim }) => (candidate ? wt * sim.text + wp * sim.place.score + wq * sim.problem.score : 0));
      const cv = crossValidated(scores, labels);
      grid.push({ weights: `${wt}/${wp}/${wq}`, ...cv, threshold: bestThreshold(scores, labels).threshold });
    }
  }
  grid.sort((x, y) => y.f1 - x.f1);
  console.log(`\nWeights text/place/problem by cross-validated F1 (top 6 of ${grid.length}):`);
  for (const row of grid.slice(0, 6)) console.log(`  ${row.weights.padEnd(12)} CV F1 ${fmt(row.f1)} (P ${fmt(row.precision)} R ${fmt(row.recall)}), best threshold on all pairs ${row.threshold}`);
  report.weightGrid = grid.slice(0, 10);
}

// SimHash (Charikar 2002) of the same 3-shingles: 64 bits as two 32-bit halves, similarity 1 − Hamming/64;
// its index is the permuted-table scheme (4 tables of 16 bits: any pair within Hamming 3 shares a table key).
function simhash(text: { title: string; body: string }): [number, number] {
  const shingles = shingleHashes(lettersOf(`${normaliseText(text.title)}。${normaliseText(text.body)}`), 3);
  const counts = new Int32Array(64);
  for (const shingle of shingles) {
    const halves = [fmix32(shingle ^ 0x51ed270b), fmix32(shingle ^ 0x2545f491)];
    for (let bit = 0; bit < 64; bit += 1) counts[bit]! += (halves[bit >> 5]! >>> (bit & 31)) & 1 ? 1 : -1;
  }
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit += 1) {
    if (counts[bit]! > 0) lo |= 1 << bit;
    if (counts[bit + 32]! > 0) hi |= 1 << bit;
  }
  return [lo >>> 0, hi >>> 0];
}
const popcount = (value: number) => {
  let v = value >>> 0;
  let count = 0;
  while (v) {
    v &= v - 1;
    count += 1;
  }
  return count;
};
const hamming = (a: [number, number], b: [number, number]) => popcount(a[0] ^ b[0]) + popcount(a[1] ^ b[1]);
const tables = (h: [number, number]) => [h[0] & 0xffff, h[0] >>> 16, h[1] & 0xffff, h[1] >>> 16];
const simCache = new Map<string, [number, number]>();
const sim = (ref: string) => {
  let value = simCache.get(ref);
  if (!value) simCache.set(ref, (value = simhash(messages.get(ref)!)));
  return value;
};
const simScores = pairs.map((pair) => 1 - hamming(sim(pair.a), sim(pair.b)) / 64);
const simCandidates = pairs.map((pair) => tables(sim(pair.a)).some((key, i) => tables(sim(pair.b))[i] === key));
const simBuckets = new Map<string, number>();
for (const ref of refs) for (const [i, key] of tables(sim(ref)).entries()) simBuckets.set(`${i}:${key}`, (simBuckets.get(`${i}:${key}`) ?? 0) + 1);
const simBackground = refs.reduce((sum, ref) => sum + tables(sim(ref)).reduce((inner, key, i) => inner + simBuckets.get(`${i}:${key}`)! - 1, 0), 0) / refs.length / (refs.length - 1);
const simBest = bestThreshold(simScores, labels);
const simIndexed = bestThreshold(simScores.map((score, i) => (simCandidates[i] ? score : 0)), labels);
const simRow = {
  name: 'SimHash 64-bit, 4 tables × 16 bits',
  candidateRecall: simCandidates.filter((hit, i) => hit && labels[i] === 1).length / positives,
  candidatesPerLookupAt1M: Math.round(simBackground * 1_000_000),
  best: simBest,
  indexedBest: simIndexed,
  crossValidated: crossValidated(simScores.map((score, i) => (simCandidates[i] ? score : 0)), labels),
};
console.log(
  `\n${simRow.name}: cand.recall ${fmt(simRow.candidateRecall)}  ~${simRow.candidatesPerLookupAt1M} cand/1M  best F1 (no index) ${fmt(simBest.f1)} @${simBest.threshold.toFixed(2)} (P ${fmt(simBest.precision)} R ${fmt(simBest.recall)}); with its index: F1 ${fmt(simIndexed.f1)} (P ${fmt(simIndexed.precision)} R ${fmt(simIndexed.recall)}); CV F1 ${fmt(simRow.crossValidated.f1)}`,
);

// Days between the two messages of each duplicate pair: what the time window costs.
const days = pairs.filter((pair) => pair.label === 1).map((pair) => Math.abs(messages.get(pair.a)!.time.getTime() - messages.get(pair.b)!.time.getTime()) / 86_400_000);
const within = (limit: number) => days.filter((d) => d <= limit).length / days.length;
console.log(`\nDuplicates within 7 / 30 / 60 / 90 days: ${fmt(within(7))} / ${fmt(within(30))} / ${fmt(within(60))} / ${fmt(within(90))}`);

// The misses of the default, for reading.
console.log('\nDefault misses (label, score, text, place, problem, refs):');
main.sims.forEach((similarity, i) => {
  const predicted = main.scores[i]! >= DEFAULT_PARAMETERS.threshold;
  if (predicted === (labels[i] === 1)) return;
  const pair = pairs[i]!;
  console.log(`  ${labels[i]} ${fmt(main.scores[i]!)} t${fmt(similarity.text)} p${fmt(similarity.place.score)}(${similarity.place.basis}:${similarity.place.shared.slice(0, 3).join(',')}) q${fmt(similarity.problem.score)}(${similarity.problem.shared.slice(0, 4).join(',')}) ${pair.a} ${pair.b}`);
});

Object.assign(report, { default: main.row, variants: variantRows, simhash: simRow, duplicatesWithinDays: { 7: within(7), 30: within(30), 60: within(60), 90: within(90) }, hashCheck: hashText('民心') });
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
