import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Paths whose values never reach a log line: credentials and personal data.
 * Request logs carry ids and routes only; bodies are not logged at all.
 */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.phone',
  '*.contactPhone',
  '*.contact_phone',
  '*.notes',
  '*.email',
  '*.idNumber',
  '*.address',
  '*.token',
];

/**
 * Request lines keep the method and the path without its query string
 * (queries may carry names or phone numbers) and no client address.
 */
const serializers = {
  req: (request: { method?: string; url?: string }) => ({ method: request.method, path: request.url?.split('?')[0] }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
};

/**
 * The process logger: JSON lines with request ids, personal data redacted.
 * Lines go to standard output unless `destination` is given (tests capture them).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, redact: { paths: REDACTED, censor: '[redacted]' }, base: { service: 'minxin' }, serializers };
  return destination ? pino(options, destination) : pino(options);
}
