/**
 * Reading OCDS files: release packages, record packages, bare releases and
 * JSON Lines of any of them (OCDS 1.0 and 1.1), as one stream of releases.
 *
 * Memory stays bounded for big files: the file is read in 1 MiB chunks, and
 * a JSON text larger than a line of JSON Lines (a pretty-printed package, or a
 * one-line package of more than 256 KiB) is not parsed whole — a small
 * structural scanner (strings and brackets only) finds the byte range of each
 * element of its `releases` / `records` array and of each other top-level
 * field, and `JSON.parse` parses those pieces one at a time. Only the piece
 * being read is held.
 *
 * A UTF-8 byte-order mark at the start of a file is skipped (editors on
 * Windows write one). A file is JSON Lines when its first non-blank line is a JSON text by itself:
 * then every line is judged alone (spec §2: LF ends a line, one CR before it
 * is dropped, bytes must be UTF-8), an invalid line is reported with its
 * number and skipped, and reading goes on. Otherwise the file is a stream of
 * JSON documents (pretty-printed or concatenated); a syntax error there ends
 * the file, named by line.
 *
 * Each release comes with where it was read (`location`), so a caller that
 * cannot keep every release (e.g. merging an unsorted file by ocid) can read
 * it again with `readReleaseAt`.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { JsonRecord, OcdsVersion } from '../../../algorithms/ocds-merge/index.ts';
import { AppError } from '../../../platform/index.ts';

/** How to get a release back from the JSON text at a location. */
export type ReleasePick =
  /** The text is the release. */
  | { readonly kind: 'self' }
  /** Element `index` of the text's `releases` array, or of the text itself when `field` is null (a JSON array of releases). */
  | { readonly kind: 'element'; readonly field: 'releases' | null; readonly index: number }
  /** A record (`records[index]` of the text, or the text itself when `index` is null): its embedded release `release`, or its `compiledRelease`. */
  | { readonly kind: 'record'; readonly index: number | null; readonly release: number | 'compiled' };

/** Where a release was read: a byte range of a file holding one JSON text, and how to pick the release from it. */
export interface ReleaseLocation {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly pick: ReleasePick;
}

/** What kind of package held releases. */
export type ContainerType = 'release-package' | 'record-package';

/** One thing read from a file. */
export type ReaderEvent =
  | {
      readonly kind: 'release';
      readonly release: JsonRecord;
      readonly file: string;
      /** Line (from 1) where the release starts. */
      readonly line: number;
      readonly location: ReleaseLocation;
      /** The OCDS version of its container, or undefined while a streamed package has not shown its `version` yet. */
      readonly version: OcdsVersion | undefined;
      /** Set for a release outside any package: its version is only inferred (`parties` means 1.1, its absence is taken as 1.0). */
      readonly inferred?: true;
    }
  /** After the releases of a package: its settled version (its `version`, `1.0` when absent). */
  | { readonly kind: 'package'; readonly file: string; readonly line: number; readonly type: ContainerType; readonly version: OcdsVersion }
  /** A line or element that was skipped, with why. */
  | { readonly kind: 'skipped'; readonly file: string; readonly line: number; readonly message: string };

/** Reading options. */
export interface ReadOptions {
  /** Called after each chunk with bytes read so far and the file's size (for a progress bar). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** The name messages use for the file (e.g. `-` for a copy of standard input); locations keep the real path. */
  readonly displayName?: string;
  /** Filled in while reading: the most bytes of the file held at once (the memory bound, for tests and benchmarks). */
  readonly buffer?: { maxBufferedBytes: number };
}

const CHUNK_BYTES = 1 << 20;
/** A JSON Lines line longer than this is scanned piece by piece instead of parsed whole. */
export const WHOLE_TEXT_LIMIT = 256 * 1024;
const MAX_DEPTH = 10_000;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(byte: number): boolean {
  return byte === 32 || byte === 9 || byte === LF || byte === CR || byte === 12;
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A bad file that stops reading: `FILE:LINE: field: problem`. */
function fileError(file: string, line: number, field: string, problem: string): AppError {
  return new AppError('validation_failed', `${file}:${line}: ${field}: ${problem}`, { file, line, field });
}

/** The version a package declares (`1.0` when absent; `1.0.1` counts as 1.0); anything but 1.0 or 1.1 stops reading. */
function packageVersion(value: unknown, present: boolean, file: string, line: number): OcdsVersion {
  if (!present) return '1.0';
  const match = typeof value === 'string' ? /^1\.([01])(?:\.\d+)?$/.exec(value) : null;
  if (match) return match[1] === '0' ? '1.0' : '1.1';
  throw fileError(file, line, 'version', `${JSON.stringify(value)} is not an OCDS version this reader knows (1.0 or 1.1, optionally with a patch number)`);
}

/** The releases of a record from a record: its embedded releases when they are whole releases, else its compiled release. */
function recordPicks(record: JsonRecord): (number | 'compiled')[] {
  const releases = record.releases;
  if (Array.isArray(releases) && releases.length > 0 && releases.every((release) => isRecord(release) && Object.hasOwn(release, 'ocid'))) return releases.map((_, index) => index);
  if (isRecord(record.compiledRelease)) return ['compiled'];
  return [];
}

function pickFromRecord(record: JsonRecord, release: number | 'compiled'): JsonRecord {
  return (release === 'compiled' ? record.compiledRelease : (record.releases as JsonRecord[])[release]) as JsonRecord;
}

/** A sliding window over a file's bytes; positions are absolute file offsets. */
class ByteWindow {
  buf: Buffer = Buffer.alloc(0);
  base = 0;
  eof = false;
  private readonly fd: number;
  private readonly size: number;
  private read = 0;
  private readonly onProgress: ReadOptions['onProgress'];
  private readonly buffer: ReadOptions['buffer'];

  constructor(fd: number, options: ReadOptions) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
    this.onProgress = options.onProgress;
    this.buffer = options.buffer;
  }

  get end(): number {
    return this.base + this.buf.length;
  }

  /** Reads one more chunk, dropping bytes before `keepFrom`; false at end of file. */
  fill(keepFrom: number): boolean {
    if (this.eof) return false;
    const drop = Math.max(0, Math.min(keepFrom, this.end) - this.base);
    const keep = this.buf.length - drop;
    const next = Buffer.allocUnsafe(keep + CHUNK_BYTES);
    this.buf.copy(next, 0, drop);
    const count = readSync(this.fd, next, keep, CHUNK_BYTES, null);
    if (count === 0) {
      this.eof = true;
      return false;
    }
    this.read += count;
    this.buf = next.subarray(0, keep + count);
    this.base += drop;
    if (this.buffer && this.buf.length > this.buffer.maxBufferedBytes) this.buffer.maxBufferedBytes = this.buf.length;
    this.onProgress?.(this.read, this.size);
    return true;
  }

  byte(position: number): number {
    return this.buf[position - this.base]!;
  }

  slice(start: number, end: number): Buffer {
    return this.buf.subarray(start - this.base, end - this.base);
  }
}

/** Decodes and parses one piece; the problem text when it is not UTF-8 or not one JSON value. */
function parsePiece(bytes: Buffer): { value: unknown } | { problem: string } {
  if (!isUtf8(bytes)) return { problem: 'stream did not contain valid UTF-8' };
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Walks one parsed JSON text (a line of JSON Lines) and yields its releases. */
function* releasesOfText(value: unknown, file: string, line: number, start: number, end: number): Generator<ReaderEvent> {
  const at = (pick: ReleasePick): ReleaseLocation => ({ file, start, end, pick });
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const release = value[index] as unknown;
      if (isRecord(release)) yield { kind: 'release', release, file, line, location: at({ kind: 'element', field: null, index }), version: Object.hasOwn(release, 'parties') ? '1.1' : '1.0', inferred: true };
      else if (release !== null) yield { kind: 'skipped', file, line, message: `element ${index} is not a release (not a JSON object)` };
    }
    return;
  }
  if (!isRecord(value)) {
    yield { kind: 'skipped', file, line, message: 'not a release or package (not a JSON object)' };
    return;
  }
  if (Array.isArray(value.releases) && !Object.hasOwn(value, 'ocid')) {
    const version = packageVersion(value.version, Object.hasOwn(value, 'version'), file, line);
    for (let index = 0; index < value.releases.length; index += 1) {
      const release = value.releases[index] as unknown;
      if (isRecord(release)) yield { kind: 'release', release, file, line, location: at({ kind: 'element', field: 'releases', index }), version };
      else if (release !== null) yield { kind: 'skipped', file, line, message: `releases[${index}] is not a release (not a JSON object)` };
    }
    yield { kind: 'package', file, line, type: 'release-package', version };
    return;
  }
  if (Array.isArray(value.records)) {
    const version = packageVersion(value.version, Object.hasOwn(value, 'version'), file, line);
    for (let index = 0; index < value.records.length; index += 1) {
      const record = value.records[index] as unknown;
      if (!isRecord(record)) {
        if (record !== null) yield { kind: 'skipped', file, line, message: `records[${index}] is not a record (not a JSON object)` };
        continue;
      }
      const picks = recordPicks(record);
      if (picks.length === 0) yield { kind: 'skipped', file, line, message: `records[${index}] has neither embedded releases nor a compiledRelease` };
      for (const pick of picks) yield { kind: 'release', release: pickFromRecord(record, pick), file, line, location: at({ kind: 'record', index, release: pick }), version };
    }
    yield { kind: 'package', file, line, type: 'record-package', version };
    return;
  }
  const version: OcdsVersion = Object.hasOwn(value, 'parties') ? '1.1' : '1.0';
  yield { kind: 'release', release: value, file, line, location: at({ kind: 'self' }), version, inferred: true };
}

/** Scanner state for one JSON text too big to parse whole. */
interface ScanResult {
  /** Absolute offset just after the text, or -1 when the text was abandoned (line mode: the line ended inside it). */
  readonly end: number;
  readonly line: number;
}

/**
 * Scans one JSON text starting at `start` (an `{` or `[`), yielding the
 * releases of its `releases` / `records` array (or of the array itself) one
 * element at a time, and parsing its other top-level fields separately. In
 * `line` mode a line feed inside the text abandons it (JSON Lines).
 */
function* scanText(window: ByteWindow, file: string, start: number, startLine: number, mode: 'line' | 'document'): Generator<ReaderEvent, ScanResult> {
  const stack = new Uint8Array(MAX_DEPTH);
  let depth = 0;
  let line = startLine;
  const topIsArray = window.byte(start) === OPEN_BRACKET;
  const header: JsonRecord = {};
  let streamed: 'releases' | 'records' | null = null;
  let keyStart = -1;
  let keyEnd = -1;
  let currentKey: string | null = null;
  let valueStart = -1;
  let streamingKey: 'releases' | 'records' | null = null;
  let elementStart = -1;
  let elementLine = startLine;
  let elementIndex = 0;
  let expectKey = false;
  let version: OcdsVersion | undefined;
  let containerType: ContainerType = 'release-package';
  let position = start;
  const keepFrom = (): number => (elementStart >= 0 ? elementStart : valueStart >= 0 ? valueStart : keyStart >= 0 ? keyStart : position);
  const fail = (problem: string): AppError => fileError(file, line, 'JSON', problem);

  function* element(endAt: number): Generator<ReaderEvent> {
    const bytes = window.slice(elementStart, endAt);
    let blank = true;
    for (let at = 0; at < bytes.length && blank; at += 1) blank = isSpace(bytes[at]!);
    const index = elementIndex;
    elementIndex += 1;
    if (blank) return;
    const parsed = parsePiece(bytes);
    const location = (pick: ReleasePick): ReleaseLocation => ({ file, start: elementStart, end: endAt, pick });
    const what = streamingKey === null ? `element ${index}` : `${streamingKey}[${index}]`;
    if ('problem' in parsed) {
      if (mode === 'document') throw fileError(file, elementLine, what, `invalid JSON: ${parsed.problem}`);
      yield { kind: 'skipped', file, line: elementLine, message: `${what} is invalid JSON: ${parsed.problem}` };
      return;
    }
    const value = parsed.value;
    if (!isRecord(value)) {
      if (value !== null) yield { kind: 'skipped', file, line: elementLine, message: `${what} is not a JSON object` };
      return;
    }
    if (streamingKey === 'records') {
      const picks = recordPicks(value);
      if (picks.length === 0) yield { kind: 'skipped', file, line: elementLine, message: `${what} has neither embedded releases nor a compiledRelease` };
      for (const pick of picks) yield { kind: 'release', release: pickFromRecord(value, pick), file, line: elementLine, location: location({ kind: 'record', index: null, release: pick }), version };
    } else {
      const releaseVersion = streamingKey === null ? (Object.hasOwn(value, 'parties') ? '1.1' : '1.0') : version;
      yield { kind: 'release', release: value, file, line: elementLine, location: location({ kind: 'self' }), version: releaseVersion, ...(streamingKey === null && { inferred: true as const }) };
    }
  }

  for (;;) {
    if (position >= window.end && !window.fill(keepFrom())) throw fail(`unexpected end of file inside the JSON text that starts on line ${startLine}`);
    const byte = window.byte(position);
    if (byte === QUOTE) {
      let search = position + 1;
      let close = -1;
      while (close < 0) {
        const found = window.buf.indexOf(QUOTE, search - window.base);
        if (found < 0) {
          search = window.end;
          if (!window.fill(keepFrom())) throw fail(`unterminated string in the JSON text that starts on line ${startLine}`);
          continue;
        }
        const quote = found + window.base;
        let backslashes = 0;
        while (window.byte(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
        if (backslashes % 2 === 0) close = quote;
        else search = quote + 1;
      }
      if (depth === 1 && expectKey && !topIsArray) {
        keyStart = position;
        keyEnd = close + 1;
      }
      position = close + 1;
      continue;
    }
    if (byte === LF) {
      if (mode === 'line') {
        yield { kind: 'skipped', file, line: startLine, message: 'invalid JSON: the line ends inside a JSON text' };
        return { end: -1, line };
      }
      line += 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (depth === MAX_DEPTH) throw fail(`nesting deeper than ${MAX_DEPTH}`);
      if (depth === 1 && !topIsArray && streamingKey !== null && byte === OPEN_BRACKET && streamed === null) {
        let onlySpace = true;
        for (let at = valueStart; at < position; at += 1) if (!isSpace(window.byte(at))) onlySpace = false;
        if (onlySpace) {
          streamed = streamingKey;
          containerType = streamingKey === 'releases' ? 'release-package' : 'record-package';
          elementStart = position + 1;
          elementLine = line;
          valueStart = -1;
        }
      } else if (depth === 0 && topIsArray) {
        elementStart = position + 1;
        elementLine = line;
      }
      if (elementStart >= 0 && ((topIsArray && depth === 1) || (!topIsArray && depth === 2)) && byte === OPEN_BRACE) elementLine = line;
      stack[depth] = byte;
      depth += 1;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 0 || stack[depth - 1] !== (byte === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) throw fail(`unexpected "${String.fromCharCode(byte)}"`);
      const closingElements = elementStart >= 0 && byte === CLOSE_BRACKET && ((topIsArray && depth === 1) || (!topIsArray && streamed !== null && depth === 2 && streamingKey !== null));
      if (closingElements) {
        yield* element(position);
        elementStart = -1;
        if (!topIsArray) {
          header[streamingKey!] = null;
          streamingKey = null;
        }
      }
      if (depth === 1 && !topIsArray && !closingElements) {
        if (valueStart >= 0 && currentKey !== null) yield* headerValue(position);
      }
      depth -= 1;
      if (depth === 0) {
        position += 1;
        break;
      }
    } else if (byte === COMMA) {
      if (elementStart >= 0 && ((topIsArray && depth === 1) || (!topIsArray && depth === 2 && streamingKey !== null))) {
        yield* element(position);
        elementStart = position + 1;
        elementLine = line;
      } else if (depth === 1 && !topIsArray) {
        if (valueStart >= 0 && currentKey !== null) yield* headerValue(position);
        expectKey = true;
      }
    } else if (byte === COLON && depth === 1 && !topIsArray && expectKey) {
      const key = parsePiece(window.slice(keyStart, keyEnd));
      if ('problem' in key || typeof key.value !== 'string') throw fail(`invalid key: ${'problem' in key ? key.problem : 'not a string'}`);
      currentKey = key.value;
      expectKey = false;
      keyStart = -1;
      valueStart = position + 1;
      streamingKey = (currentKey === 'releases' || currentKey === 'records') && streamed === null ? currentKey : null;
    }
    if (depth === 1 && byte === OPEN_BRACE && !topIsArray && position === start) expectKey = true;
    position += 1;
  }

  function* headerValue(endAt: number): Generator<ReaderEvent> {
    const parsed = parsePiece(window.slice(valueStart, endAt));
    if ('problem' in parsed) {
      if (mode === 'document') throw fileError(file, line, currentKey!, `invalid JSON: ${parsed.problem}`);
      yield { kind: 'skipped', file, line: startLine, message: `field ${currentKey} is invalid JSON: ${parsed.problem}` };
    } else {
      if (currentKey === '__proto__') Object.defineProperty(header, currentKey, { value: parsed.value, enumerable: true, writable: true, configurable: true });
      else header[currentKey!] = parsed.value;
      if (currentKey === 'version') {
        version = packageVersion(parsed.value, true, file, startLine);
      }
    }
    valueStart = -1;
    currentKey = null;
  }

  if (streamed !== null) {
    const settled = version ?? packageVersion(undefined, false, file, startLine);
    yield { kind: 'package', file, line: startLine, type: containerType, version: settled };
  } else if (!topIsArray) {
    yield* releasesOfText(header, file, startLine, start, position);
  }
  return { end: position, line };
}

/**
 * Reads one file (synchronously, one chunk per step of the generator) and
 * yields its releases, settled container versions and skipped lines. Stops
 * with an `AppError` (`validation_failed`, message `FILE:LINE: field:
 * problem`) for an unknown OCDS version or a broken pretty-printed document.
 *
 * @example for (const event of readOcdsFile('releases.jsonl')) if (event.kind === 'release') use(event.release);
 */
export function* readOcdsFile(file: string, options: ReadOptions = {}): Generator<ReaderEvent> {
  const name = options.displayName;
  if (name === undefined || name === file) {
    yield* readFile(file, options);
    return;
  }
  const rename = (text: string): string => text.split(file).join(name);
  try {
    for (const event of readFile(file, options)) yield { ...event, file: name };
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, rename(error.message), error.details && { ...error.details, file: name });
    throw error;
  }
}

function* readFile(file: string, options: ReadOptions): Generator<ReaderEvent> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new AppError('validation_failed', `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new AppError('validation_failed', `${file}: Is a directory, not a file`);
    const window = new ByteWindow(fd, options);
    let mode: 'lines' | 'document' | undefined;
    let position = 0;
    let line = 1;
    window.fill(0);
    if (window.buf.length >= 3 && window.buf[0] === 0xef && window.buf[1] === 0xbb && window.buf[2] === 0xbf) position = 3;
    for (;;) {
      if (position >= window.end && !window.fill(position)) return;
      if (mode === 'document') {
        const byte = window.byte(position);
        if (isSpace(byte)) {
          if (byte === LF) line += 1;
          position += 1;
          continue;
        }
        if (byte !== OPEN_BRACE && byte !== OPEN_BRACKET) throw fileError(file, line, 'JSON', 'expected a JSON object or array');
        const result = yield* scanText(window, file, position, line, 'document');
        position = result.end;
        line = result.line;
        continue;
      }
      let newline = window.buf.indexOf(LF, position - window.base);
      while (newline < 0 && window.end - position <= WHOLE_TEXT_LIMIT && window.fill(position)) newline = window.buf.indexOf(LF, position - window.base);
      const lineEnd = newline >= 0 ? newline + window.base : window.end;
      const big = newline < 0 && window.end - position > WHOLE_TEXT_LIMIT;
      let first = position;
      while (first < lineEnd && isSpace(window.byte(first))) first += 1;
      if (first === lineEnd && !big) {
        position = lineEnd + 1;
        line += 1;
        continue;
      }
      if (big || lineEnd - position > WHOLE_TEXT_LIMIT) {
        mode ??= 'lines';
        const opener = window.byte(first);
        if (opener !== OPEN_BRACE && opener !== OPEN_BRACKET) {
          yield { kind: 'skipped', file, line, message: 'invalid JSON: expected a JSON object or array' };
          position = skipLine(window, first);
          line += 1;
          continue;
        }
        const result = yield* scanText(window, file, first, line, 'line');
        let after = result.end < 0 ? skipLine(window, first) - 1 : result.end;
        if (result.end >= 0) {
          for (;;) {
            if (after >= window.end && !window.fill(after)) break;
            const byte = window.byte(after);
            if (byte === LF) break;
            if (!isSpace(byte)) {
              yield { kind: 'skipped', file, line, message: 'invalid JSON: trailing characters after the JSON text' };
              after = skipLine(window, after) - 1;
              break;
            }
            after += 1;
          }
        }
        position = after + 1;
        line += 1;
        continue;
      }
      const textEnd = lineEnd > position && window.byte(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      const parsed = parsePiece(window.slice(position, textEnd));
      if (mode === undefined && 'problem' in parsed && parsed.problem !== 'stream did not contain valid UTF-8') {
        mode = 'document';
        position = first;
        continue;
      }
      mode = 'lines';
      if ('problem' in parsed) {
        const prefix = parsed.problem === 'stream did not contain valid UTF-8' ? 'caused an I/O error' : 'is invalid JSON';
        yield { kind: 'skipped', file, line, message: `line ${prefix}: ${parsed.problem}` };
      } else {
        yield* releasesOfText(parsed.value, file, line, position, textEnd);
      }
      position = lineEnd + 1;
      line += 1;
    }
  } finally {
    closeSync(fd);
  }
}

/** The position after the next line feed at or after `from` (or the end of file). */
function skipLine(window: ByteWindow, from: number): number {
  let position = from;
  for (;;) {
    const found = window.buf.indexOf(LF, Math.max(0, position - window.base));
    if (found >= 0) return found + window.base + 1;
    position = window.end;
    if (!window.fill(position)) return window.end + 1;
  }
}

/**
 * Reads a release again from where `readOcdsFile` found it (one positioned
 * read of its JSON text). For callers that index releases instead of holding
 * them, e.g. merging a file that is not sorted by ocid.
 */
export function readReleaseAt(location: ReleaseLocation, fd?: number): JsonRecord {
  const own = fd ?? openSync(location.file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(location.end - location.start);
    let done = 0;
    while (done < bytes.length) {
      const count = readSync(own, bytes, done, bytes.length - done, location.start + done);
      if (count === 0) break;
      done += count;
    }
    const value = JSON.parse(bytes.subarray(0, done).toString('utf8')) as unknown;
    const { pick } = location;
    if (pick.kind === 'self') return value as JsonRecord;
    if (pick.kind === 'element') return (pick.field === null ? (value as unknown[]) : ((value as JsonRecord).releases as unknown[]))[pick.index] as JsonRecord;
    const record = (pick.index === null ? value : ((value as JsonRecord).records as unknown[])[pick.index]) as JsonRecord;
    return pickFromRecord(record, pick.release);
  } finally {
    if (fd === undefined) closeSync(own);
  }
}
