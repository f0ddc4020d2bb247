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
export function fixtureSettings(name: string): string {
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
      const run = await minxin(['coverage', path.join(fixtures, 'coverage', `${name}.jsonl`)]);
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
      const run = await minxin(['prepare', path.join(fixtures, 'prepare', `${name}.jsonl`), '--settings', path.join(fixtures, 'prepare', `${name}.ini`), '--output', output, '--errors', errors]);
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
      const run = await minxin(['indicators', '--settings', settings, '--no-meta', path.join(fixtures, 'indicators', `${name}.jsonl`)]);
      assert.equal(run.code, 0, run.stderr);
      const expected = JSON.parse(readFileSync(path.join(fixtures, 'indicators', `${name}.expected`), 'utf8'));
      assert.deepEqual(JSON.parse(run.stdout), expected);
    });
  }
});
