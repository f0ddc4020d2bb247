import type { CliCommand } from '../server/platform/standalone.ts';

/**
 * The commands of one `*.cli.ts` adapter (or a module's door), by name, and
 * how to load them. A command line loads only the group that holds its
 * command, so `minxin pair` or `minxin ocds indicators` starts without the
 * server, the voices module or exceljs; `commands.test.ts` checks every
 * group's `names` against what it loads.
 */
export interface CommandGroup {
  readonly names: readonly string[];
  load(): Promise<readonly CliCommand[]>;
}

/** Every `minxin` command, gathered from the modules' `*.cli.ts` adapters. */
export const commandGroups: readonly CommandGroup[] = [
  { names: ['start', 'demo'], load: async () => (await import('./start.cli.ts')).startCommands },
  {
    names: ['migrate', 'import', 'users list', 'users create', 'users set-password', 'users unlock', 'audit verify'],
    load: async () => (await import('../server/platform/index.ts')).platformCommands,
  },
  {
    names: ['voices import', 'open311 key', 'open311 keys', 'open311 revoke', 'voices scan', 'voices notify', 'voices export', 'voices labels export', 'replies score', 'hot', 'train', 'classify'],
    load: async () => {
      const voices = await import('../server/modules/voices/index.ts');
      return [
        ...voices.hotlineImportCommands,
        ...voices.open311Commands,
        ...voices.slaScanCommands,
        ...voices.notificationCommands,
        ...voices.caseExportCommands,
        ...voices.categoryLabelCommands,
        ...voices.replyQualityCommands,
        ...voices.hotIssueCommands,
        ...voices.classifierCommands,
      ];
    },
  },
  { names: ['pairing import'], load: async () => (await import('../server/modules/pairing/index.ts')).registryCommands },
  { names: ['pair'], load: async () => (await import('../server/modules/pairing/pair.cli.ts')).pairCommands },
  {
    names: ['ocds coverage', 'ocds prepare', 'ocds indicators', 'ocds init'],
    load: async () => (await import('../server/modules/projects/procurement/ocds-oversight.cli.ts')).ocdsOversightCommands,
  },
  { names: ['ocds compile'], load: async () => (await import('../server/modules/projects/procurement/ocds-compile.cli.ts')).ocdsCompileCommands },
  { names: ['ocds import', 'ocds export'], load: async () => (await import('../server/modules/projects/index.ts')).procurementCommands },
];

/** The command named by the start of `argv` (two words, then one), loading only its group. */
export async function findCommand(argv: readonly string[]): Promise<{ command: CliCommand; rest: string[] } | undefined> {
  for (const words of [2, 1]) {
    if (argv.length < words) continue;
    const name = argv.slice(0, words).join(' ');
    const group = commandGroups.find((candidate) => candidate.names.includes(name));
    if (!group) continue;
    const command = (await group.load()).find((candidate) => candidate.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/** Every command, in the order of the groups (for `minxin --help`). */
export async function allCommands(): Promise<CliCommand[]> {
  return (await Promise.all(commandGroups.map((group) => group.load()))).flat();
}
