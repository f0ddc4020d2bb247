import type { z } from 'zod';
import type {
  CaseBulkEventResult,
  CaseDetailView,
  CaseEventRequest,
  CaseSummary,
  MessageCreate,
  MessageReceiptView,
  RoutingRuleView,
  TrackedCaseView,
  caseStateSchema,
  categorySchema,
  routingRuleInputSchema,
} from '../../contracts/voices.ts';
import { api, request } from './client.ts';
import type { Page, PageQuery } from './platform.ts';

export type CaseState = z.infer<typeof caseStateSchema>;
export type Category = z.infer<typeof categorySchema>;
export type RoutingRuleInput = z.output<typeof routingRuleInputSchema>;
export type { CaseBulkEventResult, CaseDetailView, CaseEventRequest, CaseSummary, MessageCreate, MessageReceiptView, RoutingRuleView, TrackedCaseView };

const V1 = '/api/v1';

/**
 * Submits a message from the web form (channel `web`); the key makes a repeated tap (or a retry after a
 * lost answer) return the first receipt.
 */
export const submitMessage = (body: MessageCreate, idempotencyKey: string): Promise<MessageReceiptView> =>
  request('POST', `${V1}/messages`, { body: { ...body, channel: 'web' }, headers: { 'Idempotency-Key': idempotencyKey } });

export interface CaseQuery extends PageQuery {
  queue?: 'triage';
  state?: CaseState;
  overdue?: boolean;
  q?: string;
}

/** The inbox in the caller's scope (a citizen's own messages, a handler's department, a coordinator's region). */
export const listCases = (query: CaseQuery, signal?: AbortSignal): Promise<Page<CaseSummary>> =>
  api.get(`${V1}/cases`, { ...query, overdue: query.overdue ? 'true' : undefined }, signal);

export const getCase = (id: number, signal?: AbortSignal): Promise<CaseDetailView> =>
  api.get(`${V1}/cases/${id}`, undefined, signal);

/** One event on many cases, each with the version read; every case's outcome comes back (partial success is normal). */
export const fireBulkEvent = (
  items: { caseId: number; version: number }[],
  event: CaseEventRequest,
): Promise<CaseBulkEventResult> => api.post(`${V1}/cases/bulk-events`, { items, event });

/** Where the deadline export of the list's filters downloads from (a plain link: the session cookie goes along). */
export function caseExportUrl(query: Omit<CaseQuery, 'limit' | 'offset'>, lang: 'zh-CN' | 'en'): string {
  const params = new URLSearchParams({ lang });
  if (query.queue) params.set('queue', query.queue);
  if (query.state) params.set('state', query.state);
  if (query.overdue) params.set('overdue', 'true');
  if (query.q) params.set('q', query.q);
  return `${V1}/cases/export.csv?${params}`;
}

/** Fires a lifecycle event with the version read; a stale one is refused with 409 `version_conflict`. */
export const fireCaseEvent = (id: number, version: number, event: CaseEventRequest): Promise<CaseDetailView> =>
  api.post(`${V1}/cases/${id}/events`, { version, event });

export const trackCase = (code: string, signal?: AbortSignal): Promise<TrackedCaseView> =>
  request('GET', `${V1}/track/${encodeURIComponent(code)}`, { signal, allowAnonymous: true });

export const rateTrackedCase = (
  code: string,
  body: { score: number; comment?: string; version: number },
): Promise<TrackedCaseView> =>
  request('POST', `${V1}/track/${encodeURIComponent(code)}/rating`, { body, allowAnonymous: true });

export async function listCategories(signal?: AbortSignal): Promise<Category[]> {
  const body = await request<{ items: Category[] }>('GET', `${V1}/categories`, { signal, allowAnonymous: true });
  return body.items;
}

export async function listRoutingRules(history: boolean, signal?: AbortSignal): Promise<RoutingRuleView[]> {
  const body = await api.get<{ items: RoutingRuleView[] }>(`${V1}/routing-rules`, { history }, signal);
  return body.items;
}

export const createRoutingRule = (body: RoutingRuleInput): Promise<RoutingRuleView> =>
  api.post(`${V1}/routing-rules`, body);

export const replaceRoutingRule = (id: number, body: RoutingRuleInput): Promise<RoutingRuleView> =>
  api.put(`${V1}/routing-rules/${id}`, body);

export const retireRoutingRule = (id: number): Promise<RoutingRuleView> => api.delete(`${V1}/routing-rules/${id}`);
