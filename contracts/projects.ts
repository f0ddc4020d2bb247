/** Request and response schemas of livelihood projects, findings and procurement oversight, shared by the server and the web app. */
import { z } from 'zod';

export const PROJECT_CATEGORIES = ['education', 'health', 'elderly_care', 'housing', 'transport', 'water', 'environment', 'employment', 'culture_sports', 'social_assistance', 'other'] as const;
export const PROJECT_STATUSES = ['planned', 'in_progress', 'completed', 'suspended', 'cancelled'] as const;
export const FUNDING_SOURCES = ['central', 'provincial', 'municipal', 'district', 'special_bond', 'social_capital', 'other'] as const;
export const MILESTONE_STATUSES = ['pending', 'done', 'delayed'] as const;
export const FINDING_TYPES = ['comprehensive', 'special', 'law_enforcement', 'audit'] as const;
export const FINDING_STATUSES = ['open', 'rectifying', 'closed'] as const;
export const RECTIFICATION_STATUSES = ['open', 'submitted', 'signed_off'] as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** Money in yuan (or the release's currency), at most two decimals. */
const money = z.number().nonnegative().max(1e13).refine((value) => Math.round(value * 100) === Number((value * 100).toFixed(6)), 'at most two decimals');
const id = z.number().int().positive();

export const projectCreateSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - (at most 40)'),
  name: z.string().trim().min(1).max(200),
  category: z.enum(PROJECT_CATEGORIES),
  description: z.string().trim().max(4000).optional(),
  leadDepartmentId: id,
  coDepartmentIds: z.array(id).max(20).optional(),
  districtId: id.nullable().optional(),
  areaIds: z.array(id).max(50).optional(),
  location: z.string().trim().max(200).nullable().optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  beneficiaries: z.number().int().nonnegative().nullable().optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  plannedStart: day.nullable().optional(),
  plannedEnd: day.nullable().optional(),
  year: z.number().int().min(2000).max(2100),
});
export type ProjectCreate = z.infer<typeof projectCreateSchema>;

/** A change of the registry entry, optimistic: send the version you read. */
export const projectPatchSchema = projectCreateSchema.omit({ code: true }).partial().extend({ version: z.number().int().positive() });
export type ProjectPatch = z.infer<typeof projectPatchSchema>;

export const projectListQuerySchema = z.strictObject({
  status: z.enum(PROJECT_STATUSES).optional(),
  category: z.enum(PROJECT_CATEGORIES).optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(100).optional(),
});

/** Planned (budget), contracted (OCDS contracts of linked processes) and paid (payments) money. */
export const moneySchema = z.object({
  planned: z.number(),
  contracted: z.number(),
  paid: z.number(),
  /** True when more was paid than contracted: flagged, never refused. */
  paidOverContract: z.boolean(),
});
export type MoneyView = z.infer<typeof moneySchema>;

export const projectSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  category: z.enum(PROJECT_CATEGORIES),
  leadDepartmentId: z.number().int(),
  leadDepartment: z.string(),
  districtId: z.number().int().nullable(),
  district: z.string().nullable(),
  location: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  beneficiaries: z.number().int().nullable(),
  status: z.enum(PROJECT_STATUSES),
  progress: z.number().int(),
  year: z.number().int(),
  plannedStart: z.string().nullable(),
  plannedEnd: z.string().nullable(),
  money: moneySchema,
  openFindings: z.number().int(),
  flags: z.number().int(),
  version: z.number().int(),
});
export type ProjectSummaryView = z.infer<typeof projectSummarySchema>;
export const projectListSchema = z.object({ items: z.array(projectSummarySchema) });

export const budgetLineCreateSchema = z.strictObject({ fundingSource: z.enum(FUNDING_SOURCES), description: z.string().trim().min(1).max(200), year: z.number().int().min(2000).max(2100), amount: money });
export const budgetLineSchema = budgetLineCreateSchema.extend({ id: z.number().int() });
export type BudgetLineView = z.infer<typeof budgetLineSchema>;

export const paymentCreateSchema = z.strictObject({ paidOn: day, amount: money.refine((value) => value > 0, 'more than zero'), payee: z.string().trim().min(1).max(200), purpose: z.string().trim().max(500).optional(), ocid: z.string().trim().min(1).max(200).nullable().optional() });
export const paymentSchema = z.object({ id: z.number().int(), paidOn: z.string(), amount: z.number(), payee: z.string(), purpose: z.string(), ocid: z.string().nullable() });
export type PaymentView = z.infer<typeof paymentSchema>;

export const milestoneCreateSchema = z.strictObject({ title: z.string().trim().min(1).max(200), plannedDate: day });
/** Handlers of the lead department report a milestone (status, completion date, evidence); send the version you read. */
export const milestonePatchSchema = z.strictObject({
  version: z.number().int().positive(),
  status: z.enum(MILESTONE_STATUSES).optional(),
  completedOn: day.nullable().optional(),
  evidence: z.string().trim().max(2000).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  plannedDate: day.optional(),
});
export type MilestonePatch = z.infer<typeof milestonePatchSchema>;
export const milestoneSchema = z.object({ id: z.number().int(), projectId: z.number().int(), title: z.string(), plannedDate: z.string(), completedOn: z.string().nullable(), status: z.enum(MILESTONE_STATUSES), evidence: z.string(), version: z.number().int() });
export type MilestoneView = z.infer<typeof milestoneSchema>;

export const progressUpdateCreateSchema = z.strictObject({ progress: z.number().int().min(0).max(100), note: z.string().trim().min(1).max(2000), milestoneId: id.nullable().optional(), status: z.enum(PROJECT_STATUSES).optional() });
export const progressUpdateSchema = z.object({ id: z.number().int(), milestoneId: z.number().int().nullable(), progress: z.number().int(), note: z.string(), createdAt: z.string() });
export type ProgressUpdateView = z.infer<typeof progressUpdateSchema>;

/** A link to add: a case by id or by its number (what coordinators see on the case and the hotline slip), or a work-plan item. */
export const projectLinkSchema = z.union([z.strictObject({ caseId: id }), z.strictObject({ caseNumber: z.string().trim().min(1).max(40) }), z.strictObject({ planItemId: id })]);
export type ProjectLink = z.infer<typeof projectLinkSchema>;
export const projectLinksSchema = z.object({ caseIds: z.array(z.number().int()), planItemIds: z.array(z.number().int()) });
const pathId = z.coerce.number().int().positive();
export const caseLinkParamsSchema = z.strictObject({ id: pathId, caseId: pathId });
export const planItemLinkParamsSchema = z.strictObject({ id: pathId, planItemId: pathId });

export const rectificationCreateSchema = z.strictObject({ description: z.string().trim().min(1).max(2000), ownerDepartmentId: id, dueDate: day });
export const rectificationPatchSchema = z.strictObject({
  version: z.number().int().positive(),
  evidence: z.string().trim().max(4000).optional(),
  /** Owners move open ↔ submitted; only auditors sign off (or send back to open). */
  status: z.enum(RECTIFICATION_STATUSES).optional(),
  dueDate: day.optional(),
});
export type RectificationPatch = z.infer<typeof rectificationPatchSchema>;
export const rectificationSchema = z.object({
  id: z.number().int(),
  findingId: z.number().int(),
  findingTitle: z.string(),
  projectId: z.number().int().nullable(),
  description: z.string(),
  ownerDepartmentId: z.number().int(),
  ownerDepartment: z.string(),
  dueDate: z.string(),
  evidence: z.string(),
  status: z.enum(RECTIFICATION_STATUSES),
  signedOffAt: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export type RectificationView = z.infer<typeof rectificationSchema>;
export const rectificationListSchema = z.object({ items: z.array(rectificationSchema) });
export const rectificationListQuerySchema = z.strictObject({ status: z.enum(RECTIFICATION_STATUSES).optional(), departmentId: z.coerce.number().int().positive().optional() });

export const findingCreateSchema = z.strictObject({
  type: z.enum(FINDING_TYPES),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(4000).optional(),
  foundOn: day,
  projectId: id.nullable().optional(),
  ocid: z.string().trim().min(1).max(200).nullable().optional(),
  /** Open the finding from a red flag: its project and ocid follow from the flag. */
  flagId: id.nullable().optional(),
  rectifications: z.array(rectificationCreateSchema).max(50).optional(),
});
export type FindingCreate = z.infer<typeof findingCreateSchema>;
export const findingPatchSchema = z.strictObject({ version: z.number().int().positive(), status: z.enum(FINDING_STATUSES).optional(), title: z.string().trim().min(1).max(200).optional(), description: z.string().trim().max(4000).optional() });
export type FindingPatch = z.infer<typeof findingPatchSchema>;
export const findingSchema = z.object({
  id: z.number().int(),
  projectId: z.number().int().nullable(),
  projectName: z.string().nullable(),
  ocid: z.string().nullable(),
  flagId: z.number().int().nullable(),
  type: z.enum(FINDING_TYPES),
  title: z.string(),
  description: z.string(),
  foundOn: z.string(),
  status: z.enum(FINDING_STATUSES),
  rectifications: z.array(rectificationSchema),
  version: z.number().int(),
});
export type FindingView = z.infer<typeof findingSchema>;
export const findingListSchema = z.object({ items: z.array(findingSchema) });
export const findingListQuerySchema = z.strictObject({ status: z.enum(FINDING_STATUSES).optional(), type: z.enum(FINDING_TYPES).optional(), projectId: z.coerce.number().int().positive().optional() });

/** A red flag with what a person needs to judge it: the measured value, the threshold and how the peers are spread. */
export const flagSchema = z.object({
  id: z.number().int(),
  ocid: z.string(),
  indicator: z.string(),
  subjectKind: z.enum(['process', 'buyer', 'procuring_entity', 'tenderer']),
  subjectId: z.string(),
  subjectName: z.string().nullable(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  peers: z.record(z.string(), z.unknown()),
  settingsVersion: z.number().int().nullable(),
  /** Plain words: what was measured, against what threshold, among which peers (zh-CN and English). */
  explanation: z.object({ zh: z.string(), en: z.string() }),
  projectId: z.number().int().nullable(),
});
export type FlagView = z.infer<typeof flagSchema>;

export const procurementSummarySchema = z.object({
  ocid: z.string(),
  title: z.string().nullable(),
  buyerName: z.string().nullable(),
  tenderAmount: z.number().nullable(),
  contractAmount: z.number().nullable(),
  paidAmount: z.number().nullable(),
  currency: z.string().nullable(),
  releaseCount: z.number().int(),
  projectId: z.number().int().nullable(),
  flags: z.number().int(),
  updatedAt: z.string(),
});
export type ProcurementSummaryView = z.infer<typeof procurementSummarySchema>;
export const procurementListSchema = z.object({ items: z.array(procurementSummarySchema), total: z.number().int() });
export const procurementListQuerySchema = z.strictObject({
  flagged: z.enum(['true', 'false']).optional(),
  projectId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const procurementDetailSchema = procurementSummarySchema.extend({ compiled: z.record(z.string(), z.unknown()), releases: z.array(z.object({ id: z.string(), date: z.string(), tag: z.array(z.string()) })), flagList: z.array(flagSchema) });
export type ProcurementDetailView = z.infer<typeof procurementDetailSchema>;
export const ocidParamsSchema = z.strictObject({ ocid: z.string().min(1).max(200) });
export const procurementLinkSchema = z.strictObject({ projectId: id.nullable() });

export const importQuerySchema = z.strictObject({ projectId: z.coerce.number().int().positive().optional(), name: z.string().trim().min(1).max(200).optional() });
export const importReportSchema = z.object({ importId: z.number().int(), releasesRead: z.number().int(), releasesAdded: z.number().int(), processesCompiled: z.number().int(), flags: z.number().int(), warnings: z.array(z.string()) });
export type ImportReportView = z.infer<typeof importReportSchema>;

export const flagLeaderSchema = z.object({ subjectKind: z.enum(['buyer', 'procuring_entity', 'tenderer']), subjectId: z.string(), subjectName: z.string().nullable(), flags: z.number().int(), processes: z.number().int(), indicators: z.array(z.string()) });
export const flagLeaderListSchema = z.object({ buyers: z.array(flagLeaderSchema), suppliers: z.array(flagLeaderSchema) });
export type FlagLeaderView = z.infer<typeof flagLeaderSchema>;

export const indicatorSettingsCreateSchema = z.strictObject({ settings: z.string().max(20000), note: z.string().trim().max(500).optional() });
export const indicatorSettingsSchema = z.object({ version: z.number().int(), settings: z.string(), note: z.string(), createdAt: z.string(), createdBy: z.string().nullable() });
export type IndicatorSettingsView = z.infer<typeof indicatorSettingsSchema>;
export const indicatorSettingsListSchema = z.object({ items: z.array(indicatorSettingsSchema) });

/** A linked case: number, title with personal data masked (as the public tracking view), state; null fields for a case no longer found. */
export const linkedCaseSchema = z.object({ caseId: z.number().int(), number: z.string().nullable(), title: z.string().nullable(), state: z.string().nullable() });
export type LinkedCaseView = z.infer<typeof linkedCaseSchema>;
/** A linked work-plan item: its plan, title and status. */
export const linkedPlanItemSchema = z.object({ planItemId: z.number().int(), planId: z.number().int().nullable(), planTitle: z.string().nullable(), title: z.string().nullable(), status: z.string().nullable() });
export type LinkedPlanItemView = z.infer<typeof linkedPlanItemSchema>;

export const projectDetailSchema = projectSummarySchema.extend({
  description: z.string(),
  coDepartments: z.array(z.object({ id: z.number().int(), name: z.string() })),
  areas: z.array(z.object({ id: z.number().int(), name: z.string() })),
  budgetLines: z.array(budgetLineSchema),
  payments: z.array(paymentSchema),
  milestones: z.array(milestoneSchema),
  updates: z.array(progressUpdateSchema),
  findings: z.array(findingSchema),
  linkedCases: z.array(linkedCaseSchema),
  planItemIds: z.array(z.number().int()),
  linkedPlanItems: z.array(linkedPlanItemSchema),
  procurement: z.array(procurementSummarySchema),
  flagList: z.array(flagSchema),
  /** What the caller may do here, so the page shows only working buttons. */
  allowed: z.object({ manage: z.boolean(), progress: z.boolean(), findings: z.boolean() }),
});
export type ProjectDetailView = z.infer<typeof projectDetailSchema>;

/** The public view: progress, money, milestones and open findings; no people, no contacts. */
export const publicProjectSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  category: z.enum(PROJECT_CATEGORIES),
  description: z.string(),
  leadDepartment: z.string(),
  district: z.string().nullable(),
  location: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  beneficiaries: z.number().int().nullable(),
  status: z.enum(PROJECT_STATUSES),
  progress: z.number().int(),
  year: z.number().int(),
  plannedStart: z.string().nullable(),
  plannedEnd: z.string().nullable(),
  money: moneySchema,
  milestones: z.array(z.object({ title: z.string(), plannedDate: z.string(), completedOn: z.string().nullable(), status: z.enum(MILESTONE_STATUSES) })),
  openFindings: z.array(z.object({ type: z.enum(FINDING_TYPES), title: z.string(), foundOn: z.string(), status: z.enum(FINDING_STATUSES), rectificationsDone: z.number().int(), rectificationsTotal: z.number().int() })),
});
export type PublicProjectView = z.infer<typeof publicProjectSchema>;
export const publicProjectListSchema = z.object({ items: z.array(projectSummarySchema.omit({ version: true, flags: true, leadDepartmentId: true, districtId: true })) });
export type PublicProjectSummaryView = z.infer<typeof publicProjectListSchema>['items'][number];
