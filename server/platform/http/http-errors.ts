import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, isAppError, type ErrorCode } from '../errors.ts';

/** The one place error codes become HTTP statuses. */
export const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 422,
  invalid_body: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  session_expired: 401,
  invalid_credentials: 401,
  account_locked: 423,
  account_disabled: 403,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  version_conflict: 409,
  rate_limited: 429,
  import_invalid: 422,
  config_invalid: 500,
  audit_chain_broken: 500,
  internal: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

/** RFC 9457 problem details for a coded error. */
export function problemOf(error: AppError, instance?: string): ProblemBody {
  const status = STATUS_OF[error.code];
  const { errors, ...extensions } = (error.details ?? {}) as { errors?: ProblemBody['errors'] } & Record<string, unknown>;
  // Extensions first: an extension named like a standard member (a case's `status`, say) never overrides it.
  return {
    ...extensions,
    type: `https://minxin.dev/problems/${error.code.replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    ...(instance && { instance }),
    ...(errors && { errors }),
  };
}

/** Turns whatever was thrown into a coded error; unknown errors become `internal`. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: [error.validationContext, ...(issue.instancePath ? issue.instancePath.split('/').filter(Boolean) : [])].join('.'),
      message: issue.message ?? 'invalid',
    }));
    return new AppError('validation_failed', `The request is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors });
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than allowed');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'This content type is not accepted here');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('invalid_body', 'The request body is empty or incomplete');
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('invalid_body', 'The request body is not valid JSON');
  }
  if (fastifyError.statusCode === 429) return new AppError('rate_limited', 'Too many requests; slow down and try again shortly');
  if (fastifyError.statusCode === 400) return new AppError('invalid_body', fastifyError.message ?? 'Bad request');
  return new AppError('internal', 'Something went wrong on our side; it has been logged');
}

/** Fastify error handler: problem+json for every failure, logging only the unexpected ones. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError.code === 'internal') {
    request.log.error({ err: isResponseSerializationError(error) ? error.cause : error }, 'unhandled error');
  }
  const problem = problemOf(appError, request.url.split('?')[0]);
  if (appError.code === 'rate_limited' || appError.code === 'account_locked') reply.header('retry-after', '60');
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
