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
  /** The linked `cadre` account's login, if any. */
  username: z.string().nullable(),
  unit: z.string().nullable(),
  districtId: z.number().int(),
  districtName: z.string(),
  location: locationSchema,
  capacity: z.number().int(),
  load: z.number().int(),
  skills: z.array(z.string()),
  active: z.boolean(),
  /** Optimistic concurrency: send it back with an edit; an edit of an older version is refused (409). */
  version: z.number().int(),
});
export type CadreView = z.infer<typeof cadreSchema>;

const codeSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a code: letters, digits, . _ - (at most 64)');
/** Skills and needs are the optimiser's tags (medical, legal, employment …). */
const tagListSchema = z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a tag such as medical, legal, employment')).max(20);
const editLocationSchema = z.union([
  z.strictObject({ x: z.number().min(-10_000).max(10_000), y: z.number().min(-10_000).max(10_000) }),
  z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
]);

const cadreUnitSchema = z.string().trim().max(200).nullable();
/** The cadre's login (a `cadre` account), which lets them see their households; null for none. */
const cadreUsernameSchema = z.string().trim().min(1).max(64).nullable();

/** A cadre's editable fields (no defaults, so that an edit changes only what it names). */
const cadreFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  unit: cadreUnitSchema,
  districtId: z.number().int().positive(),
  location: editLocationSchema,
  capacity: z.number().int().min(0).max(1000),
  skills: tagListSchema,
  username: cadreUsernameSchema,
  /** false: the cadre left (or is away); their households show up for re-pairing in the next run. */
  active: z.boolean(),
});

/** A cadre entered by hand (the coordinator's form). */
export const cadreCreateSchema = cadreFieldsSchema.extend({
  code: codeSchema,
  unit: cadreUnitSchema.default(null),
  skills: tagListSchema.default([]),
  username: cadreUsernameSchema.default(null),
  active: z.boolean().default(true),
});
export type CadreCreateInput = z.input<typeof cadreCreateSchema>;
/** An edit of a cadre: the fields to change and the version they were read at. */
export const cadreUpdateSchema = cadreFieldsSchema.partial().extend({ version: z.number().int().positive() });
export type CadreUpdateInput = z.input<typeof cadreUpdateSchema>;

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
  active: z.boolean(),
  version: z.number().int(),
});
export type HouseholdView = z.infer<typeof householdSchema>;

const difficultiesSchema = z.array(z.string().regex(/^[^\s]{1,40}$/u, 'a word of at most 40 characters')).max(20);
/** Private: shown only to the household's cadre and coordinators of its area, never logged. */
const contactPhoneSchema = z.string().trim().regex(/^[0-9+\- ()]{3,40}$/, 'a phone number').nullable();
const notesSchema = z.string().trim().max(2000).nullable();

/** A household's editable fields (no defaults, so that an edit changes only what it names). */
const householdFieldsSchema = z.strictObject({
  communityId: z.number().int().positive(),
  location: editLocationSchema,
  difficulties: difficultiesSchema,
  needs: tagListSchema,
  members: z.number().int().min(1).max(50),
  contactPhone: contactPhoneSchema,
  notes: notesSchema,
  /** false: no longer in difficulty; its pair ends in the next run. */
  active: z.boolean(),
});

/** A household entered by hand (the coordinator's form); its district is its community's. */
export const householdCreateSchema = householdFieldsSchema.extend({
  code: codeSchema,
  difficulties: difficultiesSchema.default([]),
  needs: tagListSchema.default([]),
  members: z.number().int().min(1).max(50).default(1),
  contactPhone: contactPhoneSchema.default(null),
  notes: notesSchema.default(null),
  active: z.boolean().default(true),
});
export type HouseholdCreateInput = z.input<typeof householdCreateSchema>;
/** An edit of a household: the fields to change and the version they were read at. */
export const householdUpdateSchema = householdFieldsSchema.partial().extend({ version: z.number().int().positive() });
export type HouseholdUpdateInput = z.input<typeof householdUpdateSchema>;

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
