import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError, cliContext, withDeps, type CliCommand } from '../../../platform/index.ts';
import { exportCategoryLabels } from './category-label.service.ts';

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** `minxin voices labels export`: coordinators' categories as a training file for `minxin train`. */
export const categoryLabelCommands: CliCommand[] = [
  {
    name: 'voices labels export',
    summary: "Write the city's coordinator-set categories as JSON lines for `minxin train` (id, title, body, label, path)",
    usage: 'minxin voices labels export --output FILE.jsonl [--city CODE]',
    options: { output: { type: 'string' }, city: { type: 'string' } },
    async run({ values }, io) {
      const output = text(values.output);
      if (!output) throw new UsageError('--output is required');
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        let lines = 0;
        const counted = async function* () {
          for await (const line of exportCategoryLabels(deps, context)) {
            lines += 1;
            yield line;
          }
        };
        await pipeline(Readable.from(counted()), createWriteStream(path.resolve(io.cwd, output)));
        io.stdout(`${output}: ${lines} labels`);
      });
    },
  },
];
