// `npm test`: everything CI runs, in order, stopping at the first failure.
// typecheck → lint → unit + integration on PGlite → again on the PostgreSQL
// server → web build → browser tests in Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const isCi = process.env.CI === 'true';
const serverUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const nodeTests = ['server/**/*.test.ts', 'cli/**/*.test.ts', 'contracts/**/*.test.ts', 'bench/**/*.test.ts'];

function step(title: string, command: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    const { passed, failed } = totals();
    console.error(`✖ ${title} failed (exit ${result.status ?? result.signal})`);
    if (tapFiles > 0) console.error(`Tests: ${passed} passed, ${failed} failed`);
    process.exit(result.status ?? 1);
  }
}

async function serverReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const node = process.execPath;
const tapDir = mkdtempSync(path.join(os.tmpdir(), 'minxin-test-'));
let tapFiles = 0;

/** Node test runner arguments: the spec report on screen and a TAP copy to count from at the end. */
function testRunnerArgs(files: string[], extra: string[] = []): string[] {
  tapFiles += 1;
  const tap = path.join(tapDir, `${tapFiles}.tap`);
  return [
    '--test',
    '--test-isolation=none',
    ...extra,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ];
}

/** Sums the `# pass` and `# fail` lines of every TAP copy. */
function totals(): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (let index = 1; index <= tapFiles; index += 1) {
    const file = path.join(tapDir, `${index}.tap`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    passed += Number(/^# pass (\d+)$/m.exec(text)?.[1] ?? 0);
    failed += Number(/^# fail (\d+)$/m.exec(text)?.[1] ?? 0);
  }
  return { passed, failed };
}
const bin = (name: string) => `node_modules/.bin/${name}`;

step('Typecheck (server, CLI, tests)', bin('tsc'), ['-p', '.']);
step('Typecheck (web)', bin('tsc'), ['-p', 'web']);
step('Typecheck (browser tests)', bin('tsc'), ['-p', 'web/tsconfig.tests.json']);
step('Lint', bin('eslint'), ['.', '--max-warnings', '0']);
step('Unit and integration tests on the embedded database (PGlite)', node, testRunnerArgs(nodeTests), {
  TEST_DATABASE_URL: '',
});

if (await serverReachable()) {
  step(
    `Integration tests on the PostgreSQL server (${serverUrl.replace(/\/\/[^@]*@/, '//')})`,
    node,
    testRunnerArgs(nodeTests),
    { TEST_DATABASE_URL: serverUrl },
  );
} else if (isCi) {
  console.error(`✖ No PostgreSQL server at ${serverUrl}; CI must test on it`);
  process.exit(1);
} else {
  console.log(`\n⚠ Skipping the PostgreSQL server run: nothing answers at ${serverUrl}`);
}

step('Build the web app', bin('vite'), ['build', '--logLevel', 'warn']);
if (existsSync(chromium)) {
  step('Browser tests (Chromium)', node, testRunnerArgs(['web/**/*.browser.test.ts'], ['--test-concurrency=1']), {
    CHROMIUM_PATH: chromium,
  });
} else if (isCi) {
  console.error(`✖ No Chromium at ${chromium}; CI must run the browser tests (apt-get install chromium)`);
  process.exit(1);
} else {
  console.log(`\n⚠ Skipping browser tests: no Chromium at ${chromium}`);
}
const { passed, failed } = totals();
rmSync(tapDir, { recursive: true, force: true });
console.log('\n✔ All checks passed');
console.log(`Tests: ${passed} passed, ${failed} failed`);
