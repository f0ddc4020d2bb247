/**
 * `minxin train` and `minxin classify`: the classifier from the command
 * line (docs/classifier.md). File problems are printed one per line as
 * `FILE:LINE: field: problem` and exit 1; a refused model names the file and
 * the reason and exits 1.
 */
import path from 'node:path';
import { UsageError, type CliCommand, type CliIo } from '../../../platform/index.ts';
import { ClassifierFileError, classifyFile, evaluateFile, formatProblem, loadModelFile, MAX_LISTED_PROBLEMS, trainModelFromFiles, type LineProblem } from './classifier.service.ts';

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

function printProblems(io: CliIo, problems: readonly LineProblem[]): void {
  for (const problem of problems.slice(0, MAX_LISTED_PROBLEMS)) io.stderr(formatProblem(problem));
  if (problems.length > MAX_LISTED_PROBLEMS) io.stderr(`… and ${problems.length - MAX_LISTED_PROBLEMS} more problems`);
}

/** Runs `work`, turning file problems into printed lines and exit code 1. */
async function reportingFileProblems(io: CliIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ClassifierFileError)) throw error;
    printProblems(io, error.problems);
    return 1;
  }
}

function pad(value: string, width: number): string {
  // Chinese characters take two columns in a terminal.
  const columns = [...value].reduce((sum, char) => sum + (char.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  return value + ' '.repeat(Math.max(1, width - columns));
}

const fixed = (value: number): string => value.toFixed(4);

export const classifierCommands: CliCommand[] = [
  {
    name: 'train',
    summary: 'Train a message classifier from labelled JSON lines (title/body or tokens, label)',
    usage: 'minxin train --input FILE.jsonl [--input FILE2.jsonl …] --output MODEL [--seed N] [--folds N]',
    options: { input: { type: 'string', multiple: true }, output: { type: 'string' }, seed: { type: 'string' }, folds: { type: 'string' } },
    async run({ values }, io) {
      const inputs = (values.input as unknown as string[] | undefined) ?? [];
      const output = text(values.output);
      if (inputs.length === 0) throw new UsageError('name at least one --input file');
      if (!output) throw new UsageError('--output is required');
      const seed = text(values.seed) === undefined ? 1 : Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) throw new UsageError('--seed must be a whole number from 0 to 2147483648');
      const folds = text(values.folds) === undefined ? undefined : Number(values.folds);
      if (folds !== undefined && (!Number.isInteger(folds) || folds < 2 || folds > 20)) throw new UsageError('--folds must be a whole number from 2 to 20');
      return reportingFileProblems(io, async () => {
        const { report, bytes } = await trainModelFromFiles({
          inputs: inputs.map((file) => [path.resolve(io.cwd, file), file] as const),
          output: path.resolve(io.cwd, output),
          seed,
          ...(folds ? { folds } : {}),
          onProgress: (line) => io.stderr(line),
        });
        const cv = report.crossValidation;
        io.stdout(
          `${output}: ${bytes} bytes; ${report.examples} examples (${report.rawExamples} raw, ${report.tokenisedExamples} tokenised), ${report.labels.length} labels, seed ${report.seed}; ` +
            `${cv.folds}-fold cross-validation on ${cv.heldOut === 'raw' ? 'the raw messages' : 'all examples'}: macroF1=${fixed(cv.macroF1)} accuracy=${fixed(cv.accuracy)} n=${cv.n}; ` +
            `confidence temperature ${report.temperature.toFixed(3)}, ECE ${fixed(report.calibrationBefore.ece)} → ${fixed(report.calibrationAfter.ece)}`,
        );
        return 0;
      });
    },
  },
  {
    name: 'classify',
    summary: 'Classify messages (JSON lines with id, title, body), or --eval a labelled file',
    usage: 'minxin classify --input IN.jsonl --output OUT.jsonl [--model MODEL] | minxin classify --eval --input LABELLED.jsonl [--model MODEL]',
    options: { input: { type: 'string' }, output: { type: 'string' }, model: { type: 'string' }, eval: { type: 'boolean' } },
    async run({ values }, io) {
      const input = text(values.input);
      const output = text(values.output);
      const model = text(values.model);
      if (!input) throw new UsageError('--input is required');
      if (values.eval !== true && !output) throw new UsageError('--output is required (or --eval)');
      if (values.eval === true && output) throw new UsageError('--eval prints to stdout; leave out --output');
      return reportingFileProblems(io, async () => {
        const classifier = await loadModelFile(model && path.resolve(io.cwd, model), model);
        if (values.eval === true) {
          const { evaluation, calibration } = await evaluateFile(classifier, path.resolve(io.cwd, input), input);
          io.stdout(`${pad('label', 18)}precision  recall     f1         support`);
          for (const c of evaluation.classes) io.stdout(`${pad(c.label, 18)}${pad(fixed(c.precision), 11)}${pad(fixed(c.recall), 11)}${pad(fixed(c.f1), 11)}${c.support}`);
          io.stdout(`calibration: ECE=${fixed(calibration.ece)} (10 equal-width confidence bins, ${calibration.bins.length} not empty)`);
          io.stdout(`macroF1=${fixed(evaluation.macroF1)} accuracy=${fixed(evaluation.accuracy)} n=${evaluation.n}`);
          return 0;
        }
        const { lines, problems, warnings } = await classifyFile(classifier, path.resolve(io.cwd, input), input, path.resolve(io.cwd, output!));
        printProblems(io, problems);
        io.stderr(`${output}: ${lines} lines, ${problems.length} unreadable, ${warnings} with a warning`);
        return problems.length > 0 ? 1 : 0;
      });
    },
  },
];
