import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError, cliContext, withDeps, type CliCommand } from '../../../platform/index.ts';
import { caseStateSchema } from '../../../../contracts/voices.ts';
import { exportCases, narrowToRegion } from './case-export.service.ts';

const text = (value: string | boolean | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** `minxin voices export`: the deadline export as the web's button gives it, written to a file. */
export const caseExportCommands: CliCommand[] = [
  {
    name: 'voices export',
    summary: 'Write the deadline export (CSV, UTF-8 with BOM, no personal data) of a city or one of its regions',
    usage:
      'minxin voices export --output FILE [--city CODE] [--region ID|CODE] [--state STATE] [--overdue] [--lang zh-CN|en]',
    options: {
      output: { type: 'string' },
      city: { type: 'string' },
      region: { type: 'string' },
      state: { type: 'string' },
      overdue: { type: 'boolean' },
      lang: { type: 'string' },
    },
    async run({ values }, io) {
      const output = text(values.output);
      if (!output) throw new UsageError('--output is required');
      const state = values.state === undefined ? undefined : caseStateSchema.safeParse(values.state);
      if (state && !state.success) throw new UsageError(`--state must be one of ${caseStateSchema.options.join(', ')}`);
      const lang = text(values.lang) ?? 'zh-CN';
      if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError('--lang must be zh-CN or en');
      return withDeps(io, async (deps) => {
        const context = await narrowToRegion(deps, await cliContext(deps, text(values.city)), text(values.region));
        const file = await exportCases(
          deps,
          context,
          { ...(state ? { state: state.data } : {}), overdue: values.overdue === true },
          lang,
        );
        await pipeline(Readable.from(file.chunks), createWriteStream(path.resolve(io.cwd, output)));
        io.stdout(`${output}: ${file.rows()} cases`);
      });
    },
  },
];
