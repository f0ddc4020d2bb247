/**
 * Reply quality (答复质量): how well a government reply answers a citizen's
 * message, on four dimensions each from 0 to 1 and an overall weighted score,
 * with the cues that fired so a handler sees why. The method is described in
 * docs/reply-quality.md; it is a transparent rule-based scorer, not a model,
 * and deterministic.
 */
import { askSentences, contentLength, contentPairs, pairRecall, readReply, type ReplyText } from './reply-text.ts';
import { ACTION, CONTACT, DOCUMENT_NUMBER, METHOD, NAMED_DOCUMENT, REASONING, RESULT, RULE_REFERENCE, UNIT, WHEN } from './reply-cues.ts';

/** Names the method and its version: stored with every score so a later method never mixes with an earlier one. */
export const REPLY_QUALITY_METHOD = 'reply-quality/1';

/**
 * How much each dimension counts in `overall` (they sum to 1). Relevance
 * leads: a reply that does not answer the question fails whatever else it
 * does. Without a known delay, timeliness is left out and the rest re-weighed.
 */
export const REPLY_QUALITY_WEIGHTS = Object.freeze({ relevance: 0.35, completeness: 0.3, explainability: 0.2, timeliness: 0.15 });

export type ReplyDimension = keyof typeof REPLY_QUALITY_WEIGHTS;

/** The cues a score may report; the web app names each in Chinese and English. */
export type ReplyCueCode =
  // relevance
  | 'message_overlap'
  | 'asks_addressed'
  | 'substance'
  | 'acknowledgement_only'
  | 'forwarded_only'
  | 'not_our_remit'
  // completeness
  | 'who'
  | 'what'
  | 'when'
  | 'how'
  | 'result'
  | 'contact'
  // explainability
  | 'named_document'
  | 'document_number'
  | 'rule_reference'
  | 'reasoning'
  // timeliness
  | 'within_limit'
  | 'late';

/** One cue that fired: a code, and where useful a count (of a total) or a share from 0 to 1. */
export interface ReplyCue {
  readonly code: ReplyCueCode;
  readonly count?: number;
  readonly total?: number;
  readonly share?: number;
}

export interface DimensionScore {
  /** 0 (absent) to 1 (fully there), rounded to 4 decimals. */
  readonly score: number;
  readonly cues: readonly ReplyCue[];
}

/** How long the reply took, against the limit, in one unit (working days, or hours for urgent cases). */
export interface ReplyDelay {
  /** From receipt to the reply, e.g. working days after the day of receipt up to the day of reply. ≥ 0. */
  readonly elapsed: number;
  /** The statutory or configured limit in the same unit. > 0. */
  readonly limit: number;
  readonly unit: 'working_days' | 'hours';
}

export interface ReplyQualityInput {
  readonly title: string;
  readonly body: string;
  readonly reply: string;
  /** Null or absent when the times are unknown: timeliness is then null. */
  readonly delay?: ReplyDelay | null;
}

export interface ReplyQuality {
  readonly method: string;
  readonly relevance: DimensionScore;
  readonly completeness: DimensionScore;
  readonly explainability: DimensionScore;
  readonly timeliness: DimensionScore | null;
  /** The weighted mean of the dimensions present ({@link REPLY_QUALITY_WEIGHTS}). */
  readonly overall: number;
}

/** Asks looked at, at most (a long message lists its main asks first). */
const MAX_ASKS = 8;
/** Substance (characters) at which a reply counts as fully developed; engagement grows with its logarithm up to there. */
const FULL_SUBSTANCE = 300;
/** A share of the message's character pairs this high already reads as fully on topic (replies paraphrase: 我镇, 你村). */
const FULL_OVERLAP = 0.5;
/** An ask counts as addressed when this share of its character pairs recurs in the reply. */
const ASK_ADDRESSED = 0.5;

/**
 * Scores one reply to one message. Pure and deterministic; about a
 * millisecond for usual texts, linear in their length.
 *
 * @throws RangeError when `delay` is not finite, `elapsed` < 0 or `limit` ≤ 0.
 * @example
 * scoreReply({ title: '咨询驾驶证迁回', body: '驾驶证怎么迁回L5县？', reply: '携带身份证、驾驶证到县车管所办理即可。', delay: { elapsed: 2, limit: 15, unit: 'working_days' } }).overall
 */
export function scoreReply(input: ReplyQualityInput): ReplyQuality {
  const text = readReply(input.reply, input.title);
  const substance = text.substance.normalize('NFKC').toUpperCase();
  const relevance = relevanceOf(input, text, contentPairs(substance));
  const completeness = completenessOf(substance);
  const explainability = explainabilityOf(substance);
  const timeliness = input.delay ? timelinessOf(input.delay) : null;
  const parts: [number, number][] = [
    [REPLY_QUALITY_WEIGHTS.relevance, relevance.score],
    [REPLY_QUALITY_WEIGHTS.completeness, completeness.score],
    [REPLY_QUALITY_WEIGHTS.explainability, explainability.score],
    ...(timeliness ? [[REPLY_QUALITY_WEIGHTS.timeliness, timeliness.score] as [number, number]] : []),
  ];
  const weight = parts.reduce((sum, [w]) => sum + w, 0);
  const overall = parts.reduce((sum, [w, score]) => sum + w * score, 0) / weight;
  return { method: REPLY_QUALITY_METHOD, relevance, completeness, explainability, timeliness, overall: round(overall) };
}

/**
 * Relevance = engagement × (½ + ½ overlap). Engagement grows with the log of
 * the reply's substance (up to 300 characters); overlap is 0.7 × the share
 * of the message's character pairs that recur in the reply (full at 50 %)
 * plus 0.3 × the share of its asks (questions, requests) so addressed.
 * A reply that only forwards the matter scores 0.1 (0.05 when it names no
 * office); one that only acknowledges receipt, 0; one that declines as
 * outside its remit without substance, at most 0.05.
 */
function relevanceOf(input: ReplyQualityInput, text: ReplyText, substance: ReadonlySet<string>): DimensionScore {
  const cues: ReplyCue[] = [{ code: 'substance', count: text.substanceLength }];
  const overlap = pairRecall(contentPairs(`${input.title}${input.body}`), substance);
  if (overlap !== null) cues.push({ code: 'message_overlap', share: round(overlap) });
  const asks = askSentences(`${input.title}。${input.body}`)
    .slice(0, MAX_ASKS)
    .map((ask) => contentPairs(ask))
    .filter((pairs) => pairs.size >= 3);
  const addressed = asks.filter((pairs) => (pairRecall(pairs, substance) ?? 0) >= ASK_ADDRESSED).length;
  if (asks.length > 0) cues.push({ code: 'asks_addressed', count: addressed, total: asks.length });
  const pairShare = Math.min(1, (overlap ?? 0) / FULL_OVERLAP);
  const onTopic = asks.length === 0 ? pairShare : 0.7 * pairShare + (0.3 * addressed) / asks.length;
  const engagement = Math.min(1, Math.log1p(text.substanceLength) / Math.log1p(FULL_SUBSTANCE));
  let score = engagement * (0.5 + 0.5 * onTopic);
  if (text.forwarded !== null && text.substanceLength < 40) {
    cues.push({ code: 'forwarded_only' });
    score = text.forwarded === 'named' ? 0.1 : 0.05;
  } else if (text.substanceLength < 15) {
    cues.push({ code: 'acknowledgement_only' });
    score = 0;
  }
  if (text.notOurRemit && text.substanceLength < 60) {
    cues.push({ code: 'not_our_remit' });
    score = Math.min(score, 0.05);
  }
  return { score: round(score), cues };
}

const ELEMENTS: readonly { code: ReplyCueCode; weight: number; test: (substance: string) => boolean }[] = [
  { code: 'who', weight: 0.2, test: (s) => UNIT.test(s) },
  { code: 'what', weight: 0.25, test: (s) => ACTION.test(s) },
  { code: 'when', weight: 0.2, test: (s) => WHEN.test(s) },
  { code: 'how', weight: 0.15, test: (s) => METHOD.test(s) || CONTACT.test(s) },
  { code: 'result', weight: 0.2, test: (s) => RESULT.test(s) },
];

function completenessOf(substance: string): DimensionScore {
  const fired = ELEMENTS.filter((element) => element.test(substance));
  const cues: ReplyCue[] = fired.map((element) => ({ code: element.code }));
  if (CONTACT.test(substance)) cues.push({ code: 'contact' });
  // Elements named in a line or two are thinner than the same elements developed.
  const depth = Math.min(1, contentLength(substance) / 80) ** 0.5;
  return { score: round(fired.reduce((sum, element) => sum + element.weight, 0) * depth), cues };
}

function explainabilityOf(substance: string): DimensionScore {
  const count = (pattern: RegExp): number => substance.match(pattern)?.length ?? 0;
  const documents = count(NAMED_DOCUMENT);
  const numbers = count(DOCUMENT_NUMBER);
  const rules = count(RULE_REFERENCE);
  const reasons = count(REASONING);
  const evidence = 0.8 * Math.min(documents, 3) + 0.3 * Math.min(numbers, 3) + 0.4 * Math.min(rules, 4) + 0.2 * Math.min(reasons, 5);
  const cues: ReplyCue[] = [];
  if (documents > 0) cues.push({ code: 'named_document', count: documents });
  if (numbers > 0) cues.push({ code: 'document_number', count: numbers });
  if (rules > 0) cues.push({ code: 'rule_reference', count: rules });
  if (reasons > 0) cues.push({ code: 'reasoning', count: reasons });
  return { score: round(1 - Math.exp(-evidence)), cues };
}

/**
 * Timeliness from the delay against the limit (r = elapsed / limit): full
 * marks within a third of the limit, 0.7 at the limit, 0.3 at twice the
 * limit, 0 from four times the limit, linear in between.
 *
 * @throws RangeError for a delay that is not finite, a negative elapsed time or a limit ≤ 0.
 * @example timelinessOf({ elapsed: 15, limit: 15, unit: 'working_days' }).score // → 0.7
 */
export function timelinessOf(delay: ReplyDelay): DimensionScore {
  if (!Number.isFinite(delay.elapsed) || delay.elapsed < 0) throw new RangeError(`reply delay: elapsed must be a number ≥ 0, not ${delay.elapsed}`);
  if (!Number.isFinite(delay.limit) || delay.limit <= 0) throw new RangeError(`reply delay: limit must be a number > 0, not ${delay.limit}`);
  const ratio = delay.elapsed / delay.limit;
  const score =
    ratio <= 1 / 3 ? 1 : ratio <= 1 ? 1 - (0.3 * (ratio - 1 / 3)) / (2 / 3) : ratio <= 2 ? 0.7 - 0.4 * (ratio - 1) : ratio <= 4 ? 0.3 - 0.15 * (ratio - 2) : 0;
  return { score: round(score), cues: [{ code: ratio <= 1 ? 'within_limit' : 'late', count: delay.elapsed, total: delay.limit }] };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
