/**
 * `minxin ocds import FILE [--project ID]` and `minxin ocds export --project ID`:
 * procurement data in and out of a city's database. The import streams the
 * file (any form the OCDS reader takes) with a progress line on stderr and is
 * idempotent, so an interrupted import is resumed by running it again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, UsageError, cliContext, isAppError, withDeps, type CliCommand } from '../../../platform/index.ts';
import { readOcdsFile } from './ocds-reader.ts';
import { exportProjectProcurement, importOcds, type ImportItem } from './procurement.service.ts';

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function* itemsOf(file: string, shown: string, onBytes: (read: number, total: number) => void): Generator<ImportItem> {
  for (const event of readOcdsFile(file, { displayName: shown, onProgress: onBytes })) {
    if (event.kind === 'release') yield { release: event.release, where: `${shown}:${event.line}`, version: event.version === undefined ? 'pending' : event.inferred && event.version === '1.0' ? 'unsure' : event.version };
    else if (event.kind === 'package') yield { packageVersion: event.version };
    else if (event.kind === 'skipped') yield { warning: `${shown}:${event.line}: ${event.message}` };
  }
}

const projectIdOf = (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new UsageError('--project must be a project id (a whole number)');
  return id;
};

export const procurementCommands: CliCommand[] = [
  {
    name: 'ocds import',
    summary: 'Import an OCDS file (release/record package, release, JSON Lines) into the city; idempotent, resumable; recompiles and re-flags',
    usage: 'minxin ocds import FILE [--project ID] [--city CODE]',
    options: { project: { type: 'string' }, city: { type: 'string' } },
    async run({ values, positionals }, io) {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('name one OCDS file to import');
      const resolved = path.resolve(io.cwd, file);
      const info = await stat(resolved).catch(() => undefined);
      if (!info?.isFile()) throw new UsageError(`${file}: not a readable file`);
      const projectId = projectIdOf(values.project);
      const sha256 = await sha256Of(resolved);
      const tty = process.stderr.isTTY === true && io.env.MINXIN_NO_PROGRESS === undefined;
      let lastShare = -1;
      const onBytes = (read: number, total: number) => {
        const share = total === 0 ? 100 : Math.floor((read / total) * 100);
        if (share === lastShare) return;
        lastShare = share;
        if (tty) process.stderr.write(`\rreading ${file}: ${share}%`);
      };
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, typeof values.city === 'string' ? values.city : undefined);
        try {
          const report = await importOcds(deps, context, { name: file, sha256, items: itemsOf(resolved, file, onBytes), projectId }, (progress) => {
            if (!tty) io.stderr(`stored ${progress.releasesAdded} new of ${progress.releasesRead} releases read`);
          });
          if (tty) process.stderr.write('\n');
          for (const warning of report.warnings) io.stderr(warning);
          io.stdout(`import ${report.importId}: ${report.releasesRead} releases read, ${report.releasesAdded} new, ${report.processesCompiled} processes compiled, ${report.flags} red flags`);
          return 0;
        } catch (error) {
          if (tty) process.stderr.write('\n');
          if (isAppError(error) && error.code === 'import_invalid') {
            io.stderr(error.message);
            return 3;
          }
          throw error;
        }
      });
    },
  },
  {
    name: 'ocds export',
    summary: 'Write a project’s procurement as an OCDS 1.1 release package',
    usage: 'minxin ocds export --project ID [--compiled] [--output FILE] [--city CODE]',
    options: { project: { type: 'string' }, compiled: { type: 'boolean' }, output: { type: 'string' }, city: { type: 'string' } },
    async run({ values }, io) {
      const projectId = projectIdOf(values.project);
      if (projectId === undefined) throw new UsageError('--project is required');
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, typeof values.city === 'string' ? values.city : undefined);
        const releasePackage = await exportProjectProcurement(deps, context, projectId, { uri: `urn:minxin:project:${projectId}:ocds`, publisher: 'Minxin', compiled: values.compiled === true });
        const text = JSON.stringify(releasePackage, null, 2);
        if (typeof values.output === 'string' && values.output !== '-') {
          await writeFile(path.resolve(io.cwd, values.output), `${text}\n`).catch((error: unknown) => {
            throw new AppError('validation_failed', `${values.output}: cannot write: ${(error as Error).message}`);
          });
          io.stderr(`wrote ${releasePackage.releases.length} releases to ${values.output}`);
        } else {
          io.stdout(text);
        }
        return 0;
      });
    },
  },
];
