/**
 * The voices module's records as the services see them: categories, messages,
 * cases (the state machine's snapshot plus where the case sits) and routing
 * rules. Plain data; the repositories build them from rows.
 */
import type { CaseSnapshot, CaseState } from './case.ts';
import { SLA_CASE_KINDS, type DeadlineClock, type SlaCaseKind } from '../deadlines/deadline.ts';

/** What a citizen's message is: complaint, request for help, consultation, suggestion or praise. */
export type CaseKind = SlaCaseKind;
export const CASE_KINDS: readonly CaseKind[] = SLA_CASE_KINDS;

/** How a message reached the city. */
export const CHANNELS = ['web', 'api', 'open311', 'import', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A case number as citizens see it: the year and the city's running count that year, `2026-000123`. */
export function formatCaseNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(6, '0')}`;
}

/** The year a case is numbered in: the city's calendar year (China Standard Time, UTC+8) when it was submitted. */
export function caseYearOf(at: Date): number {
  return new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** The longest description a message may have, in characters after trimming. */
export const MAX_BODY_LENGTH = 4000;
export const MAX_TITLE_LENGTH = 100;

/** One node of the three-level taxonomy; `path` joins the names from the top with '/'. */
export interface Category {
  readonly id: number;
  readonly parentId: number | null;
  readonly level: number;
  readonly name: string;
  readonly path: string;
}

/** How to reach a requester: personal data, shown only to the handling department and coordinators. */
export interface Contact {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
}

/** What one citizen said once, through one channel. Never edited after intake. */
export interface Message {
  readonly id: number;
  readonly caseId: number;
  readonly channel: Channel;
  readonly kind: CaseKind;
  readonly title: string;
  readonly body: string;
  readonly requesterUserId: number | null;
  /** The requester id the case knows this citizen by: `user:<id>` or `code:<tracking code>`. */
  readonly requesterKey: string;
  readonly trackingCode: string;
  readonly contact: Contact | null;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly address: string | null;
  readonly communityId: number | null;
  readonly districtId: number | null;
  readonly categoryId: number | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
  readonly submittedAt: Date;
  /** What the classifier suggested at intake; null for messages taken in before it or by an import. */
  readonly suggestion: CategorySuggestion | null;
}

/** A classifier's category for a message: a taxonomy path, how sure it was (0–1), and which model. */
export interface CategorySuggestion {
  readonly categoryPath: string;
  readonly confidence: number;
  readonly model: string;
}

/** A case with where it sits: the snapshot is the state machine's, the rest is for routing, scope and lists. */
export interface CaseRecord {
  readonly id: number;
  readonly number: string;
  readonly title: string;
  readonly kind: CaseKind;
  readonly categoryId: number | null;
  readonly categoryPath: string | null;
  readonly districtId: number | null;
  readonly districtName: string | null;
  /** The lead department's name (and English name), for lists and replies; null before dispatch. */
  readonly departmentName: string | null;
  readonly departmentNameEn: string | null;
  /** The co-handling departments with their names, in the snapshot's order. */
  readonly coHandlers: readonly { readonly id: number; readonly name: string; readonly nameEn: string | null }[];
  /** The district's region path, or the city's when the case has no district: what coordinators' scope is tested on. */
  readonly regionPath: string;
  readonly communityId: number | null;
  readonly urgent: boolean;
  readonly snapshot: CaseSnapshot;
  readonly deadline: DeadlineClock | null;
  readonly createdAt: Date;
}

/** One stored line of a case's timeline. */
export interface CaseEventRecord {
  readonly version: number;
  readonly round: number;
  readonly at: Date;
  readonly actorUserId: number | null;
  readonly actorLabel: string;
  readonly event: string;
  readonly fromState: CaseState | null;
  readonly toState: CaseState;
  readonly reason: string | null;
  /** The event's payload, the deadline outcome and the notifications it asked for. */
  readonly details: Record<string, unknown>;
}

/** A routing rule: category prefix × district → lead department (+ co-handlers). Replaced, never edited. */
export interface RoutingRule {
  readonly id: number;
  /** '' matches every category; '城乡建设' matches it and everything below. */
  readonly categoryPathPrefix: string;
  /** null: every district. */
  readonly districtId: number | null;
  readonly departmentId: number;
  readonly coHandlerIds: readonly number[];
  /** Higher wins among rules equally specific. */
  readonly priority: number;
  readonly createdAt: Date;
  readonly createdBy: number | null;
  readonly retiredAt: Date | null;
  readonly replacesId: number | null;
}

/** One page of a list, with the total across pages. */
export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}
