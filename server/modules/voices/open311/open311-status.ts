/**
 * Projects our case lifecycle onto GeoReport v2 (docs/open311.md): every
 * non-terminal state is `open`, the terminal ones (closed, merged, not in
 * scope) are `closed`; the human explanation goes to `status_notes`, the
 * department to `agency_responsible`, the deadline to `expected_datetime`.
 * Pure: no clock, no I/O.
 */
import { CASE_STATES, type CaseState } from '../cases/case.ts';
import { formatW3cDateTime } from './open311-format.ts';
import type { Open311Request, Open311Status } from './open311-types.ts';

/** The languages `status_notes` is written in. */
export type Open311Language = 'zh-CN' | 'en';

/**
 * `closed` for the terminal states (closed, merged, not_in_scope), `open` for
 * every other state — including replied, verifying and rated, where the
 * citizen may still rate or have the case reworked.
 */
export function toOpen311Status(state: CaseState): Open311Status {
  return CASE_STATES[state].terminal ? 'closed' : 'open';
}

/** What `statusNotes` may mention besides the state. All public; mask personal data before passing text in. */
export interface StatusNoteDetails {
  /** The lead department's name, when one owns the case. */
  readonly departmentName?: string | null;
  /** The Open311 `service_request_id` of the case this one was merged into. */
  readonly mergedIntoRequestId?: string | null;
  /** Why the case was not accepted (public text). */
  readonly notInScopeReason?: string | null;
  /** The latest reply (public text, masked), shown once the case is answered. */
  readonly replyText?: string | null;
}

type Note = (details: StatusNoteDetails) => string;

const present = (text: string | null | undefined): string | null => {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

const ZH: Readonly<Record<CaseState, Note>> = {
  accepted: () => '已受理，等待派单。',
  dispatched: (d) =>
    present(d.departmentName) ? `已派至${present(d.departmentName)}，等待签收。` : '已派单，等待签收。',
  in_progress: (d) => (present(d.departmentName) ? `${present(d.departmentName)}正在办理。` : '正在办理。'),
  returned: () => '承办单位退回，正在重新派单。',
  transfer_requested: () => '正在办理，承办单位已申请转办。',
  extension_requested: () => '正在办理，承办单位已申请延期。',
  suspended: () => '办理暂时中止，办理期限暂停计算。',
  replied: (d) => (present(d.replyText) ? `已答复：${present(d.replyText)}` : '已答复，等待评价。'),
  verifying: () => '已答复，正在回访核实诉求人的评价。',
  rated: (d) => (present(d.replyText) ? `已答复并评价：${present(d.replyText)}` : '已答复并评价，即将办结。'),
  reopened: () => '回访核实后发回重办。',
  closed: (d) => (present(d.replyText) ? `已办结：${present(d.replyText)}` : '已办结。'),
  merged: (d) =>
    present(d.mergedIntoRequestId)
      ? `已并入诉求 ${present(d.mergedIntoRequestId)}，请查看该诉求的办理情况。`
      : '已并入其他诉求。',
  not_in_scope: (d) => (present(d.notInScopeReason) ? `不予受理：${present(d.notInScopeReason)}` : '不予受理。'),
};

const EN: Readonly<Record<CaseState, Note>> = {
  accepted: () => 'Received; waiting to be assigned to a department.',
  dispatched: (d) =>
    present(d.departmentName) ? `Assigned to ${present(d.departmentName)}.` : 'Assigned to a department.',
  in_progress: (d) => (present(d.departmentName) ? `Being handled by ${present(d.departmentName)}.` : 'Being handled.'),
  returned: () => 'Returned by the department; being reassigned.',
  transfer_requested: () => 'In progress; the department has asked to transfer it.',
  extension_requested: () => 'In progress; the department has asked for more time.',
  suspended: () => 'Handling is suspended; the deadline is paused.',
  replied: (d) => (present(d.replyText) ? `Answered: ${present(d.replyText)}` : 'Answered; waiting for a rating.'),
  verifying: () => "Answered; the requester's rating is being verified.",
  rated: (d) =>
    present(d.replyText) ? `Answered and rated: ${present(d.replyText)}` : 'Answered and rated; closing soon.',
  reopened: () => 'Reopened for rework after verification.',
  closed: (d) => (present(d.replyText) ? `Closed: ${present(d.replyText)}` : 'Closed.'),
  merged: (d) =>
    present(d.mergedIntoRequestId)
      ? `Merged into request ${present(d.mergedIntoRequestId)}; follow that request.`
      : 'Merged into another request.',
  not_in_scope: (d) => (present(d.notInScopeReason) ? `Not in scope: ${present(d.notInScopeReason)}` : 'Not in scope.'),
};

/**
 * A one-line human explanation of `state` for `status_notes`, in `lang`.
 *
 * @example statusNotes('merged', { mergedIntoRequestId: '1024' }, 'zh-CN') // '已并入诉求 1024，请查看该诉求的办理情况。'
 * @example statusNotes('not_in_scope', { notInScopeReason: '属司法程序' }, 'en') // 'Not in scope: 属司法程序'
 */
export function statusNotes(state: CaseState, details: StatusNoteDetails, lang: Open311Language): string {
  return (lang === 'zh-CN' ? ZH : EN)[state](details);
}

/**
 * The public facts of one case that GeoReport v2 shows: no requester's
 * personal data belongs here. Texts must already be masked for publication.
 */
export interface Open311CaseView extends StatusNoteDetails {
  readonly serviceRequestId: string;
  readonly state: CaseState;
  readonly serviceCode: string;
  readonly serviceName: string | null;
  readonly description: string | null;
  readonly serviceNotice?: string | null;
  readonly requestedAt: Date;
  readonly updatedAt: Date;
  /** When the case reached a terminal state. */
  readonly closedAt: Date | null;
  /** The running handling deadline (`CaseSnapshot.dueAt`). */
  readonly dueAt: Date | null;
  readonly address?: string | null;
  readonly addressId?: string | null;
  readonly zipcode?: string | null;
  readonly lat?: number | null;
  readonly long?: number | null;
  readonly mediaUrl?: string | null;
}

/** How to present: the city's UTC offset in minutes (480 for +08:00) and the language of `status_notes`. */
export interface Open311PresentOptions {
  readonly offsetMinutes: number;
  readonly lang: Open311Language;
}

/**
 * One case as an Open311 request:
 * - `status` by `toOpen311Status`, `status_notes` by `statusNotes`;
 * - `agency_responsible` is the department's name;
 * - `updated_datetime` is the close time for closed requests, else the last update;
 * - `expected_datetime` is the deadline while one runs; null when the case
 *   is closed, or suspended (the deadline is paused and will move).
 *
 * @example toOpen311Request(view, { offsetMinutes: 480, lang: 'zh-CN' })
 */
export function toOpen311Request(view: Open311CaseView, options: Open311PresentOptions): Open311Request {
  const status = toOpen311Status(view.state);
  const at = (date: Date | null | undefined): string | null =>
    date ? formatW3cDateTime(date, options.offsetMinutes) : null;
  const info = CASE_STATES[view.state];
  const expected = status === 'closed' || info.deadline === 'paused' ? null : at(view.dueAt);
  const updated = status === 'closed' ? (view.closedAt ?? view.updatedAt) : view.updatedAt;
  return {
    service_request_id: view.serviceRequestId,
    status,
    status_notes: statusNotes(view.state, view, options.lang),
    service_name: view.serviceName,
    service_code: view.serviceCode,
    description: view.description,
    agency_responsible: present(view.departmentName),
    service_notice: view.serviceNotice ?? null,
    requested_datetime: formatW3cDateTime(view.requestedAt, options.offsetMinutes),
    updated_datetime: at(updated),
    expected_datetime: expected,
    address: view.address ?? null,
    address_id: view.addressId ?? null,
    zipcode: view.zipcode ?? null,
    lat: view.lat ?? null,
    long: view.long ?? null,
    media_url: view.mediaUrl ?? null,
  };
}
