#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { UsageError, isAppError, type AppError, type CliIo, type ErrorCode } from '../server/platform/standalone.ts';
import { allCommands, findCommand } from './commands.ts';

/** Exit codes by error code: documented in docs/cli.md. */
const EXIT_CODE: Partial<Record<ErrorCode, number>> & { usage: number; other: number } = {
  usage: 2,
  validation_failed: 3,
  import_invalid: 3,
  invalid_body: 3,
  not_found: 4,
  forbidden: 5,
  duplicate: 6,
  conflict: 6,
  version_conflict: 6,
  config_invalid: 78,
  other: 1,
};

async function help(io: CliIo): Promise<void> {
  io.stdout('minxin — 民心 Minxin, responsive local government\n');
  io.stdout('Usage: minxin <command> [options]\n');
  for (const command of await allCommands()) io.stdout(`  ${command.name.padEnd(20)} ${command.summary}`);
  io.stdout('\nRun "minxin <command> --help" for a command\'s options.');
}

/** Runs one command line and returns the exit code; every failure is one clear line on stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    await help(io);
    return argv.length === 0 ? EXIT_CODE.usage : 0;
  }
  const found = await findCommand(argv);
  if (!found) {
    io.stderr(`minxin: unknown command "${argv.slice(0, 2).join(' ')}"; run "minxin --help"`);
    return EXIT_CODE.usage;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return (await command.run({ values: values as Record<string, string | boolean | undefined>, positionals }, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`minxin ${command.name}: ${(error as Error).message}. Usage: ${command.usage}`);
      return EXIT_CODE.usage;
    }
    if (isAppError(error) && error.code === 'import_invalid') {
      for (const problem of problemsOf(error)) io.stderr(`${problem.path}: ${problem.message}`);
      io.stderr(`minxin ${command.name}: ${problemsOf(error).length} problem(s); nothing was imported`);
      return EXIT_CODE.import_invalid!;
    }
    if (isAppError(error)) {
      io.stderr(`minxin ${command.name}: ${error.message}`);
      return EXIT_CODE[error.code] ?? EXIT_CODE.other;
    }
    io.stderr(`minxin ${command.name}: unexpected error: ${(error as Error).message ?? String(error)}`);
    return EXIT_CODE.other;
  }
}

/** The located problems of an invalid file, each as `file:line:column`. */
function problemsOf(error: AppError): { path: string; message: string }[] {
  return (error.details?.errors ?? []) as { path: string; message: string }[];
}

if (import.meta.main) {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
