import type {
  AdoptRequest,
  AdoptionView,
  PlanItemCreate,
  PlanItemPatch,
  PlanItemView,
  PlanView,
} from '../../contracts/plans.ts';
import { api, request } from './client.ts';

export type { AdoptRequest, AdoptionView, PlanItemCreate, PlanItemPatch, PlanItemView, PlanView };

const V1 = '/api/v1';

/** Plans the caller may read (a handler's department's, or the departments' in scope), newest year first. */
export async function listPlans(
  query: { departmentId?: number; year?: number },
  signal?: AbortSignal,
): Promise<PlanView[]> {
  return (await api.get<{ items: PlanView[] }>(`${V1}/plans`, { ...query }, signal)).items;
}

/** Creates a plan; handlers leave `departmentId` out (their own department). */
export const createPlan = (body: {
  departmentId?: number;
  title: string;
  year: number;
  period?: string;
}): Promise<PlanView> => api.post(`${V1}/plans`, body);

export async function listPlanItems(planId: number, signal?: AbortSignal): Promise<PlanItemView[]> {
  return (await api.get<{ items: PlanItemView[] }>(`${V1}/plans/${planId}/items`, undefined, signal)).items;
}

export const createPlanItem = (planId: number, body: PlanItemCreate): Promise<PlanItemView> =>
  api.post(`${V1}/plans/${planId}/items`, body);

/** Changes an item at the version read (409 `version_conflict` when someone changed it first). */
export const updatePlanItem = (id: number, body: PlanItemPatch): Promise<PlanItemView> =>
  api.patch(`${V1}/plan-items/${id}`, body);

/** Adopts a suggestion into an existing item or a new one of a plan. */
export const adoptCase = (caseId: number, body: AdoptRequest): Promise<PlanItemView> =>
  api.post(`${V1}/cases/${caseId}/adopt`, body);

/** The items a case went into, for whoever may read the case (its requesters too). */
export async function adoptionsOfCase(caseId: number, signal?: AbortSignal): Promise<AdoptionView[]> {
  return (await api.get<{ adoptedInto: AdoptionView[] }>(`${V1}/cases/${caseId}/plan-items`, undefined, signal))
    .adoptedInto;
}

/** The same by tracking code, for citizens without an account. */
export async function adoptionsByTrackingCode(code: string, signal?: AbortSignal): Promise<AdoptionView[]> {
  const body = await request<{ adoptedInto: AdoptionView[] }>(
    'GET',
    `${V1}/track/${encodeURIComponent(code)}/plan-items`,
    {
      signal,
      allowAnonymous: true,
    },
  );
  return body.adoptedInto;
}
