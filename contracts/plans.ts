/** Request and response schemas of work plans and the adoption of suggestions, shared by the server and the web app. */
import { z } from 'zod';

export const PLAN_ITEM_STATUSES = ['planned', 'in_progress', 'done', 'dropped'] as const;
export const planItemStatusSchema = z.enum(PLAN_ITEM_STATUSES);
export type PlanItemStatus = z.infer<typeof planItemStatusSchema>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const planCreateSchema = z.strictObject({
  /** Defaults to the handler's own department; coordinators must name one. */
  departmentId: z.number().int().positive().optional(),
  title: z.string().trim().min(1).max(200),
  year: z.number().int().min(2000).max(2100),
  period: z.string().trim().min(1).max(40).optional(),
});

export const planListQuerySchema = z.strictObject({
  departmentId: z.coerce.number().int().positive().optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const planSchema = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  department: z.string(),
  title: z.string(),
  year: z.number().int(),
  period: z.string().nullable(),
  itemCount: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlanView = z.infer<typeof planSchema>;
export const planListSchema = z.object({ items: z.array(planSchema) });

export const planItemCreateSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(4000).optional(),
  ownerUserId: z.number().int().positive().nullable().optional(),
  dueDate: day.nullable().optional(),
  budgetNote: z.string().trim().max(1000).nullable().optional(),
  progress: z.number().int().min(0).max(100).optional(),
  status: planItemStatusSchema.optional(),
});
export type PlanItemCreate = z.infer<typeof planItemCreateSchema>;

/**
 * A change of an item, optimistic: send the version you read (409 `version_conflict` when stale).
 * `note` says what happened (e.g. 已完成招标); it goes with the news to the source cases' timelines, not into the item.
 */
export const planItemPatchSchema = planItemCreateSchema
  .partial()
  .extend({ version: z.number().int().positive(), note: z.string().trim().min(1).max(500).optional() });
export type PlanItemPatch = z.infer<typeof planItemPatchSchema>;

export const planItemSchema = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  planTitle: z.string(),
  departmentId: z.number().int(),
  title: z.string(),
  description: z.string(),
  ownerUserId: z.number().int().nullable(),
  dueDate: z.string().nullable(),
  budgetNote: z.string().nullable(),
  progress: z.number().int(),
  status: planItemStatusSchema,
  version: z.number().int(),
  /** The cases (suggestions) adopted into the item. */
  sourceCaseIds: z.array(z.number().int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlanItemView = z.infer<typeof planItemSchema>;
export const planItemListSchema = z.object({ items: z.array(planItemSchema) });

/** Adopt a suggestion into an existing item, or into a new item of a plan. */
export const adoptRequestSchema = z.union([
  z.strictObject({ planItemId: z.number().int().positive() }),
  z.strictObject({ newItem: planItemCreateSchema.extend({ planId: z.number().int().positive() }) }),
]);
export type AdoptRequest = z.infer<typeof adoptRequestSchema>;

/** What an originator (or anyone holding the tracking code) sees of the items their suggestion went into. */
export const adoptionSchema = z.object({
  planTitle: z.string(),
  itemTitle: z.string(),
  status: planItemStatusSchema,
  progress: z.number().int(),
  dueDate: z.string().nullable(),
});
export type AdoptionView = z.infer<typeof adoptionSchema>;
export const adoptionListSchema = z.object({ adoptedInto: z.array(adoptionSchema) });
