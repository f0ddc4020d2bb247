/**
 * Request and response schemas of the platform API, shared by the server
 * (validation + OpenAPI) and the web app (forms + types). One schema per
 * boundary; types are inferred, never written twice.
 */
import { z } from 'zod';

export const roleSchema = z.enum(['citizen', 'handler', 'coordinator', 'cadre', 'auditor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const regionLevelSchema = z.enum(['city', 'district', 'street', 'community']);
export type RegionLevel = z.infer<typeof regionLevelSchema>;

const id = z.number().int().positive();
const code = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only, at most 40');
const name = z.string().trim().min(1).max(100);
const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, '3–40 lower-case letters, digits, . _ -');
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200);
const phone = z.string().trim().regex(/^\+?[0-9 -]{5,20}$/, 'digits, spaces, - and an optional leading +');
const email = z.string().trim().max(200).pipe(z.email());
const centroid = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** A GeoJSON Polygon or MultiPolygon (coordinates checked for shape, not topology). */
const boundary = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.unknown()).min(1),
});

export const idParamsSchema = z.strictObject({ id: z.coerce.number().int().positive() });

export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

// --- identity -------------------------------------------------------------

export const loginRequestSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(40),
  password: z.string().min(1).max(200),
  /** City code; the server's default city when absent. */
  city: z.string().max(40).optional(),
});

export const meSchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  departmentId: id.nullable(),
  departmentName: z.string().nullable(),
  scopeRegionId: id.nullable(),
  scopeRegionName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  city: z.object({ id, code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
});
export type Me = z.infer<typeof meSchema>;

export const sessionResponseSchema = z.object({ user: meSchema, csrfToken: z.string() });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const registerCitizenSchema = z.strictObject({
  username,
  password: passwordSchema,
  displayName: name,
  phone: phone.optional(),
  email: email.optional(),
  city: z.string().max(40).optional(),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

export const apiTokenCreateSchema = z.strictObject({
  name,
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const apiTokenSchema = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
/** Returned once at creation: the only time the secret is shown. */
export const apiTokenCreatedSchema = apiTokenSchema.extend({ token: z.string() });

// --- regions ----------------------------------------------------------------

export const regionSchema = z.object({
  id,
  parentId: id.nullable(),
  level: regionLevelSchema,
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  centroid: centroid.nullable(),
  hasBoundary: z.boolean(),
  childCount: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Region = z.infer<typeof regionSchema>;

export const regionCreateSchema = z.strictObject({
  parentId: id,
  code,
  name,
  nameEn: name.optional(),
  centroid: centroid.optional(),
  boundary: boundary.optional(),
});
export const regionUpdateSchema = z.strictObject({
  version: z.number().int().positive(),
  name: name.optional(),
  nameEn: name.nullable().optional(),
  centroid: centroid.nullable().optional(),
  boundary: boundary.nullable().optional(),
  active: z.boolean().optional(),
});
export const regionListQuerySchema = z.strictObject({
  parentId: z.coerce.number().int().positive().optional(),
  level: regionLevelSchema.optional(),
  q: z.string().trim().max(100).optional(),
  ...paginationQuery,
});

// --- departments ------------------------------------------------------------

export const departmentSchema = z.object({
  id,
  parentId: id.nullable(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  districtId: id.nullable(),
  districtName: z.string().nullable(),
  areas: z.array(z.string()),
  contactPhone: z.string().nullable(),
  contactEmail: z.string().nullable(),
  address: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  staffCount: z.number().int(),
});
export type Department = z.infer<typeof departmentSchema>;

export const departmentCreateSchema = z.strictObject({
  code,
  name,
  nameEn: name.optional(),
  parentId: id.optional(),
  districtId: id.optional(),
  areas: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  contactPhone: phone.optional(),
  contactEmail: email.optional(),
  address: z.string().trim().max(200).optional(),
});
export const departmentUpdateSchema = z.strictObject({
  version: z.number().int().positive(),
  name: name.optional(),
  nameEn: name.nullable().optional(),
  parentId: id.nullable().optional(),
  districtId: id.nullable().optional(),
  areas: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  contactPhone: phone.nullable().optional(),
  contactEmail: email.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().optional(),
});
export const departmentListQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  districtId: z.coerce.number().int().positive().optional(),
  area: z.string().trim().max(40).optional(),
  ...paginationQuery,
});

// --- users --------------------------------------------------------------------

export const userSchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  departmentId: id.nullable(),
  departmentName: z.string().nullable(),
  scopeRegionId: id.nullable(),
  scopeRegionName: z.string().nullable(),
  active: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;
/** A user with contact details: only for admins in scope, and every read is audited. */
export const userDetailSchema = userSchema.extend({ phone: z.string().nullable(), email: z.string().nullable() });
export type UserDetail = z.infer<typeof userDetailSchema>;

export const userCreateSchema = z.strictObject({
  username,
  displayName: name,
  role: roleSchema,
  password: passwordSchema,
  departmentId: id.optional(),
  scopeRegionId: id.optional(),
  phone: phone.optional(),
  email: email.optional(),
});
export const userUpdateSchema = z.strictObject({
  version: z.number().int().positive(),
  displayName: name.optional(),
  role: roleSchema.optional(),
  departmentId: id.nullable().optional(),
  scopeRegionId: id.nullable().optional(),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  active: z.boolean().optional(),
  /** Clear a lockout after too many failed logins. */
  unlock: z.literal(true).optional(),
});
export const passwordResetSchema = z.strictObject({ newPassword: passwordSchema });
export const userListQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  role: roleSchema.optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  ...paginationQuery,
});

// --- imports -------------------------------------------------------------------

export const importKindSchema = z.enum(['regions', 'departments', 'users']);
export type ImportKind = z.infer<typeof importKindSchema>;
export const importQuerySchema = z.strictObject({
  skipInvalid: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  filename: z.string().max(200).optional(),
});
export const importProblemSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;
export const importReportSchema = z.object({
  kind: importKindSchema,
  file: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(importProblemSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

// --- audit ---------------------------------------------------------------------

export const auditEntrySchema = z.object({
  /** Which of the city's hash chains the entry is in; `seq` counts within that chain. */
  chain: z.number().int(),
  seq: z.number().int(),
  at: z.string(),
  actorUserId: z.number().int().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  beforeDigest: z.string().nullable(),
  afterDigest: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;
/** Where the newest-first audit listing resumes: the `nextBefore` of the previous page (`<at ms>.<chain>.<seq>`). */
export const auditCursorSchema = z.string().regex(/^\d{1,15}\.\d{1,5}\.\d{1,15}$/, 'a nextBefore value from the previous page');
export const auditListQuerySchema = z.strictObject({
  before: auditCursorSchema.optional(),
  actorUserId: z.coerce.number().int().positive().optional(),
  resourceType: z.string().max(60).optional(),
  action: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z
    .object({ regionId: z.number().int(), chain: z.number().int(), seq: z.number().int(), reason: z.string() })
    .optional(),
});

// --- errors --------------------------------------------------------------------

/** RFC 9457 problem details with Minxin's stable `code`. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  allowed: z.array(z.string()).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
