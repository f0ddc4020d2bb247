import path from 'node:path';
import { AppError } from './errors.ts';

/** Settings read once at start; nothing else in Minxin reads `process.env`. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Folder of the embedded PGlite database; ignored when `databaseUrl` is set. */
  readonly dataDir: string;
  /** A PostgreSQL server (`postgres://…`); absent means the embedded database. */
  readonly databaseUrl: string | undefined;
  /** Search path schema on the server (tests use a throw-away schema per run). */
  readonly databaseSchema: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Code of the city served when a request names none (the tenant key of a single-city install). */
  readonly defaultCity: string;
  readonly sessionTtlHours: number;
  /** Send cookies with `Secure`; browsers accept them over plain http on localhost too. */
  readonly cookieSecure: boolean;
  /** Origins allowed by CORS; empty means CORS is off. */
  readonly corsOrigins: readonly string[];
  readonly trustProxy: boolean;
  /** Failed logins before a temporary lockout, and how long it lasts. */
  readonly loginMaxFailures: number;
  readonly loginLockMinutes: number;
  /** Login attempts one address may make per minute. */
  readonly loginRateLimitPerMinute: number;
  /** Messages one address may submit per minute through POST /api/v1/messages; 0 turns the limit off (a gateway limits instead, or a benchmark). */
  readonly intakeRateLimitPerMinute: number;
  readonly demoSeed: number;
  /** The demo city's pairing registry in percent of Qingdao's 7,260 cadres × 15,676 households (100 = full scale; 0 = none). */
  readonly demoPairingPercent: number;
  /** Seconds between SLA scans (reminders, 督办) while the server runs; 0 turns the scan off. */
  readonly slaScanIntervalSeconds: number;
  readonly webDistDir: string;
  /** Outgoing mail server for notifications; absent means no e-mail is sent. */
  readonly smtp: SmtpSettings | undefined;
  /** The `From:` address of notification e-mails. */
  readonly mailFrom: string;
  /** How often the notification dispatcher runs inside the server; 0 turns it off. */
  readonly notifyIntervalSeconds: number;
  /** How often the near-duplicate indexer runs inside the server (docs/near-duplicates.md); 0 turns it off. */
  readonly nearDuplicateIntervalSeconds: number;
  /** Seconds between hot-issue scans (clustering and early-warning alerts); 0 turns the job off. */
  readonly hotIssueIntervalSeconds: number;
  /** Seconds between pairing reminder runs (cadres told of households waiting for a visit, at most weekly); 0 turns the job off. */
  readonly pairingReminderIntervalSeconds: number;
  /** Days without a visit after which a paired household counts as waiting (the reminders; docs/pairing.md). */
  readonly pairingVisitDays: number;
  /** Days after which a need found on a visit whose case is not answered counts as open too long (the reminders). */
  readonly pairingNeedDays: number;
  /** A message classifier model file (`minxin train`) used at intake instead of the shipped default. */
  readonly classifierModelPath: string | undefined;
  /**
   * The classifier's confidence from which intake takes its category for a
   * message that came without one; below it the case waits in the
   * coordinators' triage queue with the suggestion. 1 sends every such case to triage.
   */
  readonly classifierMinConfidence: number;
}

/**
 * `SMTP_URL` parsed: `smtp://user:pass@host:port` (upgraded with STARTTLS as
 * `SMTP_STARTTLS` says) or `smtps://…` (TLS from the start).
 */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** `smtp://` only: `required` refuses a server without STARTTLS, `opportunistic` (default) upgrades when offered, `off` never does. */
  readonly startTls: 'required' | 'opportunistic' | 'off';
}

const STARTTLS_MODES = ['required', 'opportunistic', 'off'] as const;

function parseStartTls(raw: string | undefined, problems: string[]): (typeof STARTTLS_MODES)[number] {
  if (raw === undefined || raw === '') return 'opportunistic';
  const mode = STARTTLS_MODES.find((candidate) => candidate === raw.trim().toLowerCase());
  if (!mode) problems.push(`SMTP_STARTTLS must be one of ${STARTTLS_MODES.join(', ')}`);
  return mode ?? 'opportunistic';
}

function parseSmtpUrl(raw: string | undefined, startTls: string | undefined, problems: string[]): SmtpSettings | undefined {
  const mode = parseStartTls(startTls, problems);
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push('SMTP_URL must be a URL like smtp://user:pass@host:587');
    return undefined;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    problems.push('SMTP_URL must start with smtp:// or smtps://');
    return undefined;
  }
  if (!url.hostname) {
    problems.push('SMTP_URL must name a host');
    return undefined;
  }
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 25,
    secure,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    startTls: mode,
  };
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Parses and validates the environment. Every problem is collected, so a bad
 * configuration fails at boot with one error listing all of them.
 */
export function loadConfig(env: Env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const fraction = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      problems.push(`${name} must be a number from 0 to 1, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql://`);
  }
  const databaseSchema = env.DATABASE_SCHEMA || undefined;
  if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    problems.push(`DATABASE_SCHEMA must be a lower-case SQL identifier`);
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const defaultCity = env.MINXIN_CITY || 'qingdao';
  if (!/^[a-z0-9-]{2,40}$/.test(defaultCity)) problems.push(`MINXIN_CITY must be a city code like "qingdao"`);

  const mailFrom = env.MAIL_FROM || 'minxin@localhost';
  if (!/^[^\s@<>",]+@[^\s@<>",]+$/.test(mailFrom)) problems.push('MAIL_FROM must be a bare e-mail address like noreply@example.gov.cn');

  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(cwd, env.DATA_DIR || 'data'),
    databaseUrl,
    databaseSchema,
    logLevel,
    defaultCity,
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 30),
    cookieSecure: bool('COOKIE_SECURE', true),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: bool('TRUST_PROXY', false),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 10_000),
    intakeRateLimitPerMinute: int('INTAKE_RATE_LIMIT_PER_MINUTE', 60, 0, 1_000_000),
    demoSeed: int('DEMO_SEED', 20261201, 0, 2 ** 31 - 1),
    demoPairingPercent: int('DEMO_PAIRING_PERCENT', 100, 0, 100),
    slaScanIntervalSeconds: int('SLA_SCAN_INTERVAL_SECONDS', 60, 0, 24 * 3600),
    webDistDir: path.resolve(cwd, env.WEB_DIST_DIR || 'dist/web'),
    smtp: parseSmtpUrl(env.SMTP_URL, env.SMTP_STARTTLS, problems),
    mailFrom,
    notifyIntervalSeconds: int('NOTIFY_INTERVAL_SECONDS', 30, 0, 24 * 60 * 60),
    nearDuplicateIntervalSeconds: int('NEAR_DUPLICATE_INTERVAL_SECONDS', 15, 0, 24 * 60 * 60),
    hotIssueIntervalSeconds: int('HOT_ISSUES_INTERVAL_SECONDS', 3600, 0, 7 * 24 * 60 * 60),
    pairingReminderIntervalSeconds: int('PAIRING_REMINDER_INTERVAL_SECONDS', 86_400, 0, 7 * 24 * 60 * 60),
    pairingVisitDays: int('PAIRING_VISIT_DAYS', 60, 1, 3650),
    pairingNeedDays: int('PAIRING_NEED_DAYS', 30, 1, 3650),
    classifierModelPath: env.CLASSIFIER_MODEL ? path.resolve(cwd, env.CLASSIFIER_MODEL) : undefined,
    classifierMinConfidence: fraction('CLASSIFIER_MIN_CONFIDENCE', 0.6),
  };
  if (problems.length > 0) {
    throw new AppError('config_invalid', `Invalid configuration: ${problems.join('; ')}`, { problems });
  }
  return Object.freeze(config);
}
