import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, type Config } from './config.ts';
import { AppError } from './errors.ts';

/** The config_invalid error `loadConfig` throws for `env`, with its list of problems. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/minxin');
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'config_invalid');
    const problems = error.details?.problems as string[];
    for (const problem of problems) assert.ok(error.message.includes(problem), `the message lists "${problem}"`);
    return problems;
  }
  assert.fail(`expected config_invalid for ${JSON.stringify(env)}`);
}

test('an empty environment gives working defaults, frozen', () => {
  const config = loadConfig({}, '/srv/minxin');
  const expected: Config = {
    port: 8080,
    host: '0.0.0.0',
    dataDir: '/srv/minxin/data',
    databaseUrl: undefined,
    databaseSchema: undefined,
    logLevel: 'info',
    defaultCity: 'qingdao',
    sessionTtlHours: 12,
    cookieSecure: true,
    corsOrigins: [],
    trustProxy: false,
    loginMaxFailures: 5,
    loginLockMinutes: 15,
    loginRateLimitPerMinute: 20,
    intakeRateLimitPerMinute: 60,
    demoSeed: 20261201,
    demoPairingPercent: 100,
    slaScanIntervalSeconds: 60,
    webDistDir: '/srv/minxin/dist/web',
    smtp: undefined,
    mailFrom: 'minxin@localhost',
    notifyIntervalSeconds: 30,
    nearDuplicateIntervalSeconds: 15,
    hotIssueIntervalSeconds: 3600,
    pairingReminderIntervalSeconds: 86400,
    pairingVisitDays: 60,
    pairingNeedDays: 30,
    classifierModelPath: undefined,
    classifierMinConfidence: 0.6,
  };
  assert.deepEqual(config, expected);
  assert.ok(Object.isFrozen(config));
});

test('empty strings count as unset', () => {
  const env = Object.fromEntries(
    [
      'PORT',
      'DATABASE_URL',
      'DATABASE_SCHEMA',
      'LOG_LEVEL',
      'MINXIN_CITY',
      'COOKIE_SECURE',
      'CORS_ORIGINS',
      'SESSION_TTL_HOURS',
    ].map((name) => [name, '']),
  );
  assert.deepEqual(loadConfig(env, '/srv/minxin'), loadConfig({}, '/srv/minxin'));
});

test('values are parsed: numbers, booleans, lists and paths relative to the working folder', () => {
  const config = loadConfig(
    {
      PORT: '3000',
      HOST: '127.0.0.1',
      DATA_DIR: 'var/db',
      WEB_DIST_DIR: '/opt/web',
      DATABASE_URL: 'postgresql://minxin@db.internal:5432/minxin',
      DATABASE_SCHEMA: 'minxin_staging',
      LOG_LEVEL: 'debug',
      MINXIN_CITY: 'yantai',
      SESSION_TTL_HOURS: '720',
      COOKIE_SECURE: 'FALSE',
      CORS_ORIGINS: ' https://a.example , https://b.example,,',
      TRUST_PROXY: 'yes',
      LOGIN_MAX_FAILURES: '1',
      LOGIN_LOCK_MINUTES: '1440',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      DEMO_SEED: '0',
      CLASSIFIER_MODEL: 'models/city.model',
      CLASSIFIER_MIN_CONFIDENCE: '0.85',
    },
    '/srv/minxin',
  );
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.dataDir, '/srv/minxin/var/db');
  assert.equal(config.webDistDir, '/opt/web');
  assert.equal(config.databaseUrl, 'postgresql://minxin@db.internal:5432/minxin');
  assert.equal(config.databaseSchema, 'minxin_staging');
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.defaultCity, 'yantai');
  assert.equal(config.sessionTtlHours, 720);
  assert.equal(config.cookieSecure, false);
  assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(config.trustProxy, true);
  assert.equal(config.loginMaxFailures, 1);
  assert.equal(config.loginLockMinutes, 1440);
  assert.equal(config.loginRateLimitPerMinute, 10000);
  assert.equal(config.demoSeed, 0);
  assert.equal(config.classifierModelPath, '/srv/minxin/models/city.model');
  assert.equal(config.classifierMinConfidence, 0.85);
});

test('every bad value is listed at once in one config_invalid error', () => {
  const problems = problemsOf({
    PORT: 'eighty',
    SESSION_TTL_HOURS: '0',
    LOGIN_MAX_FAILURES: '2.5',
    LOGIN_RATE_LIMIT_PER_MINUTE: '-1',
    COOKIE_SECURE: 'maybe',
    TRUST_PROXY: 'sometimes',
    LOG_LEVEL: 'loud',
    MINXIN_CITY: 'Qing Dao',
    DATABASE_SCHEMA: 'Bad-Schema',
    DATABASE_URL: 'mysql://root@localhost/minxin',
    CLASSIFIER_MIN_CONFIDENCE: '1.5',
  });
  const named = [
    'PORT',
    'SESSION_TTL_HOURS',
    'LOGIN_MAX_FAILURES',
    'LOGIN_RATE_LIMIT_PER_MINUTE',
    'COOKIE_SECURE',
    'TRUST_PROXY',
    'LOG_LEVEL',
    'MINXIN_CITY',
    'DATABASE_SCHEMA',
    'DATABASE_URL',
    'CLASSIFIER_MIN_CONFIDENCE',
  ];
  assert.equal(problems.length, named.length, problems.join('\n'));
  for (const name of named)
    assert.equal(problems.filter((problem) => problem.startsWith(`${name} `)).length, 1, `one problem names ${name}`);
  assert.ok(
    problems.some((problem) => problem.includes('"eighty"')),
    'the bad value is quoted back',
  );
});

test('numbers must be whole and in range', () => {
  for (const [name, value] of [
    ['PORT', '65536'],
    ['PORT', '1e3x'],
    ['SESSION_TTL_HOURS', '721'],
    ['LOGIN_LOCK_MINUTES', '0'],
    ['DEMO_SEED', '2147483648'],
  ] as const) {
    assert.deepEqual(problemsOf({ [name]: value }).length, 1, `${name}=${value}`);
  }
  assert.equal(loadConfig({ PORT: '0' }).port, 0);
});

test('DATABASE_URL must be a PostgreSQL URL', () => {
  for (const url of ['postgres://postgres@127.0.0.1:5432/test', 'postgresql://u:p@db/minxin?sslmode=require']) {
    assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url);
  }
  for (const url of ['mysql://root@localhost/minxin', 'localhost:5432', 'file:///var/db', ' postgres://x']) {
    const [problem] = problemsOf({ DATABASE_URL: url });
    assert.match(problem!, /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    assert.ok(!problem!.includes(url.trim()), 'the URL, which may hold a password, is not echoed');
  }
});

test('SMTP_URL is parsed once into host, port, TLS and credentials; bad values are refused', () => {
  const config = loadConfig({ SMTP_URL: 'smtp://mailer:p%40ss@mail.example.gov.cn:2525', MAIL_FROM: 'noreply@example.gov.cn', NOTIFY_INTERVAL_SECONDS: '0' });
  assert.deepEqual(config.smtp, { host: 'mail.example.gov.cn', port: 2525, secure: false, user: 'mailer', password: 'p@ss', startTls: 'opportunistic' });
  assert.equal(config.mailFrom, 'noreply@example.gov.cn');
  assert.equal(config.notifyIntervalSeconds, 0);
  assert.equal(loadConfig({ SMTP_URL: 'smtps://mail.example.gov.cn' }).smtp?.port, 465);
  assert.throws(() => loadConfig({ SMTP_URL: 'http://mail.example.gov.cn' }), /SMTP_URL/);
  assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.gov.cn', SMTP_STARTTLS: 'required' }).smtp?.startTls, 'required');
  assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.gov.cn', SMTP_STARTTLS: 'sometimes' }), /SMTP_STARTTLS/);
  assert.throws(() => loadConfig({ MAIL_FROM: 'Minxin <x@y>' }), /MAIL_FROM/);
  assert.throws(() => loadConfig({ NOTIFY_INTERVAL_SECONDS: '-1' }), /NOTIFY_INTERVAL_SECONDS/);
});
