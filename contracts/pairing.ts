/** Request and response schemas of pairing (结对帮扶), shared by the server and the web app. */
import { z } from 'zod';
import { pageOf, paginationQuery } from './platform.ts';

export const registryKindSchema = z.enum(['cadres', 'households']);
export type RegistryKind = z.infer<typeof registryKindSchema>;

export const registryImportQuerySchema = z.strictObject({
  skipInvalid: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  filename: z.string().max(200).optional(),
});

export const registryImportReportSchema = z.object({
  kind: registryKindSchema,
  file: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(z.object({ file: z.string(), line: z.number().int(), column: z.string(), message: z.string() })),
});
export type RegistryImportReport = z.infer<typeof registryImportReportSchema>;

export const locationSchema = z.union([z.object({ x: z.number(), y: z.number() }), z.object({ lat: z.number(), lon: z.number() })]);

export const cadreSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  userId: z.number().int().nullable(),
  unit: z.string().nullable(),
  districtId: z.number().int(),
  districtName: z.string(),
  location: locationSchema,
  capacity: z.number().int(),
  load: z.number().int(),
  skills: z.array(z.string()),
  active: z.boolean(),
});
export type CadreView = z.infer<typeof cadreSchema>;

export const cadreListQuerySchema = z.strictObject({ ...paginationQuery, code: z.string().max(64).optional() });
export const cadreListSchema = pageOf(cadreSchema);

/** A household as lists show it: never its contact or notes. */
export const householdSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  districtId: z.number().int(),
  communityId: z.number().int(),
  communityName: z.string(),
  location: locationSchema,
  difficulties: z.array(z.string()),
  needs: z.array(z.string()),
  members: z.number().int(),
  cadre: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  lastVisit: z.string().nullable(),
});
export type HouseholdView = z.infer<typeof householdSchema>;

export const householdListQuerySchema = z.strictObject({
  ...paginationQuery,
  mine: z.enum(['true', 'false']).optional(),
  communityId: z.coerce.number().int().positive().optional(),
  code: z.string().max(64).optional(),
  unpaired: z.enum(['true', 'false']).optional(),
});
export const householdListSchema = pageOf(householdSchema);

export const visitSchema = z.object({
  id: z.number().int(),
  cadreName: z.string(),
  visitedOn: z.string(),
  durationMinutes: z.number().int(),
  met: z.string(),
  situation: z.string(),
  createdAt: z.string(),
});

export const needSchema = z.object({
  id: z.number().int(),
  visitId: z.number().int().nullable(),
  needType: z.string(),
  description: z.string(),
  createdAt: z.string(),
  caseId: z.number().int().nullable(),
  caseNumber: z.string().nullable(),
  caseState: z.string().nullable(),
});

/** A household's page: its private contact and notes only for its cadre and coordinators of its area (null otherwise). */
export const householdDetailSchema = householdSchema.extend({
  contact: z.object({ contactPhone: z.string().nullable(), notes: z.string().nullable() }).nullable(),
  visits: z.array(visitSchema),
  /** Needs found on visits, each with the voices case it became. */
  needCases: z.array(needSchema),
});
export type HouseholdDetailView = z.infer<typeof householdDetailSchema>;

const needTypeSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a need type such as medical, legal, employment');

export const visitInputSchema = z.strictObject({
  visitedOn: z.iso.date(),
  durationMinutes: z.number().int().min(1).max(1440),
  met: z.string().trim().min(1).max(200),
  situation: z.string().trim().min(1).max(4000),
  needs: z
    .array(
      z.strictObject({
        needType: needTypeSchema,
        description: z.string().trim().min(2).max(2000),
        categoryPath: z.string().max(320).optional(),
        /** Photos uploaded before with `POST /attachments` (id and token each); they go with the need's case. */
        photos: z.array(z.strictObject({ id: z.number().int().positive(), token: z.string().min(20).max(100) })).max(5).optional(),
      }),
    )
    .max(10)
    .default([]),
});
export type VisitInput = z.infer<typeof visitInputSchema>;

export const visitReceiptSchema = z.object({
  visitId: z.number().int(),
  needs: z.array(z.object({ needId: z.number().int(), caseId: z.number().int(), caseNumber: z.string() })),
});

export const runInputSchema = z.strictObject({
  scenario: z.enum(['full', 'plain']).default('full'),
  districtId: z.number().int().positive().nullable().default(null),
  changePenalty: z.number().int().min(0).max(1_000_000).optional(),
  fairness: z.number().int().min(0).max(1_000_000).optional(),
  timeLimitSeconds: z.number().min(1).max(60).optional(),
});
export type RunInput = z.input<typeof runInputSchema>;

export const runDiffSchema = z.object({
  kept: z.number().int(),
  changed: z.array(z.object({ householdId: z.number().int(), from: z.number().int(), to: z.number().int() })),
  added: z.array(z.object({ householdId: z.number().int(), to: z.number().int() })),
  unserved: z.array(z.number().int()),
  ended: z.array(z.object({ householdId: z.number().int(), from: z.number().int() })),
});

export const runSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int().nullable(),
  scenario: z.enum(['full', 'plain']),
  options: z.record(z.string(), z.unknown()),
  /** queued → running → proposed (then approved or rejected), or failed; the numbers and the diff exist once proposed. */
  status: z.enum(['queued', 'running', 'proposed', 'approved', 'rejected', 'failed']),
  /** 0–1 while queued or running (1 once done), with the step (loading, candidates, augment, price, preview, storing). */
  progress: z.number().min(0).max(1),
  phase: z.string().nullable(),
  /** Why a failed run failed. */
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  solverStatus: z.string(),
  cost: z.number().nullable(),
  lowerBound: z.number().nullable(),
  gap: z.number().nullable(),
  certified: z.boolean(),
  solveMs: z.number().int(),
  greedyCost: z.number().nullable(),
  /** The greedy preview's gap to the optimum: (greedy − optimum) / optimum. */
  greedyGap: z.number().nullable(),
  cadres: z.number().int(),
  households: z.number().int(),
  diff: runDiffSchema,
  unserved: z.array(z.object({ householdId: z.number().int(), reason: z.string() })),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type RunView = z.infer<typeof runSchema>;
export const runListSchema = z.object({ items: z.array(runSchema.omit({ diff: true })) });

export const coverageQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(60),
  needDays: z.coerce.number().int().min(1).max(365).default(30),
});

export const coverageSchema = z.object({
  days: z.number().int(),
  needDays: z.number().int(),
  households: z.number().int(),
  paired: z.number().int(),
  visitedWithin: z.number().int(),
  overdue: z.array(
    z.object({ householdId: z.number().int(), code: z.string(), communityName: z.string(), cadreId: z.number().int().nullable(), cadreName: z.string().nullable(), lastVisit: z.string().nullable() }),
  ),
  cadresBehind: z.array(z.object({ cadreId: z.number().int(), code: z.string(), name: z.string(), households: z.number().int(), overdue: z.number().int() })),
  needsOpen: z.array(
    z.object({ needId: z.number().int(), householdId: z.number().int(), needType: z.string(), createdAt: z.string(), caseNumber: z.string().nullable(), caseState: z.string().nullable() }),
  ),
});
export type CoverageView = z.infer<typeof coverageSchema>;

export const pairingStatsQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(90) });
export const pairingStatsSchema = z.object({
  days: z.number().int(),
  districts: z.array(
    z.object({ districtId: z.number().int(), name: z.string(), cadres: z.number().int(), households: z.number().int(), paired: z.number().int(), visited: z.number().int(), visitRate: z.number() }),
  ),
});
export type PairingStatsView = z.infer<typeof pairingStatsSchema>;
