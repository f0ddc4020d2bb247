/**
 * The platform's second, light face: what a command that needs no database
 * (`minxin pair`, the OCDS tools) and the CLI's own dispatcher may use. It
 * loads nothing heavy, so such commands start without PGlite, pg, argon2 or
 * pino; everything here is also exported by `index.ts`.
 */
export { AppError, isAppError, type ErrorCode } from './errors.ts';
export { UsageError, type CliArgs, type CliCommand, type CliIo } from './cli/cli-contract.ts';
