/**
 * Request and response schemas of near-duplicate join proposals (并案建议),
 * shared by the server and the web app (docs/near-duplicates.md).
 */
import { z } from 'zod';
import { paginationQuery } from './platform.ts';
import { caseStateSchema } from './voices.ts';

export const joinProposalStatusSchema = z.enum(['open', 'confirmed', 'rejected']);
export type JoinProposalStatus = z.infer<typeof joinProposalStatusSchema>;

export const joinProposalListQuerySchema = z.strictObject({
  /** `open` (default): waiting, both cases still joinable; `confirmed` or `rejected`: decided, newest first. */
  status: joinProposalStatusSchema.default('open'),
  /** Only proposals about this case, as the new or the matched one. */
  caseId: z.coerce.number().int().positive().optional(),
  ...paginationQuery,
});

export const joinProposalDecisionSchema = z.strictObject({
  /** The new case's version as read; a case changed since is 409. */
  caseVersion: z.number().int().positive().optional(),
  note: z.string().trim().max(500).optional(),
});
export type JoinProposalDecision = z.infer<typeof joinProposalDecisionSchema>;

const proposalCaseSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  state: caseStateSchema,
  version: z.number().int(),
  categoryPath: z.string().nullable(),
  districtName: z.string().nullable(),
  createdAt: z.string(),
});

/** Why the two messages were judged alike: each part's score and what it rests on. */
export const joinReasonsSchema = z.object({
  text: z.number(),
  place: z.object({
    score: z.number(),
    basis: z.enum(['community', 'district', 'pin', 'text', 'unknown']),
    shared: z.array(z.string()),
    distanceKm: z.number().nullable(),
  }),
  problem: z.object({ score: z.number(), basis: z.enum(['category', 'terms']), shared: z.array(z.string()) }),
  daysApart: z.number(),
  /** Stored messages the lookup scored. */
  candidates: z.number().int(),
  /** Other open cases that also scored at or above the threshold. */
  runnersUp: z.array(z.object({ caseId: z.number().int(), score: z.number() })),
});
export type JoinReasons = z.infer<typeof joinReasonsSchema>;

export const joinProposalSchema = z.object({
  id: z.number().int(),
  status: joinProposalStatusSchema,
  score: z.number(),
  /** The city's threshold when the proposal was made. */
  threshold: z.number(),
  reasons: joinReasonsSchema,
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.number().int().nullable(),
  decisionNote: z.string().nullable(),
  /** The new message and the case it opened. */
  message: z.object({ id: z.number().int(), title: z.string(), body: z.string(), channel: z.string(), submittedAt: z.string() }),
  case: proposalCaseSchema,
  /** The open case it says the same thing as, and its message that matched best. */
  matchedCase: proposalCaseSchema.extend({ messages: z.number().int() }),
  matchedMessage: z.object({ id: z.number().int(), title: z.string(), body: z.string(), submittedAt: z.string() }),
});
export type JoinProposalView = z.infer<typeof joinProposalSchema>;

/** The city's proposal threshold: learned from the coordinators' decisions, or the default. */
export const joinThresholdSchema = z.object({
  value: z.number(),
  learned: z.boolean(),
  defaultValue: z.number(),
  decisions: z.number().int(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  learnedAt: z.string().nullable(),
});
export type JoinThresholdView = z.infer<typeof joinThresholdSchema>;

export const joinProposalListSchema = z.object({
  items: z.array(joinProposalSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  threshold: joinThresholdSchema,
});
export type JoinProposalListView = z.infer<typeof joinProposalListSchema>;

/** A decision's answer: the proposal as decided and the threshold after learning from it. */
export const joinProposalDecisionResultSchema = z.object({
  proposal: z.object({ id: z.number().int(), status: joinProposalStatusSchema, decidedAt: z.string().nullable(), decisionNote: z.string().nullable() }),
  threshold: joinThresholdSchema,
});
export type JoinProposalDecisionResult = z.infer<typeof joinProposalDecisionResultSchema>;
