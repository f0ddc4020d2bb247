/**
 * What a `minxin` command is, with no other dependency: a command that needs
 * no database (`minxin pair`, the OCDS tools) imports this rather than the
 * platform's front door, so it starts without loading PGlite, pg or argon2.
 */
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; tests capture it. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface CliArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/** One `minxin …` command. `name` may have two words (`audit verify`). */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(args: CliArgs, io: CliIo): Promise<number | void>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}
