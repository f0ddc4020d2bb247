/**
 * Stable error codes. They are part of the API contract (problem+json `code`)
 * and of the CLI (exit codes); HTTP statuses are assigned in one place,
 * `http/http-errors.ts`, and exit codes in `cli/main.ts`.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_body'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'session_expired'
  | 'invalid_credentials'
  | 'account_locked'
  | 'account_disabled'
  | 'csrf_failed'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'version_conflict'
  | 'rate_limited'
  | 'import_invalid'
  | 'config_invalid'
  | 'audit_chain_broken'
  | 'internal';

/** Details shown to the caller; never put personal data here. */
export type ErrorDetails = Record<string, unknown>;

/** An expected failure with a stable code; anything else is a bug and becomes `internal`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
