/**
 * `ocds compile` without the command line: merge the releases of OCDS files
 * into one compiled (or versioned) release per contracting process, in
 * ascending ocid order (spec §11), with bounded memory.
 *
 * Two strategies, chosen by the data:
 * 1. Streamed (the usual case, and what publishers' exports look like):
 *    while the releases arrive grouped by ocid in ascending order, each group
 *    is merged as soon as the next ocid starts, so only one process's
 *    releases are held. The merged lines are spooled (in memory up to 8 MiB,
 *    then in a temporary file) and written out once the whole input proved
 *    sorted, because one out-of-order ocid would change the output order.
 * 2. Indexed (any other order): the input is read again keeping only where
 *    each release is (file, byte range, ~100 bytes per release), and each
 *    process's releases are read back and merged, ocid by ocid.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MergeError, mergeReleases, mergeRulesFor, type JsonRecord, type MergeRules, type OcdsVersion } from '../../../algorithms/ocds-merge/index.ts';
import { AppError } from '../../../platform/index.ts';
import { readOcdsFile, readReleaseAt, type ReaderEvent, type ReleaseLocation } from './ocds-reader.ts';

/** An input file: its path, and the name messages use (e.g. `-` for standard input). */
export type CompileInput = string | { readonly path: string; readonly name: string };

/** How to compile. */
export interface CompileOptions {
  /** Versioned releases instead of compiled releases. */
  readonly versioned?: boolean;
  /** Merge with this version's rules, whatever the data declares (and allow mixed versions). */
  readonly schemaVersion?: OcdsVersion;
  /** Merge rules read from a release schema (`--schema`); win over `schemaVersion`. */
  readonly rules?: MergeRules;
  /** A skipped line, a left-out process or a duplicate id, as one line of text. */
  readonly onWarning?: (message: string) => void;
  /** Progress of the reading pass: file number (from 1), files, bytes read of it, its size. */
  readonly onProgress?: (file: number, files: number, bytesRead: number, totalBytes: number) => void;
}

/** What a compile run did. */
export interface CompileStats {
  /** Processes written. */
  processes: number;
  /** Releases read. */
  releases: number;
  /** Lines or elements skipped as unreadable. */
  skipped: number;
  /** Processes left out because their releases conflict (a field is a literal in one, an object in another). */
  conflicts: number;
  /** Which strategy produced the output. */
  mode: 'streamed' | 'indexed';
  /** The most releases held in memory at once (streamed: the largest ocid group). */
  maxHeldReleases: number;
  /** The most bytes of an input file held at once by the reader. */
  maxBufferedBytes: number;
}

/** Compares strings by Unicode code point (Python's order), not UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points above U+FFFF) sort after U+E000–U+FFFF. */
function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

function inputPath(input: CompileInput): string {
  return typeof input === 'string' ? input : input.path;
}

function inputName(input: CompileInput): string {
  return typeof input === 'string' ? input : input.name;
}

function fileError(file: string, line: number, field: string, problem: string): AppError {
  return new AppError('validation_failed', `${file}:${line}: ${field}: ${problem}`, { file, line, field });
}

/** All inputs must share one OCDS version (spec §11.1) unless the rules are chosen by the caller. */
class VersionCheck {
  first: { version: OcdsVersion; file: string; line: number } | undefined;
  private readonly forced: boolean;
  constructor(forced: boolean) {
    this.forced = forced;
  }
  note(version: OcdsVersion, file: string, line: number): void {
    if (!this.first) this.first = { version, file, line };
    else if (!this.forced && this.first.version !== version) {
      throw fileError(file, line, 'version', `this is OCDS ${version} data but ${this.first.file}:${this.first.line} is OCDS ${this.first.version}; all inputs must share one version (upgrade the ${this.first.version === '1.0' ? 'first' : 'second'} to 1.1, or choose the merge rules with --schema-version)`);
    }
  }
}

/** Merged lines waiting for the end of the input: in memory, then in a temporary file. */
class Spool {
  private static readonly MEMORY_CHARS = 8 * 1024 * 1024;
  private static readonly WRITE_BYTES = 1024 * 1024;
  private lines: string[] = [];
  private chars = 0;
  private dir: string | undefined;
  private fd: number | undefined;
  /** Lines are encoded straight into this buffer and written when it is full (one system call per MiB). */
  private readonly out = Buffer.allocUnsafe(Spool.WRITE_BYTES);
  private used = 0;

  private writeLine(line: string): void {
    const fd = this.fd!;
    if (line.length * 3 + 1 > Spool.WRITE_BYTES - this.used) {
      this.flush();
      if (line.length * 3 + 1 > Spool.WRITE_BYTES) {
        writeSync(fd, `${line}\n`);
        return;
      }
    }
    this.used += this.out.write(line, this.used);
    this.out[this.used] = 10;
    this.used += 1;
  }

  private flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd!, this.out, done, this.used - done);
    this.used = 0;
  }

  add(line: string): void {
    if (this.fd !== undefined) {
      this.writeLine(line);
      return;
    }
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars > Spool.MEMORY_CHARS) {
      this.dir = mkdtempSync(path.join(tmpdir(), 'minxin-ocds-compile-'));
      this.fd = openSync(path.join(this.dir, 'spool.jsonl'), 'w+');
      for (const held of this.lines) this.writeLine(held);
      this.lines = [];
    }
  }

  replay(write: (line: string) => void): void {
    for (const line of this.lines) write(line);
    if (this.fd === undefined) return;
    this.flush();
    const chunk = Buffer.allocUnsafe(1 << 20);
    let position = 0;
    let rest: Buffer | undefined;
    for (;;) {
      const count = readSync(this.fd, chunk, 0, chunk.length, position);
      if (count === 0) break;
      position += count;
      let start = 0;
      let newline = chunk.indexOf(10, 0);
      if (rest && newline >= 0 && newline < count) {
        write(Buffer.concat([rest, chunk.subarray(0, newline)]).toString('utf8'));
        rest = undefined;
        start = newline + 1;
        newline = chunk.indexOf(10, start);
      }
      while (newline >= 0 && newline < count) {
        write(chunk.toString('utf8', start, newline));
        start = newline + 1;
        newline = chunk.indexOf(10, start);
      }
      if (start < count) rest = rest ? Buffer.concat([rest, chunk.subarray(start, count)]) : Buffer.from(chunk.subarray(start, count));
    }
  }

  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.fd = undefined;
    this.dir = undefined;
    this.lines = [];
  }
}

interface Held {
  readonly release: JsonRecord;
  readonly file: string;
  readonly line: number;
}

function* events(inputs: readonly CompileInput[], options: CompileOptions, stats: CompileStats): Generator<ReaderEvent> {
  const buffer = { maxBufferedBytes: 0 };
  for (let index = 0; index < inputs.length; index += 1) {
    const input = inputs[index]!;
    const onProgress = options.onProgress && ((done: number, total: number) => options.onProgress!(index + 1, inputs.length, done, total));
    yield* readOcdsFile(inputPath(input), { displayName: inputName(input), onProgress, buffer });
    stats.maxBufferedBytes = buffer.maxBufferedBytes;
  }
}

/** The ocid of a release read from `file:line`; a missing or non-string ocid stops the run (as in the reference). */
function ocidOf(release: JsonRecord, file: string, line: number): string {
  if (typeof release.ocid === 'string') return release.ocid;
  if (!Object.hasOwn(release, 'ocid') || release.ocid === null) throw fileError(file, line, 'ocid', 'missing: the `ocid` field of at least one release is missing');
  throw fileError(file, line, 'ocid', `${JSON.stringify(release.ocid)} is not a string`);
}

/**
 * Compiles OCDS files (release packages, record packages, releases, JSON
 * Lines; see `readOcdsFile`) and hands each merged process to `write` as one
 * JSON text, ocids ascending. Unreadable lines and conflicting processes are
 * reported through `onWarning` and counted; a missing `ocid`, a missing `date`
 * among several releases of a process, an unknown or mixed OCDS version, or a
 * broken pretty-printed document stop the run with an `AppError` naming
 * `FILE:LINE: field`.
 *
 * @example compileStream(['a.json', 'b.jsonl'], (line) => process.stdout.write(`${line}\n`))
 */
export function compileStream(inputs: readonly CompileInput[], write: (line: string) => void, options: CompileOptions = {}): CompileStats {
  const streamed = compileIfSorted(inputs, options);
  if (streamed) {
    try {
      for (const warning of streamed.warnings) options.onWarning?.(warning);
      streamed.spool.replay(write);
      return streamed.stats;
    } finally {
      streamed.spool.dispose();
    }
  }
  return compileIndexed(inputs, write, options);
}

function rulesOf(options: CompileOptions, versions: VersionCheck): MergeRules | undefined {
  if (options.rules) return options.rules;
  if (options.schemaVersion) return mergeRulesFor(options.schemaVersion);
  return versions.first && mergeRulesFor(versions.first.version);
}

/** Merges one process's releases and writes it; a conflict leaves it out with a warning. */
function mergeGroup(ocid: string, group: readonly Held[], rules: MergeRules, options: CompileOptions, warn: (message: string) => void, stats: CompileStats, write: (line: string) => void): void {
  let merged: JsonRecord;
  try {
    merged = mergeReleases(
      group.map((held) => held.release),
      { rules, versioned: options.versioned, onWarning: (message) => warn(`${ocid}: ${message}`) },
    );
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    if (error.code === 'type_conflict') {
      warn(`${ocid}: ${error.message}; this process is left out`);
      stats.conflicts += 1;
      return;
    }
    const culprit = group.find((held) => typeof held.release.date !== 'string') ?? group[0]!;
    throw fileError(culprit.file, culprit.line, error.code === 'missing_date' ? 'date' : 'ocid', error.message);
  }
  write(JSON.stringify(merged));
  stats.processes += 1;
}

function newStats(mode: CompileStats['mode']): CompileStats {
  return { processes: 0, releases: 0, skipped: 0, conflicts: 0, mode, maxHeldReleases: 0, maxBufferedBytes: 0 };
}

/** Strategy 1; undefined as soon as the input turns out not to be grouped by ascending ocid (or its rules are not known in time). */
function compileIfSorted(inputs: readonly CompileInput[], options: CompileOptions): { spool: Spool; stats: CompileStats; warnings: string[] } | undefined {
  const spool = new Spool();
  const stats = newStats('streamed');
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
  };
  const versions = new VersionCheck(options.schemaVersion !== undefined || options.rules !== undefined);
  let group: Held[] = [];
  let groupOcid: string | undefined;
  let sorted = true;
  try {
    for (const event of events(inputs, options, stats)) {
      if (event.kind === 'skipped') {
        warn(`${event.file}:${event.line}: ${event.message}, skipped`);
        stats.skipped += 1;
        continue;
      }
      if (event.kind === 'package') {
        versions.note(event.version, event.file, event.line);
        continue;
      }
      const ocid = ocidOf(event.release, event.file, event.line);
      if (event.version !== undefined) versions.note(event.version, event.file, event.line);
      stats.releases += 1;
      const rules = rulesOf(options, versions);
      if (!rules) {
        sorted = false;
        break;
      }
      const held = { release: event.release, file: event.file, line: event.line };
      if (ocid === groupOcid) {
        group.push(held);
      } else {
        if (groupOcid !== undefined) {
          if (compareCodePoints(ocid, groupOcid) < 0) {
            sorted = false;
            break;
          }
          mergeGroup(groupOcid, group, rules, options, warn, stats, (line) => spool.add(line));
        }
        group = [held];
        groupOcid = ocid;
      }
      stats.maxHeldReleases = Math.max(stats.maxHeldReleases, group.length);
    }
    if (sorted && groupOcid !== undefined) mergeGroup(groupOcid, group, rulesOf(options, versions)!, options, warn, stats, (line) => spool.add(line));
  } catch (error) {
    spool.dispose();
    throw error;
  }
  if (!sorted) {
    spool.dispose();
    return undefined;
  }
  return { spool, stats, warnings };
}

interface Where {
  readonly location: ReleaseLocation;
  readonly file: string;
  readonly line: number;
}

/** Strategy 2: index where every release is, then merge process by process in ocid order. */
function compileIndexed(inputs: readonly CompileInput[], write: (line: string) => void, options: CompileOptions): CompileStats {
  const stats = newStats('indexed');
  const warn = (message: string): void => options.onWarning?.(message);
  const versions = new VersionCheck(options.schemaVersion !== undefined || options.rules !== undefined);
  const index = new Map<string, Where[]>();
  for (const event of events(inputs, options, stats)) {
    if (event.kind === 'skipped') {
      warn(`${event.file}:${event.line}: ${event.message}, skipped`);
      stats.skipped += 1;
      continue;
    }
    if (event.kind === 'package') {
      versions.note(event.version, event.file, event.line);
      continue;
    }
    const ocid = ocidOf(event.release, event.file, event.line);
    if (event.version !== undefined) versions.note(event.version, event.file, event.line);
    stats.releases += 1;
    const where = { location: event.location, file: event.file, line: event.line };
    const list = index.get(ocid);
    if (list) list.push(where);
    else index.set(ocid, [where]);
  }
  const rules = rulesOf(options, versions) ?? mergeRulesFor('1.0');
  const descriptors = new Map<string, number>();
  try {
    for (const ocid of [...index.keys()].sort(compareCodePoints)) {
      const group = index.get(ocid)!.map((where): Held => {
        let fd = descriptors.get(where.location.file);
        if (fd === undefined) {
          fd = openSync(where.location.file, 'r');
          descriptors.set(where.location.file, fd);
        }
        return { release: readReleaseAt(where.location, fd), file: where.file, line: where.line };
      });
      stats.maxHeldReleases = Math.max(stats.maxHeldReleases, group.length);
      mergeGroup(ocid, group, rules, options, warn, stats, write);
      index.delete(ocid);
    }
  } finally {
    for (const fd of descriptors.values()) closeSync(fd);
  }
  return stats;
}

/**
 * Compiles one file and counts the processes, discarding the output: the
 * `compile` scenario of the `ocds` benchmark suite.
 */
export function compileFile(file: string, options: CompileOptions = {}): number {
  let bytes = 0;
  const stats = compileStream([file], (line) => {
    bytes += line.length;
  }, options);
  return bytes >= 0 ? stats.processes : 0;
}
