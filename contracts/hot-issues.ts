/** Request and response schemas of hot issues (热点问题), shared by the server and the web app. */
import { z } from 'zod';

export const hotIssueQuerySchema = z.strictObject({
  /** The window: the last N days (the early-warning rule needs 35 to see a baseline). */
  days: z.coerce.number().int().min(1).max(90).default(30),
  /** How many issues, hottest first. */
  top: z.coerce.number().int().min(1).max(100).default(20),
});

const growthSchema = z.object({
  recent: z.number().int(),
  recentPeople: z.number().int(),
  baseline: z.number().int(),
  expected: z.number(),
  ratio: z.number(),
  probability: z.number(),
  alert: z.boolean(),
});

/** One member message: no writer, the title masked; its case for the link. */
export const hotIssueMemberSchema = z.object({
  messageId: z.number().int(),
  caseId: z.number().int(),
  caseNumber: z.string().nullable(),
  title: z.string(),
  submittedAt: z.string(),
});

export const hotIssueSchema = z.object({
  rank: z.number().int(),
  heat: z.number(),
  place: z.string().nullable(),
  /** The representative message's title, masked. */
  title: z.string(),
  keyTerms: z.array(z.string()),
  size: z.number().int(),
  people: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  growth: growthSchema,
  /** Messages per day (China Standard Time) over the window. */
  trend: z.array(z.object({ day: z.string(), count: z.number().int() })),
  /** The newest members, at most 200 (`size` counts them all). */
  members: z.array(hotIssueMemberSchema),
});
export type HotIssueView = z.infer<typeof hotIssueSchema>;

export const hotIssueAlertSchema = z.object({
  id: z.number().int(),
  periodStart: z.string(),
  place: z.string().nullable(),
  title: z.string(),
  recent: z.number().int(),
  recentPeople: z.number().int(),
  expected: z.number(),
  ratio: z.number(),
  createdAt: z.string(),
});
export type HotIssueAlertView = z.infer<typeof hotIssueAlertSchema>;

export const hotIssueReportSchema = z.object({
  generatedAt: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  /** Messages clustered; `truncated` when the window held more than the newest 100,000 read. */
  messages: z.number().int(),
  truncated: z.boolean(),
  issues: z.array(hotIssueSchema),
  /** Early-warning alerts sent in the window (one per cluster and week). */
  alerts: z.array(hotIssueAlertSchema),
});
export type HotIssueReportView = z.infer<typeof hotIssueReportSchema>;
