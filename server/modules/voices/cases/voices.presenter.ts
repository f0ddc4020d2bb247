import type { CaseBulkEventResult, CaseDetailView, CaseSummary, MessageReceiptView, PhotoView, RoutingRuleView, TrackedCaseView } from '../../../../contracts/voices.ts';
import type { ReplyQualityView } from '../../../../contracts/reply-quality.ts';
import type { StoredReplyScore } from '../replies/reply-quality.service.ts';
import type { PhotoMeta } from '../attachments/attachment.ts';
import { STATUS_OF, maskText } from '../../../platform/index.ts';
import type { BulkCaseOutcome, CaseDetail } from './case.service.ts';
import type { MessageReceipt } from '../intake/intake.service.ts';
import { slaStatusOf } from '../deadlines/sla.ts';
import type { TrackedCase } from './tracking.service.ts';
import type { CaseRecord, Category, RoutingRule } from './voices.ts';

const iso = (value: Date | null): string | null => value && value.toISOString();

/** A photo's metadata; its size only when the header told it. */
export function presentPhoto(photo: PhotoMeta): PhotoView {
  return {
    id: photo.id,
    contentType: photo.contentType,
    byteSize: photo.byteSize,
    ...(photo.width !== null && photo.height !== null ? { width: photo.width, height: photo.height } : {}),
  };
}

export function presentReceipt(receipt: MessageReceipt): MessageReceiptView {
  return { ...receipt, submittedAt: receipt.submittedAt.toISOString() };
}

/** A case in a list: where it stands and how its deadline does, no message text and no personal data. */
export function presentCaseSummary(record: CaseRecord, now: Date): CaseSummary {
  const { snapshot } = record;
  const sla = slaStatusOf(snapshot.state, record.deadline, now);
  return {
    id: record.id,
    number: record.number,
    title: record.title,
    kind: record.kind,
    state: snapshot.state,
    version: snapshot.version,
    categoryPath: record.categoryPath,
    districtId: record.districtId,
    districtName: record.districtName,
    departmentId: snapshot.departmentId,
    departmentName: record.departmentName,
    departmentNameEn: record.departmentNameEn,
    coHandlerIds: [...snapshot.coHandlerIds],
    coHandlers: record.coHandlers.map((department) => ({ ...department })),
    urgent: record.urgent,
    dueAt: iso(snapshot.dueAt),
    sla: sla && { ...sla, dueAt: iso(sla.dueAt) },
    createdAt: record.createdAt.toISOString(),
    updatedAt: snapshot.updatedAt.toISOString(),
  };
}

/** A reply's score for staff: codes and counts only, nothing quoted from the case. */
export function presentReplyScore(score: StoredReplyScore): ReplyQualityView {
  const { quality } = score;
  const dimension = (value: NonNullable<typeof quality.timeliness>) => ({ score: value.score, cues: value.cues.map((cue) => ({ ...cue })) });
  return {
    version: score.eventVersion,
    round: score.round,
    repliedAt: score.repliedAt.toISOString(),
    departmentId: score.departmentId,
    method: quality.method,
    scoredAt: score.scoredAt.toISOString(),
    overall: quality.overall,
    relevance: dimension(quality.relevance),
    completeness: dimension(quality.completeness),
    explainability: dimension(quality.explainability),
    timeliness: quality.timeliness && dimension(quality.timeliness),
    delay: score.delay && { ...score.delay },
  };
}

/** A case for staff in scope; requester ids (tracking codes) never leave the server, only their count. */
export function presentCaseDetail(detail: CaseDetail, now: Date): CaseDetailView {
  const { snapshot } = detail.record;
  return {
    ...presentCaseSummary(detail.record, now),
    round: snapshot.round,
    requesterCount: snapshot.requesterIds.length,
    reply: snapshot.reply && { ...snapshot.reply, at: snapshot.reply.at.toISOString() },
    ratings: snapshot.ratings.map(({ requesterId: _requesterId, ...rating }) => ({ ...rating, at: rating.at.toISOString() })),
    pendingTransfer: snapshot.pendingTransfer,
    pendingExtension: snapshot.pendingExtension,
    allowedEvents: [...detail.allowed],
    messages: detail.messages.map((message) => ({
      id: message.id,
      channel: message.channel,
      kind: message.kind,
      title: message.title,
      body: message.body,
      address: message.address,
      lat: message.lat,
      lng: message.lng,
      communityId: message.communityId,
      submittedAt: message.submittedAt.toISOString(),
      ...(detail.withContact ? { contact: message.contact } : {}),
      photos: detail.photos.filter((photo) => photo.messageId === message.id).map(presentPhoto),
      suggestion: message.suggestion && { ...message.suggestion },
    })),
    timeline: detail.timeline.map((entry) => ({
      version: entry.version,
      round: entry.round,
      at: entry.at.toISOString(),
      actor: entry.actorLabel,
      event: entry.event,
      from: entry.fromState,
      to: entry.toState,
      reason: entry.reason,
      details: entry.details,
    })),
    ...(detail.replyScores ? { replyQuality: detail.replyScores.map(presentReplyScore) } : {}),
  };
}

/** A bulk action's outcomes: per case, ok or the status and code it would have had alone. */
export function presentBulkOutcomes(outcomes: readonly BulkCaseOutcome[]): CaseBulkEventResult {
  const results = outcomes.map((outcome): CaseBulkEventResult['results'][number] => {
    if ('record' in outcome) {
      const { record } = outcome;
      return { caseId: outcome.caseId, ok: true, status: 200, code: null, detail: null, number: record.number, state: record.snapshot.state, version: record.snapshot.version };
    }
    const { error } = outcome;
    const allowed = error.details?.allowed;
    return {
      caseId: outcome.caseId,
      ok: false,
      status: STATUS_OF[error.code],
      code: error.code,
      detail: error.message,
      ...(Array.isArray(allowed) ? { allowed: allowed.map(String) } : {}),
      number: null,
      state: null,
      version: typeof error.details?.currentVersion === 'number' ? error.details.currentVersion : null,
    };
  });
  const succeeded = results.filter((result) => result.ok).length;
  return { succeeded, failed: results.length - succeeded, results };
}

/**
 * The public view behind a tracking code: the case's own words with phone
 * numbers, ID numbers, e-mail addresses, plates and names masked; no
 * requester, no contact, no staff names, no internal reasons.
 */
export function presentTrackedCase(tracked: TrackedCase): TrackedCaseView {
  const { record, message } = tracked;
  const { snapshot } = record;
  return {
    caseNumber: record.number,
    title: maskText(record.title),
    kind: record.kind,
    categoryPath: record.categoryPath,
    districtName: record.districtName,
    state: snapshot.state,
    version: snapshot.version,
    submittedAt: message.submittedAt.toISOString(),
    dueAt: iso(snapshot.dueAt),
    reply: snapshot.reply && { text: maskText(snapshot.reply.text), at: snapshot.reply.at.toISOString() },
    mayRate: tracked.mayRate,
    timeline: tracked.timeline.map((entry) => ({ at: entry.at.toISOString(), event: entry.event, from: entry.fromState, to: entry.toState })),
    photos: tracked.photos.map(presentPhoto),
  };
}

export const presentCategory = (category: Category) => ({ ...category });

export function presentRoutingRule(rule: RoutingRule): RoutingRuleView {
  return { ...rule, coHandlerIds: [...rule.coHandlerIds], createdAt: rule.createdAt.toISOString(), retiredAt: iso(rule.retiredAt) };
}
