import type { Problem } from '../../contracts/platform.ts';

/**
 * A failed API call. It carries the server's RFC 9457 problem so screens can
 * show `detail`, react to the stable `code` and put `errors` next to fields.
 */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Codes meaning "nobody is logged in (any more)": the app goes back to the login page. */
const SESSION_LOST = new Set(['session_expired', 'unauthenticated']);

let csrfToken: string | null = null;
let sessionLost: () => void = () => {};

/** The session hands its CSRF token here; every non-GET request echoes it in `X-CSRF-Token`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when the server says the session is gone (the session provider logs out). */
export function onSessionLost(handler: () => void): void {
  sessionLost = handler;
}

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A JSON body, or raw bytes sent as they are (file uploads). */
  body?: unknown;
  contentType?: string;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Let a 401 through to the caller instead of returning to the login page (login and the session probe). */
  allowAnonymous?: boolean;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function isRaw(body: unknown): body is Blob | ArrayBuffer {
  return body instanceof Blob || body instanceof ArrayBuffer;
}

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    detail: response.statusText || `HTTP ${response.status}`,
    code: response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'internal' : 'http_error',
  };
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body };
  } catch {
    return fallback;
  }
}

/**
 * Calls the Minxin API with the session cookie. Resolves with the parsed JSON
 * (or `undefined` for 204); rejects with an {@link ApiError}, including for
 * network failures (code `network`).
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (isRaw(options.body)) {
      body = options.body;
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
    } else {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: error instanceof Error ? error.message : String(error),
      code: 'network',
    });
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && !options.allowAnonymous && SESSION_LOST.has(problem.code)) sessionLost();
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Shorthands for the four verbs the API uses. */
export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};
