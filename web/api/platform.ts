import type { z } from 'zod';
import type {
  ApiToken,
  AuditEntryView,
  Department,
  ImportKind,
  ImportReport,
  Region,
  RegionLevel,
  Role,
  SessionResponse,
  User,
  UserDetail,
  apiTokenCreateSchema,
  apiTokenCreatedSchema,
  auditVerificationSchema,
  changePasswordSchema,
  departmentCreateSchema,
  departmentUpdateSchema,
  loginRequestSchema,
  registerCitizenSchema,
  regionCreateSchema,
  regionUpdateSchema,
  userCreateSchema,
  userUpdateSchema,
} from '../../contracts/platform.ts';
import { api, request } from './client.ts';

/** One page of a server-side paginated list (`pageOf` in the contract). */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export type LoginRequest = z.input<typeof loginRequestSchema>;
export type RegisterCitizenRequest = z.output<typeof registerCitizenSchema>;
export type ChangePasswordRequest = z.output<typeof changePasswordSchema>;
export type ApiTokenCreateRequest = z.output<typeof apiTokenCreateSchema>;
export type ApiTokenCreated = z.infer<typeof apiTokenCreatedSchema>;
export type RegionCreateRequest = z.output<typeof regionCreateSchema>;
export type RegionUpdateRequest = z.output<typeof regionUpdateSchema>;
export type DepartmentCreateRequest = z.output<typeof departmentCreateSchema>;
export type DepartmentUpdateRequest = z.output<typeof departmentUpdateSchema>;
export type UserCreateRequest = z.output<typeof userCreateSchema>;
export type UserUpdateRequest = z.output<typeof userUpdateSchema>;
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export interface AuditPage {
  items: AuditEntryView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

const V1 = '/api/v1';

// --- session and own account ---------------------------------------------------

/** The current session; rejects with 401 when nobody is logged in. */
export const getSession = (): Promise<SessionResponse> => request('GET', `${V1}/session`, { allowAnonymous: true });

export const logIn = (credentials: LoginRequest): Promise<SessionResponse> =>
  request('POST', `${V1}/session`, { body: credentials, allowAnonymous: true });

/** Creates a citizen account and signs it in: the answer is a session, as after a login. */
export const registerCitizen = (body: RegisterCitizenRequest): Promise<SessionResponse> =>
  request('POST', `${V1}/citizens`, { body, allowAnonymous: true });

export const logOut = (): Promise<void> => request('DELETE', `${V1}/session`, { allowAnonymous: true });

export const changePassword = (body: ChangePasswordRequest): Promise<void> => api.put(`${V1}/me/password`, body);

/** The caller's personal API tokens. */
export async function listMyTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  const body = await api.get<{ items: ApiToken[] }>(`${V1}/me/tokens`, undefined, signal);
  return body.items;
}

export const createMyToken = (body: ApiTokenCreateRequest): Promise<ApiTokenCreated> =>
  api.post(`${V1}/me/tokens`, body);

export const revokeMyToken = (id: number): Promise<void> => api.delete(`${V1}/me/tokens/${id}`);

// --- regions --------------------------------------------------------------------

export interface RegionQuery extends PageQuery {
  parentId?: number;
  level?: RegionLevel;
  q?: string;
}

export const listRegions = (query: RegionQuery, signal?: AbortSignal): Promise<Page<Region>> =>
  api.get(`${V1}/regions`, { ...query }, signal);

export const createRegion = (body: RegionCreateRequest): Promise<Region> => api.post(`${V1}/regions`, body);

export const updateRegion = (id: number, body: RegionUpdateRequest): Promise<Region> =>
  api.patch(`${V1}/regions/${id}`, body);

// --- departments ------------------------------------------------------------------

export interface DepartmentQuery extends PageQuery {
  q?: string;
  districtId?: number;
  area?: string;
}

export const listDepartments = (query: DepartmentQuery, signal?: AbortSignal): Promise<Page<Department>> =>
  api.get(`${V1}/departments`, { ...query }, signal);

export const createDepartment = (body: DepartmentCreateRequest): Promise<Department> =>
  api.post(`${V1}/departments`, body);

export const updateDepartment = (id: number, body: DepartmentUpdateRequest): Promise<Department> =>
  api.patch(`${V1}/departments/${id}`, body);

// --- users --------------------------------------------------------------------------

export interface UserQuery extends PageQuery {
  q?: string;
  role?: Role;
  departmentId?: number;
}

export const listUsers = (query: UserQuery, signal?: AbortSignal): Promise<Page<User>> =>
  api.get(`${V1}/users`, { ...query }, signal);

/** One user; admins also receive phone and email, and the server audits that read. */
export const getUser = (id: number, signal?: AbortSignal): Promise<User | UserDetail> =>
  api.get(`${V1}/users/${id}`, undefined, signal);

export const createUser = (body: UserCreateRequest): Promise<User> => api.post(`${V1}/users`, body);

export const updateUser = (id: number, body: UserUpdateRequest): Promise<User> => api.patch(`${V1}/users/${id}`, body);

export const resetUserPassword = (id: number, newPassword: string): Promise<void> =>
  api.post(`${V1}/users/${id}/password-reset`, { newPassword });

// --- imports ------------------------------------------------------------------------

const SPREADSHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends the file's bytes unchanged; the server detects CSV encoding and parses XLSX itself. */
export const runImport = (kind: ImportKind, file: File, skipInvalid: boolean): Promise<ImportReport> =>
  request('POST', `${V1}/imports/${kind}`, {
    query: { skipInvalid, filename: file.name },
    body: file,
    contentType: file.name.toLowerCase().endsWith('.xlsx') ? SPREADSHEET : 'text/csv',
  });

// --- audit ----------------------------------------------------------------------------

export interface AuditQuery {
  before?: string;
  actorUserId?: number;
  resourceType?: string;
  action?: string;
  limit?: number;
}

export const listAudit = (query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> =>
  api.get(`${V1}/audit`, { ...query }, signal);

export const verifyAudit = (): Promise<AuditVerification> => api.get(`${V1}/audit/verify`);
