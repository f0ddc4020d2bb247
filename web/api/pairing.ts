import type {
  CadreCreateInput,
  CadreUpdateInput,
  CadreView,
  CoverageView,
  HouseholdCreateInput,
  HouseholdDetailView,
  HouseholdUpdateInput,
  HouseholdView,
  PairingStatsView,
  RegistryImportReport,
  RegistryKind,
  RunInput,
  RunView,
} from '../../contracts/pairing.ts';
import { api, request } from './client.ts';

export type { CadreCreateInput, CadreUpdateInput, HouseholdCreateInput, HouseholdUpdateInput, CadreView, CoverageView, HouseholdDetailView, HouseholdView, PairingStatsView, RegistryImportReport, RegistryKind, RunView };

const V1 = '/api/v1/pairing';
const SPREADSHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Imports cadres or households from a CSV or XLSX file chosen by the coordinator. */
export const importRegistry = (kind: RegistryKind, file: File, skipInvalid: boolean): Promise<RegistryImportReport> =>
  request('POST', `${V1}/imports/${kind}`, {
    query: { skipInvalid, filename: file.name },
    body: file,
    contentType: file.name.toLowerCase().endsWith('.xlsx') ? SPREADSHEET : 'text/csv',
  });

type Page<T> = { items: T[]; total: number; limit: number; offset: number };

export const listHouseholds = (query: { limit?: number; offset?: number; mine?: 'true'; communityId?: number; code?: string; unpaired?: 'true' }, signal?: AbortSignal): Promise<Page<HouseholdView>> =>
  api.get(`${V1}/households`, query, signal);
export const getHousehold = (id: number, signal?: AbortSignal): Promise<HouseholdDetailView> => api.get(`${V1}/households/${id}`, undefined, signal);
export const logVisit = (
  id: number,
  visit: { visitedOn: string; durationMinutes: number; met: string; situation: string; needs: { needType: string; description: string; photos?: { id: number; token: string }[] }[] },
): Promise<{ visitId: number; needs: { needId: number; caseId: number; caseNumber: string }[] }> => api.post(`${V1}/households/${id}/visits`, visit);
export const listCadres = (query: { limit?: number; offset?: number; code?: string }, signal?: AbortSignal): Promise<Page<CadreView>> => api.get(`${V1}/cadres`, query, signal);
export const listRuns = (signal?: AbortSignal): Promise<{ items: Omit<RunView, 'diff'>[] }> => api.get(`${V1}/runs`, undefined, signal);
export const getRun = (id: number, signal?: AbortSignal): Promise<RunView> => api.get(`${V1}/runs/${id}`, undefined, signal);
export const proposeRun = (input: RunInput): Promise<RunView> => api.post(`${V1}/runs`, input);
export const approveRun = (id: number): Promise<RunView> => api.post(`${V1}/runs/${id}/approve`, {});
export const rejectRun = (id: number): Promise<RunView> => api.post(`${V1}/runs/${id}/reject`, {});
export const getCoverage = (query: { days: number; needDays: number }, signal?: AbortSignal): Promise<CoverageView> => api.get(`${V1}/coverage`, query, signal);
export const getPairingStatistics = (days: number, signal?: AbortSignal): Promise<PairingStatsView> => api.get(`${V1}/statistics`, { days }, signal);

/** One registry record by hand (coordinators and admins of its district); edits carry the version read. */
export const createCadre = (input: CadreCreateInput): Promise<CadreView> => api.post(`${V1}/cadres`, input);
export const updateCadre = (id: number, input: CadreUpdateInput): Promise<CadreView> => api.patch(`${V1}/cadres/${id}`, input);
export const createHousehold = (input: HouseholdCreateInput): Promise<HouseholdView> => api.post(`${V1}/households`, input);
export const updateHousehold = (id: number, input: HouseholdUpdateInput): Promise<HouseholdView> => api.patch(`${V1}/households/${id}`, input);
