/**
 * Request and response schemas of the voices API (messages, cases, tracking,
 * categories, routing rules), shared by the server and the web app.
 */
import { z } from 'zod';
import { paginationQuery } from './platform.ts';
import { replyQualitySchema } from './reply-quality.ts';

export const caseKindSchema = z.enum(['complaint', 'request_for_help', 'consultation', 'suggestion', 'praise']);
export const caseStateSchema = z.enum([
  'accepted',
  'dispatched',
  'in_progress',
  'returned',
  'transfer_requested',
  'extension_requested',
  'suspended',
  'replied',
  'verifying',
  'rated',
  'reopened',
  'closed',
  'merged',
  'not_in_scope',
]);

const id = z.number().int().positive();
const instant = z.string();
const note = z.string().max(4000);
const futureDue = z.iso.datetime({ offset: true }).optional();

// --- photos ---------------------------------------------------------------------

/** Photos on a message: the types kept (the server checks the bytes, not just the label), the size and count limits. */
export const PHOTO_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS_PER_MESSAGE = 5;

/** `POST /attachments` answers with the upload's id and the token that proves the uploader made it (shown once). */
export const attachmentReceiptSchema = z.object({
  id: z.number().int(),
  token: z.string(),
  contentType: z.enum(PHOTO_UPLOAD_TYPES),
  byteSize: z.number().int(),
});
export type AttachmentReceiptView = z.infer<typeof attachmentReceiptSchema>;

/** A photo of a message as cases and the track page list it; the bytes come from the photo's own route. */
export const photoSchema = z.object({
  id: z.number().int(),
  contentType: z.enum(PHOTO_UPLOAD_TYPES),
  byteSize: z.number().int(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});
export type PhotoView = z.infer<typeof photoSchema>;

export const casePhotoParamsSchema = z.strictObject({ id: z.coerce.number().int().positive(), photoId: z.coerce.number().int().positive() });
export const trackedPhotoParamsSchema = z.strictObject({ code: z.string().min(1).max(40), photoId: z.coerce.number().int().positive() });

// --- messages -------------------------------------------------------------------

export const messageCreateSchema = z.strictObject({
  title: z.string().trim().min(1).max(100),
  description: z.string().trim().min(1).max(4000),
  kind: caseKindSchema,
  categoryPath: z.string().trim().max(320).optional(),
  communityId: id.optional(),
  districtId: id.optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  address: z.string().trim().max(200).optional(),
  contact: z
    .strictObject({
      name: z.string().trim().max(50).optional(),
      phone: z.string().trim().regex(/^\+?[0-9 -]{5,20}$/, 'digits, spaces, - and an optional leading +').optional(),
      email: z.string().trim().max(200).pipe(z.email()).optional(),
    })
    .optional(),
  /** Uploads from `POST /attachments` (id and token each), linked to the message in the order given. */
  photos: z
    .array(z.strictObject({ id, token: z.string().min(20).max(100) }))
    .max(MAX_PHOTOS_PER_MESSAGE)
    .optional(),
  /**
   * How the message reached the city: `api` (the default), `web` (the web form) or `visit` (a signed-in
   * cadre writing down what a resident said on a home visit; other callers get 403, and the resident's
   * name or phone is required).
   */
  channel: z.enum(['web', 'api', 'visit']).optional(),
});
export type MessageCreate = z.infer<typeof messageCreateSchema>;

export const idempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional(),
});

export const messageReceiptSchema = z.object({
  messageId: z.number().int(),
  caseId: z.number().int(),
  caseNumber: z.string(),
  trackingCode: z.string(),
  submittedAt: instant,
});
export type MessageReceiptView = z.infer<typeof messageReceiptSchema>;

// --- cases ----------------------------------------------------------------------

export const slaSchema = z.object({
  state: z.enum(['on_time', 'due_soon', 'overdue', 'paused']),
  dueAt: instant.nullable(),
  remaining: z.number(),
  unit: z.enum(['working_days', 'hours']),
  provisional: z.boolean(),
});

export const caseSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  kind: caseKindSchema,
  state: caseStateSchema,
  version: z.number().int(),
  categoryPath: z.string().nullable(),
  districtId: z.number().int().nullable(),
  districtName: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  /** The lead department's name (and English name, when it has one); null before dispatch. */
  departmentName: z.string().nullable(),
  departmentNameEn: z.string().nullable(),
  /** Kept for older clients; `coHandlers` carries the same ids with names. */
  coHandlerIds: z.array(z.number().int()),
  coHandlers: z.array(z.object({ id: z.number().int(), name: z.string(), nameEn: z.string().nullable() })),
  urgent: z.boolean(),
  dueAt: instant.nullable(),
  sla: slaSchema.nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseListQuerySchema = z.strictObject({
  queue: z.enum(['triage']).optional(),
  state: caseStateSchema.optional(),
  categoryPrefix: z.string().max(320).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(100).optional(),
  ...paginationQuery,
});

const contactSchema = z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() });

export const caseMessageSchema = z.object({
  id: z.number().int(),
  channel: z.enum(['web', 'api', 'open311', 'import', 'visit']),
  kind: caseKindSchema,
  title: z.string(),
  body: z.string(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  communityId: z.number().int().nullable(),
  submittedAt: instant,
  /** Present only for the lead department's handlers and coordinators in scope; each such read is audited. */
  contact: contactSchema.nullable().optional(),
  /** Its photos, for readers of the case (a citizen: of their own messages); bytes at `/cases/{id}/photos/{photoId}`. */
  photos: z.array(photoSchema),
  /** The classifier's category for the message at intake (taxonomy path, confidence 0–1, model); null before classification or for imports. */
  suggestion: z.object({ categoryPath: z.string(), confidence: z.number().min(0).max(1), model: z.string() }).nullable(),
});

export const timelineEntrySchema = z.object({
  version: z.number().int(),
  round: z.number().int(),
  at: instant,
  actor: z.string(),
  event: z.string(),
  from: caseStateSchema.nullable(),
  to: caseStateSchema,
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const ratingSchema = z.object({
  round: z.number().int(),
  score: z.number().int(),
  comment: z.string(),
  at: instant,
  verification: z.enum(['pending', 'confirmed', 'dismissed']).nullable(),
});

export const caseDetailSchema = caseSummarySchema.extend({
  round: z.number().int(),
  requesterCount: z.number().int(),
  reply: z.object({ text: z.string(), at: instant, round: z.number().int() }).nullable(),
  ratings: z.array(ratingSchema),
  pendingTransfer: z.object({ toDepartmentId: z.number().int(), reason: z.string() }).nullable(),
  pendingExtension: z.object({ days: z.number().int(), reason: z.string() }).nullable(),
  allowedEvents: z.array(z.string()),
  messages: z.array(caseMessageSchema),
  timeline: z.array(timelineEntrySchema),
  /** The quality scores of the case's replies, oldest first: for staff who read the case, absent for the citizen. */
  replyQuality: z.array(replyQualitySchema).optional(),
});
export type CaseDetailView = z.infer<typeof caseDetailSchema>;

/** Every event staff and signed-in citizens may fire over HTTP (`join` is the intake's). */
export const caseEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dispatch'), departmentId: id, coHandlerIds: z.array(id).max(10).optional(), dueAt: futureDue }),
  z.strictObject({ type: z.literal('accept_work') }),
  z.strictObject({ type: z.literal('add_note'), text: note }),
  z.strictObject({ type: z.literal('reply'), text: note }),
  z.strictObject({ type: z.literal('return'), reason: note }),
  z.strictObject({ type: z.literal('arbitrate'), departmentId: id, coHandlerIds: z.array(id).max(10).optional(), reason: note, dueAt: futureDue }),
  z.strictObject({ type: z.literal('request_transfer'), toDepartmentId: id, reason: note }),
  z.strictObject({ type: z.literal('approve_transfer'), dueAt: futureDue }),
  z.strictObject({ type: z.literal('reject_transfer'), reason: note }),
  z.strictObject({ type: z.literal('request_extension'), days: z.number().int(), reason: note }),
  z.strictObject({ type: z.literal('approve_extension'), dueAt: futureDue }),
  z.strictObject({ type: z.literal('reject_extension'), reason: note }),
  z.strictObject({ type: z.literal('suspend'), reason: note }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('urge'), note }),
  z.strictObject({ type: z.literal('rate'), score: z.number().int(), comment: z.string().max(1000).optional() }),
  z.strictObject({ type: z.literal('verify_unsatisfied'), confirmed: z.boolean(), note, dueAt: futureDue }),
  z.strictObject({ type: z.literal('close'), note: note.optional() }),
  z.strictObject({ type: z.literal('merge'), intoCaseId: id, reason: note.optional() }),
  z.strictObject({ type: z.literal('reject_as_not_in_scope'), reason: note }),
  z.strictObject({ type: z.literal('categorise'), categoryPath: z.string().trim().min(1).max(320), reason: note.optional() }),
]);
export type CaseEventRequest = z.infer<typeof caseEventSchema>;

export const caseEventRequestSchema = z.strictObject({ version: z.number().int().positive(), event: caseEventSchema });

/** One event for many cases, each with the version the caller read (at most 200, no case twice). */
export const caseBulkEventRequestSchema = z.strictObject({
  items: z
    .array(z.strictObject({ caseId: id, version: z.number().int().positive() }))
    .min(1)
    .max(200)
    .refine((items) => new Set(items.map((item) => item.caseId)).size === items.length, 'a case may appear only once'),
  event: caseEventSchema,
});

/**
 * Each case's outcome, in the order asked: `ok`, or the problem it would have
 * had alone (`status` and `code` as in problem+json: 409 `version_conflict`
 * when stale, 409 `conflict` with `allowed` when the event is not allowed
 * in its state, 403 `forbidden`, 404 `not_found`, 422 `validation_failed`).
 */
export const caseBulkEventResultSchema = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.object({
      caseId: z.number().int(),
      ok: z.boolean(),
      status: z.number().int(),
      code: z.string().nullable(),
      detail: z.string().nullable(),
      allowed: z.array(z.string()).optional(),
      number: z.string().nullable(),
      state: caseStateSchema.nullable(),
      version: z.number().int().nullable(),
    }),
  ),
});
export type CaseBulkEventResult = z.infer<typeof caseBulkEventResultSchema>;

/** The list's filters, for the deadline export (`lang` picks the column labels). */
export const caseExportQuerySchema = z.strictObject({
  queue: z.enum(['triage']).optional(),
  state: caseStateSchema.optional(),
  categoryPrefix: z.string().max(320).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(100).optional(),
  lang: z.enum(['zh-CN', 'en']).optional(),
});

// --- tracking -------------------------------------------------------------------

export const trackingParamsSchema = z.strictObject({ code: z.string().min(1).max(40) });

/** The public view of a case: no requester identity, no contact, personal data in texts masked. */
export const trackedCaseSchema = z.object({
  caseNumber: z.string(),
  title: z.string(),
  kind: caseKindSchema,
  categoryPath: z.string().nullable(),
  districtName: z.string().nullable(),
  state: caseStateSchema,
  version: z.number().int(),
  submittedAt: instant,
  dueAt: instant.nullable(),
  reply: z.object({ text: z.string(), at: instant }).nullable(),
  mayRate: z.boolean(),
  timeline: z.array(z.object({ at: instant, event: z.string(), from: caseStateSchema.nullable(), to: caseStateSchema })),
  /** The photos of the tracked message (the code's own, for its holder); bytes at `/track/{code}/photos/{photoId}`. */
  photos: z.array(photoSchema),
});
export type TrackedCaseView = z.infer<typeof trackedCaseSchema>;

export const trackingRatingSchema = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).optional(),
  version: z.number().int().positive(),
});

// --- categories -----------------------------------------------------------------

export const categorySchema = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  level: z.number().int(),
  name: z.string(),
  path: z.string(),
});
export const categoryListSchema = z.object({ items: z.array(categorySchema) });

// --- routing rules --------------------------------------------------------------

export const routingRuleSchema = z.object({
  id: z.number().int(),
  categoryPathPrefix: z.string(),
  districtId: z.number().int().nullable(),
  departmentId: z.number().int(),
  coHandlerIds: z.array(z.number().int()),
  priority: z.number().int(),
  createdAt: instant,
  createdBy: z.number().int().nullable(),
  retiredAt: instant.nullable(),
  replacesId: z.number().int().nullable(),
});
export type RoutingRuleView = z.infer<typeof routingRuleSchema>;
export const routingRuleListSchema = z.object({ items: z.array(routingRuleSchema) });
export const routingRuleListQuerySchema = z.strictObject({ history: z.enum(['true', 'false']).optional() });

export const routingRuleInputSchema = z.strictObject({
  categoryPathPrefix: z.string().trim().max(320).default(''),
  districtId: id.nullable().default(null),
  departmentId: id,
  coHandlerIds: z.array(id).max(10).default([]),
  priority: z.number().int().min(-1000).max(1000).default(0),
});
