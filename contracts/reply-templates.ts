/** Request and response schemas of reply templates (答复模板), shared by the server and the web app. */
import { z } from 'zod';
import { caseKindSchema } from './voices.ts';

const id = z.number().int().positive();

export const replyTemplateInputSchema = z.strictObject({
  /** null: every category; a taxonomy path covers itself and everything below it. */
  categoryPathPrefix: z.string().trim().min(1).max(320).nullable().default(null),
  /** null: every kind. */
  kind: caseKindSchema.nullable().default(null),
  /** null: a template of the city (city-wide coordinators); else a department's own (its handlers, coordinators in scope). */
  departmentId: id.nullable().default(null),
  title: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(4000),
});
export type ReplyTemplateInput = z.output<typeof replyTemplateInputSchema>;

export const replyTemplateListQuerySchema = z.strictObject({
  /** The templates that fit this case, filled (the lead department's handlers, coordinators in scope). */
  caseId: z.coerce.number().int().positive().optional(),
  /** `true` adds retired versions. */
  history: z.enum(['true', 'false']).optional(),
  /** `city` for the city's templates, or a department id for that department's. */
  owner: z.union([z.literal('city'), z.coerce.number().int().positive()]).optional(),
  kind: caseKindSchema.optional(),
  /** Templates whose category prefix is this category or lies below it. */
  categoryPrefix: z.string().max(320).optional(),
  q: z.string().max(100).optional(),
});

export const replyTemplateSchema = z.object({
  id: z.number().int(),
  categoryPathPrefix: z.string().nullable(),
  kind: caseKindSchema.nullable(),
  departmentId: z.number().int().nullable(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  createdBy: z.number().int().nullable(),
  retiredAt: z.string().nullable(),
  replacesId: z.number().int().nullable(),
  /** With `caseId`: the body filled with the case's facts, and the placeholders left as written. */
  text: z.string().optional(),
  unfilled: z.array(z.string()).optional(),
});
export type ReplyTemplateView = z.infer<typeof replyTemplateSchema>;

export const placeholderSchema = z.object({ zh: z.string(), en: z.string(), means: z.string() });

export const replyTemplateListSchema = z.object({
  items: z.array(replyTemplateSchema),
  /** The placeholders a body may use (`{案件编号}` or `{case_number}` …). */
  placeholders: z.array(placeholderSchema),
});
export type ReplyTemplateListView = z.infer<typeof replyTemplateListSchema>;
