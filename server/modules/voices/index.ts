/**
 * The voices module's public face: the citizens' message loop (intake →
 * routing → case lifecycle → reply → rating) for the app, the demo, the CLI
 * and other modules. Everything else in this folder is private to it.
 */
import { inTransaction, type PlatformDeps } from '../../platform/index.ts';
import { seedTaxonomy } from './routing/category.service.ts';
import { forgetRoutingFacts } from './routing/routing-facts.ts';

export { voicesRoutes } from './cases/voices.routes.ts';
export { open311Routes } from './open311/open311.routes.ts';
export { notificationRoutes } from './notifications/notification.routes.ts';
export { planRoutes } from './plans/plan.routes.ts';
export { adoptCase, createPlan, createPlanItem, planItemBriefs, updatePlanItem } from './plans/plan.service.ts';
export { attachmentRoutes } from './attachments/attachment.routes.ts';
export { cleanupUnlinkedPhotos, startPhotoCleanupJob, uploadPhoto, type PhotoCleanupReport, type UploadedPhoto } from './attachments/attachment.service.ts';
export { replyTemplateRoutes } from './replies/reply-template.routes.ts';
export { notificationCommands } from './notifications/notification.cli.ts';
export { dispatchNotifications, notifyUser, startNotificationJob, type DispatchReport, type UserNotice } from './notifications/notification.service.ts';
export { open311Commands } from './open311/open311.cli.ts';
export {
  createOpen311Key,
  listOpen311Keys,
  revokeOpen311Key,
  isValidOpen311Key,
  open311ServiceCode,
  type IssuedOpen311Key,
  type Open311ApiKey,
} from './open311/open311.service.ts';
export { seedTaxonomy, listCategories, TAXONOMY_PATHS } from './routing/category.service.ts';
export { submitMessage, type MessageInput, type MessageReceipt } from './intake/intake.service.ts';
export { applyCaseEvent, applyCaseEventToMany, caseBriefs, caseIdOfNumber, getCase, listCases, TRIAGE_STATES, type BulkCaseOutcome, type CaseBrief, type CaseDetail, type CaseListQuery } from './cases/case.service.ts';
export { exportCases, narrowToRegion, type CaseExport } from './cases/case-export.service.ts';
export { caseExportCommands } from './cases/case-export.cli.ts';
export { categoryLabelCommands } from './classification/category-label.cli.ts';
export { classifierCommands } from './classification/classifier.cli.ts';
export { intakeClassifierOf, type IntakeClassifier } from './classification/intake-classifier.ts';
export { trackCase, rateByTrackingCode, type TrackedCase } from './cases/tracking.service.ts';
export { createRoutingRule, replaceRoutingRule, retireRoutingRule, listRoutingRules, type RoutingRuleInput } from './routing/routing.service.ts';
export { createReplyTemplate, replaceReplyTemplate, retireReplyTemplate, listReplyTemplates, templatesForCase, type ReplyTemplateInput } from './replies/reply-template.service.ts';
export { PLACEHOLDERS, type ReplyTemplate } from './replies/reply-template.ts';
export { replyQualityCommands } from './replies/reply-quality.cli.ts';
export { backfillReplyScores, listCaseReplyScores, type ReplyBackfillOptions, type ReplyBackfillReport, type StoredReplyScore } from './replies/reply-quality.service.ts';
export type { ReplyScore } from './replies/reply-quality.ts';
export { importHotlineExport, type HotlineImportReport, type HotlineImportOptions, type HotlineProgress } from './hotline-import/hotline-import.ts';
export { hotlineImportCommands } from './hotline-import/hotline-import.cli.ts';
export { replayHistoricalCase, writeHistoricalCases, type HistoricalCaseInput, type HistoricalEvent, type HistoricalIds, type HistoricalStep } from './cases/history.ts';
export { scanDeadlines, scanOnce, startSlaScanJob, type SlaScanJob, type SlaScanOptions, type SlaScanReport } from './deadlines/sla-scan.service.ts';
export { slaScanCommands } from './deadlines/sla-scan.cli.ts';
export { hotIssueCommands } from './hot-issues/hot-issues.cli.ts';
export { hotIssueRoutes } from './hot-issues/hot-issue.routes.ts';
export { listHotIssues, scanHotIssues, scanHotIssuesOnce, startHotIssueJob, type HotIssueReport, type HotIssueScanReport } from './hot-issues/hot-issue.service.ts';
export { joinProposalRoutes } from './near-duplicates/near-duplicate.routes.ts';
export {
  confirmJoinProposal,
  indexNearDuplicates,
  listJoinProposals,
  rejectJoinProposal,
  startNearDuplicateJob,
  type NearDuplicateIndexOptions,
  type NearDuplicateIndexReport,
  type NearDuplicateJob,
} from './near-duplicates/near-duplicate.service.ts';
export type { CaseKind, CaseRecord, Category, Channel, Message, RoutingRule } from './cases/voices.ts';
export type { CaseEvent, CaseSnapshot, CaseState } from './cases/case.ts';

/**
 * Readies a newly provisioned city for voices: its taxonomy, in one
 * transaction. Safe to run again. Returns how many categories were added.
 *
 * @example await provisionCity(deps, plan); await prepareVoicesCity(deps, regionId);
 */
export async function prepareVoicesCity(deps: PlatformDeps, regionId: number): Promise<number> {
  const added = await inTransaction(deps.db, (trx) => seedTaxonomy(trx, regionId));
  forgetRoutingFacts(deps.db, regionId);
  return added;
}
