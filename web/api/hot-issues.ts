import type { HotIssueAlertView, HotIssueReportView, HotIssueView } from '../../contracts/hot-issues.ts';
import { api } from './client.ts';

export type { HotIssueAlertView, HotIssueReportView, HotIssueView };

/** The hot issues of the coordinator's scope over the last `days` days, hottest first, with the alerts sent. */
export const listHotIssues = (query: { days: number; top: number }, signal?: AbortSignal): Promise<HotIssueReportView> =>
  api.get('/api/v1/hot-issues', query, signal);
