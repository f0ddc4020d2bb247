/**
 * Response schemas of reply quality (答复质量, docs/reply-quality.md), shared
 * by the server and the web app. Staff only: the case view carries them for
 * handlers, coordinators, auditors and admins, never for the citizen.
 */
import { z } from 'zod';

/** The cues a score may report (the web app names each in Chinese and English). */
export const REPLY_CUE_CODES = [
  'substance',
  'message_overlap',
  'asks_addressed',
  'acknowledgement_only',
  'forwarded_only',
  'not_our_remit',
  'who',
  'what',
  'when',
  'how',
  'result',
  'contact',
  'named_document',
  'document_number',
  'rule_reference',
  'reasoning',
  'within_limit',
  'late',
] as const;

/** One cue that fired: a code, and where useful a count (of a total) or a share from 0 to 1. */
export const replyCueSchema = z.object({
  code: z.enum(REPLY_CUE_CODES),
  count: z.number().optional(),
  total: z.number().optional(),
  share: z.number().optional(),
});
export type ReplyCueView = z.infer<typeof replyCueSchema>;

export const replyDimensionSchema = z.object({ score: z.number().min(0).max(1), cues: z.array(replyCueSchema) });

/** The score of one reply on a case. */
export const replyQualitySchema = z.object({
  /** The reply's timeline row. */
  version: z.number().int(),
  round: z.number().int(),
  repliedAt: z.string(),
  departmentId: z.number().int().nullable(),
  /** The scorer and its version, e.g. `reply-quality/1`. */
  method: z.string(),
  scoredAt: z.string(),
  overall: z.number().min(0).max(1),
  relevance: replyDimensionSchema,
  completeness: replyDimensionSchema,
  explainability: replyDimensionSchema,
  /** Null when the reply's days could not be counted. */
  timeliness: replyDimensionSchema.nullable(),
  /** From the round's start to the reply, against the limit in force, in one unit. */
  delay: z.object({ elapsed: z.number(), limit: z.number(), unit: z.enum(['working_days', 'hours']) }).nullable(),
});
export type ReplyQualityView = z.infer<typeof replyQualitySchema>;
