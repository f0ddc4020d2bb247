/**
 * Every reference fixture of cardinal-rs (`tests/fixtures/{coverage,prepare,indicators}`)
 * run through the real `minxin ocds …` command, compared as spec §12 says:
 * coverage and indicators as parsed JSON, prepare output as exact text. The
 * fixture folders are enumerated, so a fixture added there is picked up.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../../..');
const fixtures = path.resolve(root, '../shared/data/ocds/cardinal-rs/tests/fixtures');
const cli = process.env.OCDS_CLI ?? path.join(root, 'cli/main.ts');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ocds-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `minxin ocds <args>` as a child process, as the external checks do. */
function minxin(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'ocds', ...args], { cwd: scratch, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Runs `minxin ocds <args>` through the CLI's own entry (`runCli`) in this
 * process: the same argument parsing and output lines as the command, without
 * a process start (about 2.5 s of CPU each) per fixture. `OCDS_CLI` set runs
 * every fixture as a child process instead.
 */
async function fixtureRun(args: string[]): Promise<Run> {
  if (process.env.OCDS_CLI) return minxin(args);
  const { runCli } = await import('../../../../cli/main.ts');
  let stdout = '';
  let stderr = '';
  const code = await runCli(['ocds', ...args], {
    stdout: (line) => (stdout += `${line}\n`),
    stderr: (line) => (stderr += `${line}\n`),
    env: { ...process.env, LOG_LEVEL: 'silent' },
    cwd: scratch,
  });
  return { code, stdout, stderr };
}

/** Names of `<folder>/*.<extension>` without the extension, sorted. */
function cases(folder: string, extension: string): string[] {
  return readdirSync(path.join(fixtures, folder))
    .filter((name) => name.endsWith(extension))
    .map((name) => name.slice(0, -extension.length))
    .sort();
}

/**
 * The settings the reference's test generator derives from an indicator
 * fixture's name (spec §12.3): `CODE[-field-value | -field-k1-v1-k2-v2…]`, `+` → `|`,
 * plus the global NPC and EXC lists.
 */
function fixtureSettings(name: string): string {
  const [code, ...parts] = name.replace(/\+/g, '|').split('-');
  const lines = ['no_price_comparison_procurement_methods = NPC', '', '[exclusions]', 'procurement_method_details = EXC', '', `[${code}]`];
  if (parts.length === 2) lines.push(`${parts[0]} = ${parts[1]}`);
  if (parts.length > 2) {
    lines.push('', `[${code}.${parts[0]}]`);
    for (let k = 1; k + 1 < parts.length; k += 2) lines.push(`${parts[k]} = ${parts[k + 1]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Expected warnings of the coverage fixtures (spec §12.1). */
const COVERAGE_WARNINGS: Record<string, string[]> = {
  invalid_utf8: ['Line 1 caused an I/O error, skipping. [stream did not contain valid UTF-8]'],
  invalid_multiline: ['Line 1 is invalid JSON, skipping.', 'Line 2 is invalid JSON, skipping.'],
  invalid_array_quote_first: ['Line 1 is invalid JSON, skipping.'],
  invalid_array_quote_last: ['Line 1 is invalid JSON, skipping.'],
  invalid_object_quote_first: ['Line 1 is invalid JSON, skipping.'],
  invalid_object_quote_last: ['Line 2 is invalid JSON, skipping.'],
  invalid_brace_last: ['Line 2 is invalid JSON, skipping.'],
  invalid_brace_first: ['Line 1 is invalid JSON, skipping.'],
};

describe('minxin ocds coverage: cardinal-rs fixtures', { concurrency: 4 }, () => {
  const names = cases('coverage', '.jsonl');
  test('the fixtures are there', () => assert.ok(names.length >= 35, `found ${names.length} coverage fixtures`));
  for (const name of names) {
    test(name, async () => {
      const run = await fixtureRun(['coverage', path.join(fixtures, 'coverage', `${name}.jsonl`)]);
      assert.equal(run.code, 0, run.stderr);
      const expected = JSON.parse(readFileSync(path.join(fixtures, 'coverage', `${name}.expected`), 'utf8'));
      assert.equal(run.stdout.split('\n').length, 2, 'one line');
      assert.deepEqual(JSON.parse(run.stdout), expected);
      for (const warning of COVERAGE_WARNINGS[name] ?? []) assert.ok(run.stderr.includes(warning), `stderr has "${warning}": ${run.stderr}`);
      if (!COVERAGE_WARNINGS[name]) assert.equal(run.stderr, '');
    });
  }
});

describe('minxin ocds prepare: cardinal-rs fixtures', { concurrency: 4 }, () => {
  const names = cases('prepare', '.jsonl');
  test('the fixtures are there', () => assert.ok(names.length >= 9));
  for (const name of names) {
    test(name, async () => {
      const output = path.join(scratch, `${name}.output`);
      const errors = path.join(scratch, `${name}.errors.csv`);
      const run = await fixtureRun(['prepare', path.join(fixtures, 'prepare', `${name}.jsonl`), '--settings', path.join(fixtures, 'prepare', `${name}.ini`), '--output', output, '--errors', errors]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(readFileSync(output, 'utf8'), readFileSync(path.join(fixtures, 'prepare', `${name}.output`), 'utf8'));
      const expectedErrors = path.join(fixtures, 'prepare', `${name}.errors`);
      if (existsSync(expectedErrors)) assert.equal(readFileSync(errors, 'utf8'), readFileSync(expectedErrors, 'utf8'));
    });
  }
});

describe('minxin ocds indicators: cardinal-rs fixtures', { concurrency: 4 }, () => {
  const names = cases('indicators', '.jsonl');
  test('the fixtures are there', () => assert.ok(names.length >= 15));
  for (const name of names) {
    test(name, async () => {
      const settings = path.join(scratch, `${name}.ini`);
      writeFileSync(settings, fixtureSettings(name));
      const run = await fixtureRun(['indicators', '--settings', settings, '--no-meta', path.join(fixtures, 'indicators', `${name}.jsonl`)]);
      assert.equal(run.code, 0, run.stderr);
      const expected = JSON.parse(readFileSync(path.join(fixtures, 'indicators', `${name}.expected`), 'utf8'));
      assert.deepEqual(JSON.parse(run.stdout), expected);
    });
  }
});

describe('minxin ocds: arguments, errors and quirks', { concurrency: 4 }, () => {
  test('init writes the template; without --force an existing file is kept but success is still printed', async () => {
    const file = path.join(scratch, 'settings-init.ini');
    assert.deepEqual(await minxin(['init', file]), { code: 0, stdout: `Settings written to ${file}.\n`, stderr: '' });
    assert.match(readFileSync(file, 'utf8'), /^\[R058\]$/m);
    writeFileSync(file, 'mine');
    assert.equal((await minxin(['init', file])).stdout, `Settings written to ${file}.\n`);
    assert.equal(readFileSync(file, 'utf8'), 'mine');
    assert.equal((await minxin(['init', '-f', file])).code, 0);
    assert.notEqual(readFileSync(file, 'utf8'), 'mine');
  });

  test('a bad settings file is a usage error naming the dotted path; nothing is printed on stdout', async () => {
    const file = path.join(scratch, 'bad.ini');
    writeFileSync(file, '[R003]\nthreshold = 15 # default\n');
    const run = await minxin(['indicators', path.join(fixtures, 'indicators', 'R003.jsonl'), '--settings', file]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /R003\.threshold: "15 # default" is not an integer/);
    const missing = await minxin(['coverage', path.join(scratch, 'absent.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /absent\.jsonl: No such file or directory/);
  });

  test('prepare: problems as CSV on stdout, bad and non-object lines warned and skipped, processing goes on', async () => {
    const input = path.join(scratch, 'mixed.jsonl');
    writeFileSync(input, '{"ocid":"a,b","bids":{"details":[{"value":{"amount":0}}]}}\n[1]\n{broken\n\n{"ocid":"c","awards":[{"status":"Active"}]}\n');
    const output = path.join(scratch, 'mixed.out');
    const run = await minxin(['prepare', '--output', output, '--errors', '-', input]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '1,"a,b",/bids/details[]/value/amount,0,,is zero\n1,"a,b",/bids/details[]/value/currency,0,,not set\n1,"a,b",/bids/details[]/status,0,,not set\n5,c,/awards[]/status,0,Active,invalid\n');
    assert.equal(readFileSync(output, 'utf8').split('\n').length, 3);
    assert.match(run.stderr, /Line 2 is not a JSON object, skipping\./);
    assert.match(run.stderr, /Line 3 is invalid JSON, skipping\./);
    assert.doesNotMatch(run.stderr, /Line 4/);
  });

  test('indicators: Meta by default, --count on stderr, options after FILE, standard input', async () => {
    const settings = path.join(scratch, 'r018.ini');
    writeFileSync(settings, '[R018]\n');
    const file = path.join(fixtures, 'indicators', 'R018.jsonl');
    const run = await minxin(['indicators', file, '--settings', settings, '--count']);
    assert.equal(run.code, 0, run.stderr);
    const output = JSON.parse(run.stdout);
    assert.deepEqual(output.Meta, {});
    assert.match(run.stderr, /^OCID: \d+$/m);
    const piped = await new Promise<string>((resolve) => {
      const child = execFile(process.execPath, [cli, 'ocds', 'indicators', '-s', settings, '--no-meta', '-'], { cwd: scratch }, (_error, stdout) => resolve(stdout));
      child.stdin!.end(readFileSync(file));
    });
    assert.deepEqual(JSON.parse(piped), { OCID: output.OCID });
  });
});
