import type { ReplyTemplateInput, ReplyTemplateListView, ReplyTemplateView } from '../../contracts/reply-templates.ts';
import { api } from './client.ts';

export type { ReplyTemplateInput, ReplyTemplateListView, ReplyTemplateView };

const BASE = '/api/v1/reply-templates';

/** Filters of the management list; `owner` is `city` or a department id. */
export interface ReplyTemplateQuery {
  history?: boolean;
  owner?: 'city' | number;
  kind?: string;
  categoryPrefix?: string;
  q?: string;
}

/** The templates the caller may see (the city's and their departments'), with the placeholder list. */
export const listReplyTemplates = (query: ReplyTemplateQuery, signal?: AbortSignal): Promise<ReplyTemplateListView> =>
  api.get(BASE, { ...query, history: query.history ? 'true' : undefined }, signal);

/** The templates that fit a case, best first, each with its filled `text` (for the reply form). */
export const templatesForCase = (caseId: number, signal?: AbortSignal): Promise<ReplyTemplateListView> =>
  api.get(BASE, { caseId }, signal);

export const createReplyTemplate = (body: ReplyTemplateInput): Promise<ReplyTemplateView> => api.post(BASE, body);

/** A new version: the server retires `id` and returns its successor. */
export const replaceReplyTemplate = (id: number, body: ReplyTemplateInput): Promise<ReplyTemplateView> =>
  api.put(`${BASE}/${id}`, body);

export const retireReplyTemplate = (id: number): Promise<ReplyTemplateView> => api.delete(`${BASE}/${id}`);
