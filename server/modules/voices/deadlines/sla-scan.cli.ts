import { cliContext, withDeps, type CliCommand } from '../../../platform/index.ts';
import { scanDeadlines } from './sla-scan.service.ts';

const text = (value: string | boolean | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** `minxin voices scan`: one SLA scan (reminders and 督办) now, as the server's job would run it. */
export const slaScanCommands: CliCommand[] = [
  {
    name: 'voices scan',
    summary:
      'Run one deadline scan now: remind departments of cases due soon, escalate (督办) overdue ones, close cases whose rating window ended',
    usage: 'minxin voices scan [--city CODE]',
    options: { city: { type: 'string' } },
    async run({ values }, io) {
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const report = await scanDeadlines(deps, { regionId: context.regionId, now: deps.clock() });
        io.stdout(
          `Reminded ${report.reminded}, escalated ${report.escalated}, closed ${report.closed}, skipped ${report.skipped}.`,
        );
      });
    },
  },
];
