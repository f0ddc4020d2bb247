/**
 * Reply quality (答复质量) scoring, pure: relevance, completeness,
 * explainability and timeliness of a government reply to a citizen's
 * message, each 0–1 with the cues that fired, and a weighted overall score.
 * Method and validation: docs/reply-quality.md.
 *
 * @example
 * import { scoreReply } from '../../algorithms/reply-quality/index.ts';
 * const quality = scoreReply({ title, body, reply, delay: { elapsed: 4, limit: 15, unit: 'working_days' } });
 * quality.overall; quality.relevance.cues;
 */
export {
  REPLY_QUALITY_METHOD,
  REPLY_QUALITY_WEIGHTS,
  scoreReply,
  timelinessOf,
  type DimensionScore,
  type ReplyCue,
  type ReplyCueCode,
  type ReplyDelay,
  type ReplyDimension,
  type ReplyQuality,
  type ReplyQualityInput,
} from './reply-quality.ts';
export { kendallTauB, midRanks, spearman } from './rank-correlation.ts';
export { LABEL_SAMPLE, pickLabelSample, type LabelSampleOptions, type SampledReply } from './label-sample.ts';
