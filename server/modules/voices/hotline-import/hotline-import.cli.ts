/**
 * `minxin voices import <file> --mapping <mapping.json>`: the hotline import
 * from the command line, with a progress bar on a terminal (else a line per
 * batch) on stderr, problems as `file:line:field: message`, one summary line on stdout.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, cliContext, withDeps, type CliCommand, type CliIo } from '../../../platform/index.ts';
import { DEFAULT_BATCH_SIZE, importHotlineExport, type HotlineProgress } from './hotline-import.ts';

const BAR_WIDTH = 30;

function progressBar(progress: HotlineProgress): string {
  const share = progress.total === 0 ? 1 : progress.done / progress.total;
  const filled = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${progress.done}/${progress.total} ${Math.floor(share * 100)}%`;
}

/** A bar redrawn in place when stderr is a terminal; otherwise one line per batch. */
function reporter(io: CliIo, tty: boolean): { onProgress: (progress: HotlineProgress) => void; end: () => void } {
  let drawn = false;
  return {
    onProgress(progress) {
      if (tty) {
        process.stderr.write(`\r${progressBar(progress)}`);
        drawn = true;
      } else if (progress.phase === 'checked') {
        io.stderr(`checked: ${progress.total} valid rows, ${progress.rejectedRows} rejected`);
      } else {
        io.stderr(`imported ${progress.done}/${progress.total} rows (${progress.created} created, ${progress.unchanged} unchanged)`);
      }
    },
    end() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

export const hotlineImportCommands: CliCommand[] = [
  {
    name: 'voices import',
    summary: 'Import a hotline export (CSV, XLSX or JSONL) with a column-mapping file',
    usage: 'minxin voices import <file> --mapping <mapping.json> [--skip-invalid] [--batch-size N] [--city CODE]',
    options: { mapping: { type: 'string' }, 'skip-invalid': { type: 'boolean' }, 'batch-size': { type: 'string' }, city: { type: 'string' } },
    async run({ values, positionals }, io) {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('name one file to import');
      if (typeof values.mapping !== 'string') throw new UsageError('--mapping is required');
      const batchSize = values['batch-size'] === undefined ? DEFAULT_BATCH_SIZE : Number(values['batch-size']);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 2000) throw new UsageError('--batch-size must be a whole number from 1 to 2000');
      let mapping: unknown;
      try {
        mapping = JSON.parse(await readFile(path.resolve(io.cwd, values.mapping), 'utf8'));
      } catch (error) {
        throw new UsageError(`cannot read the mapping ${values.mapping}: ${(error as Error).message}`);
      }
      const progress = reporter(io, process.stderr.isTTY === true && io.env.MINXIN_NO_PROGRESS === undefined);
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, typeof values.city === 'string' ? values.city : undefined);
        try {
          const report = await importHotlineExport(deps, context, {
            path: path.resolve(io.cwd, file),
            filename: file,
            mapping,
            mappingFile: values.mapping as string,
            skipInvalid: values['skip-invalid'] === true,
            batchSize,
            onProgress: progress.onProgress,
          });
          progress.end();
          for (const problem of report.rejected) io.stderr(`${problem.file}:${problem.line}:${problem.field}: ${problem.message} (skipped)`);
          io.stdout(`${report.file}: ${report.rows} rows, ${report.created} created, ${report.unchanged} unchanged, ${report.rejectedRows} rejected`);
          return report.created + report.unchanged === 0 && report.rejectedRows > 0 ? 3 : 0;
        } finally {
          progress.end();
        }
      });
    },
  },
];
