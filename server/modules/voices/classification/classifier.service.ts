/**
 * The classifier's file work for `minxin train` and `minxin classify`:
 * reading JSON-lines training and input files with every problem located
 * as `FILE:LINE: field: problem`, training, classifying line by line in a
 * stream (bounded memory, output in input order) and evaluating a labelled
 * file. No database: these run anywhere the code does.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  calibrationReport,
  classifyMessage,
  evaluate,
  loadClassifier,
  ModelFileError,
  predictLabel,
  trainClassifier,
  TrainingDataError,
  type CalibrationReport,
  type Classifier,
  type ClassifierInput,
  type Evaluation,
  type TrainingExample,
  type TrainingReport,
} from '../../../algorithms/text-classifier/index.ts';
import taxonomy from '../routing/taxonomy.json' with { type: 'json' };
import { DEFAULT_MODEL_FILE } from './default-model.ts';

/** The shipped taxonomy's rows, [level 1, level 2, level 3]. */
export const TAXONOMY_ROWS: readonly (readonly string[])[] = taxonomy as string[][];

/** One located problem in an input file. */
export interface LineProblem {
  readonly file: string;
  /** 1-based; 0 when the problem is the file as a whole. */
  readonly line: number;
  readonly field: string;
  readonly problem: string;
}

/** `FILE:LINE: field: problem`, the one format every file problem is printed in. */
export function formatProblem(problem: LineProblem): string {
  return problem.line > 0 ? `${problem.file}:${problem.line}: ${problem.field}: ${problem.problem}` : `${problem.file}: ${problem.field}: ${problem.problem}`;
}

/** A file's problem as an error, for the CLI to print and exit on. */
export class ClassifierFileError extends Error {
  readonly problems: readonly LineProblem[];
  constructor(problems: readonly LineProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ClassifierFileError';
    this.problems = problems;
  }
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: string; readonly problem: string; readonly id?: unknown };

function parseObject(line: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, field: 'json', problem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, field: 'json', problem: 'expected a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Title and body (absent means empty), or tokens (space-separated) when `tokensAllowed`. */
function parseInput(row: Record<string, unknown>, tokensAllowed: boolean): Parsed<ClassifierInput> {
  if (tokensAllowed && row.tokens !== undefined) {
    if (typeof row.tokens !== 'string') return { ok: false, field: 'tokens', problem: 'expected a string of space-separated words' };
    const tokens = row.tokens.split(/\s+/).filter((token) => token.length > 0);
    if (tokens.length === 0) return { ok: false, field: 'tokens', problem: 'empty' };
    return { ok: true, value: { tokens } };
  }
  for (const field of ['title', 'body'] as const) {
    if (row[field] !== undefined && row[field] !== null && typeof row[field] !== 'string') return { ok: false, field, problem: `expected a string, got ${typeof row[field]}` };
  }
  return { ok: true, value: { title: (row.title as string | undefined) ?? '', body: (row.body as string | undefined) ?? '' } };
}

const LEVEL1 = (rows: readonly (readonly string[])[]): Set<string> => new Set(rows.map((row) => row[0]!));

/**
 * One training line: `title` and `body` (or `tokens`) and `label`, a
 * level-1 name of the taxonomy. Other fields are ignored.
 */
export function parseTrainingLine(line: string, level1: ReadonlySet<string>): Parsed<TrainingExample> {
  const object = parseObject(line);
  if (!object.ok) return object;
  const row = object.value;
  if (row.tokens === undefined && row.title === undefined && row.body === undefined) return { ok: false, field: 'body', problem: 'missing; give title and body, or tokens' };
  const input = parseInput(row, true);
  if (!input.ok) return input;
  if ('title' in input.value && input.value.title.trim() === '' && input.value.body.trim() === '') return { ok: false, field: 'body', problem: 'title and body are both empty' };
  if (row.label === undefined || row.label === null) return { ok: false, field: 'label', problem: 'missing' };
  if (typeof row.label !== 'string') return { ok: false, field: 'label', problem: `expected a string, got ${typeof row.label}` };
  if (!level1.has(row.label)) return { ok: false, field: 'label', problem: `"${row.label}" is not a level-1 category of the taxonomy` };
  return { ok: true, value: { input: input.value, label: row.label } };
}

/** Lines of a file with their 1-based numbers, blank lines skipped (they are no record). */
async function* linesOf(file: string): AsyncGenerator<{ line: number; text: string }> {
  const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

async function readable(file: string, label: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
    if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'not a file' });
  } catch (error) {
    throw new ClassifierFileError([{ file: label, line: 0, field: 'file', problem: `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
}

/** At most this many problems are listed; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;

export interface TrainFilesOptions {
  /** [path to open, name to print] per input file. */
  readonly inputs: readonly (readonly [string, string])[];
  readonly output: string;
  readonly seed: number;
  readonly folds?: number;
  readonly taxonomy?: readonly (readonly string[])[];
  readonly onProgress?: (line: string) => void;
}

/**
 * `minxin train`: reads every input file, and only if all of them are
 * clean, trains and writes the model (to a temporary file renamed into
 * place, so a failed run never leaves a half-written model). Throws
 * `ClassifierFileError` listing the problems otherwise.
 */
export async function trainModelFromFiles(options: TrainFilesOptions): Promise<{ report: TrainingReport; bytes: number }> {
  const rows = options.taxonomy ?? TAXONOMY_ROWS;
  const level1 = LEVEL1(rows);
  const examples: TrainingExample[] = [];
  const problems: LineProblem[] = [];
  for (const [file, name] of options.inputs) {
    await readable(file, name);
    for await (const { line, text } of linesOf(file)) {
      const parsed = parseTrainingLine(text, level1);
      if (parsed.ok) examples.push(parsed.value);
      else problems.push({ file: name, line, field: parsed.field, problem: parsed.problem });
    }
  }
  if (problems.length > 0) throw new ClassifierFileError(problems);
  if (examples.length === 0) throw new ClassifierFileError(options.inputs.map(([, name]) => ({ file: name, line: 0, field: 'file', problem: 'no training lines' })));
  let trained;
  try {
    trained = trainClassifier(examples, { taxonomy: rows, seed: options.seed, ...(options.folds ? { folds: options.folds } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  } catch (error) {
    if (error instanceof TrainingDataError) throw new ClassifierFileError([{ file: options.inputs.map(([, name]) => name).join(', '), line: 0, field: 'label', problem: error.message }]);
    throw error;
  }
  const temporary = `${options.output}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, trained.bytes);
    await rename(temporary, options.output);
  } finally {
    await rm(temporary, { force: true });
  }
  return { report: trained.report, bytes: trained.bytes.length };
}

/**
 * Loads the model at `file` (the shipped default when undefined). Throws
 * `ClassifierFileError` naming the file and why it was refused.
 */
export async function loadModelFile(file: string | undefined, name = file): Promise<Classifier> {
  const path = file ?? DEFAULT_MODEL_FILE;
  const label = name ?? 'default model';
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ClassifierFileError([{ file: label, line: 0, field: 'model', problem: `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  try {
    return loadClassifier(bytes);
  } catch (error) {
    if (error instanceof ModelFileError) throw new ClassifierFileError([{ file: label, line: 0, field: 'model', problem: error.message }]);
    throw error;
  }
}

/** One output line of `minxin classify`. */
export type ClassifiedLine =
  | { readonly id: unknown; readonly label: string; readonly confidence: number; readonly path?: readonly string[]; readonly warning?: string }
  | { readonly id: unknown; readonly error: string };

/** Classifies one input line (`id`, `title`, `body`; other fields ignored). */
export function classifyLine(classifier: Classifier, text: string): { output: ClassifiedLine; problem?: { field: string; problem: string } } {
  const object = parseObject(text);
  if (!object.ok) return { output: { id: null, error: `${object.field}: ${object.problem}` }, problem: object };
  const row = object.value;
  const id = row.id;
  if (id === undefined || id === null || (typeof id !== 'string' && typeof id !== 'number')) {
    const problem = { field: 'id', problem: id === undefined || id === null ? 'missing' : 'expected a string or a number' };
    return { output: { id: id ?? null, error: `id: ${problem.problem}` }, problem };
  }
  const input = parseInput(row, false);
  if (!input.ok) return { output: { id, error: `${input.field}: ${input.problem}` }, problem: input };
  const result = classifyMessage(classifier, input.value as { title: string; body: string });
  return {
    output: {
      id,
      label: result.label,
      confidence: Math.round(result.confidence * 10000) / 10000,
      ...(result.path ? { path: result.path } : {}),
      ...(result.warning ? { warning: result.warning } : {}),
    },
  };
}

/**
 * `minxin classify`: one output line per input line, same order, streamed.
 * A line that cannot be read still gets its output line (`{"id", "error"}`)
 * and is reported as a problem; nothing is dropped.
 */
export async function classifyFile(classifier: Classifier, input: string, inputName: string, output: string): Promise<{ lines: number; problems: LineProblem[]; warnings: number }> {
  await readable(input, inputName);
  const sink = createWriteStream(output);
  const problems: LineProblem[] = [];
  let lines = 0;
  let warnings = 0;
  try {
    for await (const { line, text } of linesOf(input)) {
      const { output: result, problem } = classifyLine(classifier, text);
      if (problem) problems.push({ file: inputName, line, ...problem });
      if ('warning' in result && result.warning) warnings++;
      lines++;
      if (!sink.write(`${JSON.stringify(result)}\n`)) await once(sink, 'drain');
    }
  } finally {
    sink.end();
    await once(sink, 'close');
  }
  return { lines, problems, warnings };
}

/** What `minxin classify --eval` measured. */
export interface FileEvaluation {
  readonly evaluation: Evaluation;
  readonly calibration: CalibrationReport;
}

/**
 * `minxin classify --eval`: scores a labelled file (`title`/`body` or
 * `tokens`, and `label`). Every line must be readable — a partial score
 * would mislead — so problems throw `ClassifierFileError`.
 */
export async function evaluateFile(classifier: Classifier, input: string, inputName: string): Promise<FileEvaluation> {
  await readable(input, inputName);
  const truth: string[] = [];
  const predicted: string[] = [];
  const confidences: number[] = [];
  const problems: LineProblem[] = [];
  for await (const { line, text } of linesOf(input)) {
    const object = parseObject(text);
    if (!object.ok) {
      problems.push({ file: inputName, line, field: object.field, problem: object.problem });
      continue;
    }
    const row = object.value;
    const parsed = parseInput(row, true);
    if (!parsed.ok) {
      problems.push({ file: inputName, line, field: parsed.field, problem: parsed.problem });
      continue;
    }
    if (typeof row.label !== 'string' || row.label === '') {
      problems.push({ file: inputName, line, field: 'label', problem: row.label === undefined ? 'missing' : 'expected a non-empty string' });
      continue;
    }
    const result = 'tokens' in parsed.value ? predictLabel(classifier, parsed.value) : classifyMessage(classifier, parsed.value);
    truth.push(row.label);
    predicted.push(result.label);
    confidences.push(result.confidence);
  }
  if (problems.length > 0) throw new ClassifierFileError(problems);
  if (truth.length === 0) throw new ClassifierFileError([{ file: inputName, line: 0, field: 'file', problem: 'no labelled lines' }]);
  return {
    evaluation: evaluate(truth, predicted, classifier.labels),
    calibration: calibrationReport(confidences, predicted.map((label, i) => label === truth[i])),
  };
}
