/**
 * Bulk import of hotline exports (docs/hotline-import.md): a CSV, XLSX or
 * JSONL file plus a column-mapping file become cases with their message, their
 * historical reply and a real timeline (open → dispatch → reply → close, as
 * `system`, at the historical times).
 *
 * Idempotent by source id: a row already imported counts as `unchanged`.
 * Resumable: rows are written in batches, each in one transaction, so a crash
 * loses at most the batch in flight and a rerun continues where it stopped.
 * A first pass checks the whole file: without `skipInvalid` a file with any
 * bad row imports nothing and every problem is listed.
 */
import {
  AppError,
  TabularError,
  assertAllowed,
  inTransaction,
  issueTrackingCode,
  openTabular,
  recordAudit,
  requireActor,
  type PlatformDeps,
  type RequestContext,
  type Trx,
} from '../../../platform/index.ts';
import {
  DEFAULT_CASE_POLICY,
  openCase,
  timelineEntryOf,
  transition,
  type CaseEvent,
  type CaseSnapshot,
} from '../cases/case.ts';
import { historicalEventRecord } from '../cases/history.ts';
import { historicalRepliesOf, saveHistoricalReplyScores } from '../replies/reply-quality.service.ts';
import { SYSTEM_ACTOR } from '../cases/case.service.ts';
import type { DeadlineClock } from '../deadlines/deadline.ts';
import {
  MappingError,
  columnsRead,
  parseHotlineMapping,
  parseHotlineRow,
  targetsOf,
  type CityVocabulary,
  type HotlineMapping,
  type HotlineRow,
  type RowProblem,
} from './hotline-import-mapping.ts';
import * as repository from './hotline-import.repository.ts';
import { carryOutDeadline } from '../deadlines/sla.ts';
import { caseYearOf, type CaseEventRecord } from '../cases/voices.ts';
import { takeCaseNumbers } from '../cases/case.repository.ts';

/** At most this many problems are reported; a file with more is mostly wrong anyway. */
export const MAX_PROBLEMS = 1_000;
export const DEFAULT_BATCH_SIZE = 500;

/** One rejected row (or the file itself, `line` 0), as `file:line:field: message`. */
export interface HotlineProblem {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export interface HotlineImportReport {
  readonly file: string;
  readonly sourceSystem: string;
  /** Data rows read (blank rows not counted). */
  readonly rows: number;
  readonly created: number;
  readonly unchanged: number;
  /** Rows left out because of problems (with `skipInvalid`). */
  readonly rejectedRows: number;
  /** The problems, at most `MAX_PROBLEMS`. */
  readonly rejected: HotlineProblem[];
  readonly batches: number;
}

/** Told after the check of the file and after every committed batch; throwing stops the import (the batches committed stay). */
export interface HotlineProgress {
  readonly phase: 'checked' | 'batch';
  /** Valid rows in the file. */
  readonly total: number;
  /** Valid rows handled so far (created + unchanged). */
  readonly done: number;
  readonly created: number;
  readonly unchanged: number;
  readonly rejectedRows: number;
}

export interface HotlineImportOptions {
  readonly path: string;
  /** Names the file in problems; defaults to `path`. */
  readonly filename?: string;
  /** The mapping file's content, parsed JSON (checked here). */
  readonly mapping: unknown;
  readonly mappingFile?: string;
  readonly skipInvalid?: boolean;
  readonly batchSize?: number;
  readonly onProgress?: (progress: HotlineProgress) => void | Promise<void>;
}

/** Historical cases were rated (or not) before Minxin: their rating window is over when the reply is given. */
const HISTORY_POLICY = { ...DEFAULT_CASE_POLICY, ratingWindowDays: 0 };

const invalid = (message: string, problems: { path: string; message: string }[]): AppError =>
  new AppError('import_invalid', message, { errors: problems.slice(0, MAX_PROBLEMS) });

/** The year in the city's time (China has one zone): what the case number counts in. */

/**
 * Imports a hotline export. See the module comment for the guarantees.
 *
 * @throws AppError `import_invalid` (nothing imported) for a bad mapping, a
 *   missing column, an unreadable file, or bad rows without `skipInvalid`;
 *   `forbidden` unless a city-wide admin.
 * @example await importHotlineExport(deps, context, { path: 'replies.jsonl', mapping: JSON.parse(text), skipInvalid: true })
 */
export async function importHotlineExport(
  deps: PlatformDeps,
  context: RequestContext,
  options: HotlineImportOptions,
): Promise<HotlineImportReport> {
  assertAllowed(requireActor(context), 'import.run', { kind: 'city' });
  const file = options.filename ?? options.path;
  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, 2_000));
  let mapping: HotlineMapping;
  try {
    mapping = parseHotlineMapping(options.mapping, options.mappingFile ?? 'mapping');
  } catch (error) {
    if (error instanceof MappingError)
      throw invalid(
        error.message,
        error.problems.map((problem) => ({
          path: `${options.mappingFile ?? 'mapping'}:${problem.path}`,
          message: problem.message,
        })),
      );
    throw error;
  }
  const known = await repository.loadVocabulary(deps.db, context.regionId);
  checkTargets(mapping, known, options.mappingFile ?? 'mapping');
  const vocabulary: CityVocabulary = {
    categories: new Set(known.categories.keys()),
    districts: new Set(known.districts.keys()),
    departments: new Set(known.departments.keys()),
  };

  // Pass 1: check every row, so a bad file writes nothing.
  const problems: HotlineProblem[] = [];
  const badLines = new Set<number>();
  let rows = 0;
  for await (const { line, parsed } of readRows(options.path, file, mapping, vocabulary)) {
    rows += 1;
    if ('problems' in parsed) {
      badLines.add(line);
      for (const problem of parsed.problems) if (problems.length < MAX_PROBLEMS) problems.push({ file, ...problem });
    }
  }
  if (badLines.size > 0 && !options.skipInvalid) {
    throw invalid(
      `${file} has ${badLines.size} bad row${badLines.size === 1 ? '' : 's'}; nothing was imported. First: line ${problems[0]!.line}, ${problems[0]!.field}: ${problems[0]!.message}`,
      problems.map((problem) => ({
        path: `${problem.file}:${problem.line}:${problem.field}`,
        message: problem.message,
      })),
    );
  }
  const total = rows - badLines.size;
  const counts = { created: 0, unchanged: 0, batches: 0 };
  const progress = (phase: HotlineProgress['phase']): HotlineProgress => ({
    phase,
    total,
    done: counts.created + counts.unchanged,
    created: counts.created,
    unchanged: counts.unchanged,
    rejectedRows: badLines.size,
  });
  await options.onProgress?.(progress('checked'));

  // Pass 2: the valid rows, batch by batch, each batch in one transaction.
  let batch: HotlineRow[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const rowsOfBatch = batch;
    batch = [];
    const outcome = await inTransaction(deps.db, (trx) =>
      writeBatch(trx, deps, context, mapping, known, rowsOfBatch, file),
    );
    counts.created += outcome.created;
    counts.unchanged += outcome.unchanged;
    counts.batches += 1;
    await options.onProgress?.(progress('batch'));
  };
  for await (const { line, parsed } of readRows(options.path, file, mapping, vocabulary)) {
    if (!('row' in parsed) || badLines.has(line)) continue;
    batch.push(parsed.row);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return {
    file,
    sourceSystem: mapping.sourceSystem,
    rows,
    created: counts.created,
    unchanged: counts.unchanged,
    rejectedRows: badLines.size,
    rejected: problems,
    batches: counts.batches,
  };
}

/** Every code and path the mapping names must exist in the city. */
function checkTargets(
  mapping: HotlineMapping,
  known: Awaited<ReturnType<typeof repository.loadVocabulary>>,
  mappingFile: string,
): void {
  const targets = targetsOf(mapping);
  const problems: { path: string; message: string }[] = [];
  const check = (entries: Map<string, string>, set: Map<string, number>, what: string): void => {
    for (const [path, target] of entries)
      if (!set.has(target))
        problems.push({ path: `${mappingFile}:${path}`, message: `"${target}" is not ${what} of this city` });
  };
  check(targets.categories, known.categories, 'a category path');
  check(targets.districts, known.districts, 'a district code');
  check(targets.departments, known.departments, 'an active department code');
  if (problems.length > 0)
    throw invalid(`${mappingFile}: the mapping names ${problems.length} thing(s) this city does not have`, problems);
}

/**
 * Streams the file's rows, each parsed. A repeated source id is a problem of
 * the later row. A broken file (a bad JSON line, an unclosed quote) is one
 * problem and stops the import there.
 */
async function* readRows(
  path: string,
  file: string,
  mapping: HotlineMapping,
  vocabulary: CityVocabulary,
): AsyncGenerator<{ line: number; parsed: { row: HotlineRow } | { problems: RowProblem[] } }, void, undefined> {
  const seen = new Map<string, number>();
  try {
    await using table = await openTabular({ path, filename: file });
    const missing = columnsRead(mapping).filter((name) => !table.columns.includes(name));
    if (missing.length > 0) {
      throw invalid(
        `${file} lacks the column(s) ${missing.join(', ')} that the mapping reads`,
        missing.map((name) => ({ path: `${file}:${table.headerLine}:${name}`, message: 'no such column in the file' })),
      );
    }
    for await (const { line, values } of table.rows) {
      let parsed = parseHotlineRow(mapping, vocabulary, line, values);
      if ('row' in parsed) {
        const earlier = seen.get(parsed.row.sourceId);
        if (earlier !== undefined)
          parsed = { problems: [{ line, field: 'sourceId', message: `already appears on line ${earlier}` }] };
        else seen.set(parsed.row.sourceId, line);
      }
      yield { line, parsed };
    }
  } catch (error) {
    if (error instanceof TabularError) {
      throw invalid(`${file} cannot be read; nothing more was imported: ${error.message}`, [
        {
          path: `${file}:${error.line ?? 0}:${error.column === undefined ? 'file' : `column ${error.column}`}`,
          message: error.message,
        },
      ]);
    }
    throw error;
  }
}

type Known = Awaited<ReturnType<typeof repository.loadVocabulary>>;

/** One batch in the caller's transaction: skips rows already in, builds and inserts the rest, audits the counts. */
async function writeBatch(
  trx: Trx,
  deps: PlatformDeps,
  context: RequestContext,
  mapping: HotlineMapping,
  known: Known,
  rows: readonly HotlineRow[],
  file: string,
): Promise<{ created: number; unchanged: number }> {
  const already = await repository.findImportedSourceIds(
    trx,
    context.regionId,
    mapping.sourceSystem,
    rows.map((row) => row.sourceId),
  );
  const fresh = rows.filter((row) => !already.has(row.sourceId));
  const byYear = new Map<number, HotlineRow[]>();
  for (const row of fresh) {
    const year = caseYearOf(row.submittedAt);
    byYear.set(year, [...(byYear.get(year) ?? []), row]);
  }
  const cases: repository.ImportedCase[] = [];
  for (const [year, rowsOfYear] of byYear) {
    const numbers = await takeCaseNumbers(trx, context.regionId, year, rowsOfYear.length);
    rowsOfYear.forEach((row, index) => cases.push(buildCase(mapping, known, row, numbers[index]!)));
  }
  const caseIds = await repository.insertImportedCases(trx, context.regionId, mapping.sourceSystem, cases);
  // Imported replies are scored like live ones (docs/reply-quality.md).
  const categoryPaths = new Map([...known.categories].map(([path, id]) => [id, path]));
  await saveHistoricalReplyScores(trx, context.regionId, historicalRepliesOf(cases, caseIds, categoryPaths), deps.clock());
  await recordAudit(
    trx,
    context,
    {
      action: 'hotline.import',
      resourceType: 'case',
      details: {
        file,
        sourceSystem: mapping.sourceSystem,
        rows: rows.length,
        created: cases.length,
        unchanged: rows.length - cases.length,
        firstLine: rows[0]!.line,
        lastLine: rows.at(-1)!.line,
      },
    },
    deps.clock(),
  );
  return { created: cases.length, unchanged: rows.length - cases.length };
}

/** The case a row becomes, its timeline fired through the state machine at the historical times. */
function buildCase(mapping: HotlineMapping, known: Known, row: HotlineRow, number: string): repository.ImportedCase {
  const trackingCode = issueTrackingCode();
  const requesterKey = `code:${trackingCode}`;
  const categoryId = row.categoryPath === null ? null : known.categories.get(row.categoryPath)!;
  const facts = { kind: row.kind, categoryPath: row.categoryPath, urgent: false };
  const opened = openCase({ requesterIds: [requesterKey] }, SYSTEM_ACTOR, row.submittedAt);
  if ('error' in opened) throw new Error(`hotline import bug: ${opened.error.message}`);
  const events: CaseEventRecord[] = [
    historicalEventRecord(timelineEntryOf(opened.effects), {
      label: 'system',
      marker: 'imported',
      outcome: null,
      dueAt: null,
      extra: { channel: 'import', sourceSystem: mapping.sourceSystem, sourceId: row.sourceId },
    }),
  ];
  let snapshot: CaseSnapshot = opened.next;
  let clock: DeadlineClock | null = null;
  const fire = (event: CaseEvent, at: Date): void => {
    const result = transition(snapshot, event, SYSTEM_ACTOR, at, HISTORY_POLICY);
    if ('error' in result) throw new Error(`hotline import bug: ${result.error.message}`);
    let outcome: ReturnType<typeof carryOutDeadline>['outcome'] = null;
    try {
      ({ clock, outcome } = carryOutDeadline(clock, result.effects, facts, at));
    } catch {
      clock = null; // a time outside the working-day calendar (2025–2027): the deadline is not computed
    }
    snapshot = { ...result.next, dueAt: clock ? clock.dueAt : null };
    events.push(
      historicalEventRecord(timelineEntryOf(result.effects), {
        label: 'system',
        marker: 'imported',
        outcome,
        dueAt: event.type === 'dispatch' && clock ? clock.dueAt : null,
        extra: null,
      }),
    );
  };
  const departmentId = row.departmentCode === null ? null : known.departments.get(row.departmentCode)!;
  if (departmentId !== null) fire({ type: 'dispatch', departmentId }, row.submittedAt);
  if (row.reply) {
    fire({ type: 'reply', text: row.reply.text }, row.reply.at);
    if (mapping.finalState === 'closed')
      fire({ type: 'close', note: '历史工单导入 / imported from the hotline history' }, row.reply.at);
  }
  return {
    number,
    title: row.title,
    kind: row.kind,
    categoryId,
    districtId: row.districtCode === null ? null : known.districts.get(row.districtCode)!,
    snapshot,
    clock,
    createdAt: row.submittedAt,
    message: { body: row.body, requesterKey, trackingCode, sourceId: row.sourceId },
    events,
  };
}
