import type {
  FindingView,
  FlagLeaderView,
  FlagView,
  IndicatorSettingsView,
  MilestoneView,
  ProcurementDetailView,
  ProcurementSummaryView,
  ProgressUpdateView,
  ProjectDetailView,
  ProjectSummaryView,
  PublicProjectSummaryView,
  PublicProjectView,
  RectificationView,
} from '../../contracts/projects.ts';
import { api } from './client.ts';

export type {
  FindingView,
  FlagLeaderView,
  FlagView,
  IndicatorSettingsView,
  MilestoneView,
  ProcurementDetailView,
  ProcurementSummaryView,
  ProgressUpdateView,
  ProjectDetailView,
  ProjectSummaryView,
  PublicProjectSummaryView,
  PublicProjectView,
  RectificationView,
};

const V1 = '/api/v1';

/** Projects the caller may read (a handler's department's, or those in scope). */
export const listProjects = async (query: { status?: string; category?: string; q?: string }, signal?: AbortSignal): Promise<ProjectSummaryView[]> =>
  (await api.get<{ items: ProjectSummaryView[] }>(`${V1}/projects`, query, signal)).items;

export const getProject = (id: number, signal?: AbortSignal): Promise<ProjectDetailView> => api.get(`${V1}/projects/${id}`, undefined, signal);

export const reportProgress = (id: number, body: { progress: number; note: string; milestoneId?: number | null }): Promise<ProgressUpdateView> => api.post(`${V1}/projects/${id}/updates`, body);

export const updateMilestone = (id: number, body: { version: number; status?: string; evidence?: string; completedOn?: string | null }): Promise<MilestoneView> => api.patch(`${V1}/project-milestones/${id}`, body);

/** The public list and page: progress and money, no people. */
export const listPublicProjects = async (query: { category?: string; q?: string }, signal?: AbortSignal): Promise<PublicProjectSummaryView[]> =>
  (await api.get<{ items: PublicProjectSummaryView[] }>(`${V1}/public/projects`, query, signal)).items;

export const getPublicProject = (id: number, signal?: AbortSignal): Promise<PublicProjectView> => api.get(`${V1}/public/projects/${id}`, undefined, signal);

export const listFindings = async (query: { status?: string; projectId?: number }, signal?: AbortSignal): Promise<FindingView[]> =>
  (await api.get<{ items: FindingView[] }>(`${V1}/findings`, query, signal)).items;

export const openFinding = (body: { type: string; title: string; description?: string; foundOn: string; projectId?: number | null; flagId?: number | null; rectifications?: { description: string; ownerDepartmentId: number; dueDate: string }[] }): Promise<FindingView> =>
  api.post(`${V1}/findings`, body);

export const updateFinding = (id: number, body: { version: number; status?: string }): Promise<FindingView> => api.patch(`${V1}/findings/${id}`, body);

export const listRectifications = async (query: { status?: string }, signal?: AbortSignal): Promise<RectificationView[]> =>
  (await api.get<{ items: RectificationView[] }>(`${V1}/rectifications`, query, signal)).items;

export const updateRectification = (id: number, body: { version: number; evidence?: string; status?: string }): Promise<RectificationView> => api.patch(`${V1}/rectifications/${id}`, body);

export const listProcurement = (query: { flagged?: 'true' | 'false'; projectId?: number; limit?: number; offset?: number }, signal?: AbortSignal): Promise<{ items: ProcurementSummaryView[]; total: number }> =>
  api.get(`${V1}/procurement`, query, signal);

export const getProcess = (ocid: string, signal?: AbortSignal): Promise<ProcurementDetailView> => api.get(`${V1}/procurement/processes/${encodeURIComponent(ocid)}`, undefined, signal);

export const listFlagLeaders = (signal?: AbortSignal): Promise<{ buyers: FlagLeaderView[]; suppliers: FlagLeaderView[] }> => api.get(`${V1}/procurement/flag-leaders`, undefined, signal);

export const listIndicatorSettings = async (signal?: AbortSignal): Promise<IndicatorSettingsView[]> => (await api.get<{ items: IndicatorSettingsView[] }>(`${V1}/indicator-settings`, undefined, signal)).items;

export const saveIndicatorSettings = (body: { settings: string; note?: string }): Promise<{ version: number; flags: number }> => api.post(`${V1}/indicator-settings`, body);

export const createProject = (body: {
  code: string;
  name: string;
  category: string;
  leadDepartmentId: number;
  districtId?: number | null;
  year: number;
  location?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  beneficiaries?: number | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  description?: string;
}): Promise<ProjectSummaryView> => api.post(`${V1}/projects`, body);

export const addBudgetLine = (id: number, body: { fundingSource: string; description: string; year: number; amount: number }): Promise<unknown> => api.post(`${V1}/projects/${id}/budget-lines`, body);

export const addPayment = (id: number, body: { paidOn: string; amount: number; payee: string; purpose?: string }): Promise<unknown> => api.post(`${V1}/projects/${id}/payments`, body);

export const addMilestone = (id: number, body: { title: string; plannedDate: string }): Promise<MilestoneView> => api.post(`${V1}/projects/${id}/milestones`, body);

/** The project's links after a change. */
export interface ProjectLinks {
  readonly caseIds: number[];
  readonly planItemIds: number[];
}

/** Links a citizen's case (by its number) or a work-plan item to a project. */
export const linkToProject = (id: number, body: { caseNumber: string } | { planItemId: number }): Promise<ProjectLinks> => api.post(`${V1}/projects/${id}/links`, body);

/** Removes a case's or a plan item's link. */
export const unlinkFromProject = (id: number, link: { caseId: number } | { planItemId: number }): Promise<ProjectLinks> =>
  api.delete(`${V1}/projects/${id}/links/${'caseId' in link ? `cases/${link.caseId}` : `plan-items/${link.planItemId}`}`);
