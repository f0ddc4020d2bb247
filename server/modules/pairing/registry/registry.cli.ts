import path from 'node:path';
import { UsageError, cliContext, withDeps, type CliCommand } from '../../../platform/index.ts';
import { importRegistry } from './registry.service.ts';

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** `minxin pairing import cadres|households FILE`: the registry from CSV, XLSX or JSONL (docs/pairing.md). */
export const registryCommands: CliCommand[] = [
  {
    name: 'pairing import',
    summary: 'Import pairing cadres or households from CSV, XLSX or JSONL (matched by code; all or nothing unless --skip-invalid)',
    usage: 'minxin pairing import <cadres|households> <file> [--skip-invalid] [--city CODE]',
    options: { 'skip-invalid': { type: 'boolean' }, city: { type: 'string' } },
    async run({ values, positionals }, io) {
      const [kind, file] = positionals;
      if ((kind !== 'cadres' && kind !== 'households') || !file) throw new UsageError('name what to import (cadres or households) and the file');
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const report = await importRegistry(deps, context, kind, { path: path.resolve(io.cwd, file), filename: file }, { skipInvalid: values['skip-invalid'] === true });
        for (const problem of report.rejected) io.stderr(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} (skipped)`);
        io.stdout(`${report.file}: ${report.rows} rows, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`);
      });
    },
  },
];
