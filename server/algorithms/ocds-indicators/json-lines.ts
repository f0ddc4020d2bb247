/**
 * JSON Lines reading semantics shared by `coverage`, `prepare` and
 * `indicators` (spec §2), as a pure layer: the caller pushes the raw bytes it
 * read, in chunks of any size, and gets numbered lines back.
 *
 * Lines end at LF only (a trailing CR is dropped, a lone CR is content — so
 * Node's `readline` is not usable), each line is decoded as strict UTF-8, and
 * a line that is not one JSON text is reported and skipped, silently when it
 * is only whitespace.
 */

/** One physical line: its 1-based number and its text, or `undefined` text when its bytes are not UTF-8. */
export interface RawLine {
  readonly line: number;
  readonly text: string | undefined;
}

const LF = 0x0a;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function withoutCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 0x0d ? text.slice(0, -1) : text;
}

/**
 * Splits a byte stream into numbered lines. Memory holds one chunk plus the
 * unfinished last line. A chunk's complete lines are decoded in one call when
 * they are all valid UTF-8 (the common case), else line by line.
 *
 * @example
 * const splitter = new JsonLineSplitter();
 * for (const chunk of chunks) for (const line of splitter.push(chunk)) use(line);
 * for (const line of splitter.end()) use(line);
 */
export class JsonLineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private next = 1;

  /** Adds bytes; returns the lines they complete, in order. */
  push(chunk: Uint8Array): RawLine[] {
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf < 0) {
      if (chunk.length > 0) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
      }
      return [];
    }
    const head = this.takePending(chunk.subarray(0, lastLf));
    const rest = chunk.subarray(lastLf + 1);
    if (rest.length > 0) {
      this.pending.push(rest.slice());
      this.pendingBytes = rest.length;
    }
    const text = decode(head);
    if (text !== undefined) return text.split('\n').map((piece) => ({ line: this.next++, text: withoutCr(piece) }));
    const lines: RawLine[] = [];
    let start = 0;
    for (;;) {
      const end = head.indexOf(LF, start);
      const piece = decode(head.subarray(start, end < 0 ? head.length : end));
      lines.push({ line: this.next++, text: piece === undefined ? undefined : withoutCr(piece) });
      if (end < 0) return lines;
      start = end + 1;
    }
  }

  /** Ends the stream; returns the last line if it had no final LF. */
  end(): RawLine[] {
    if (this.pendingBytes === 0) return [];
    const piece = decode(this.takePending(new Uint8Array(0)));
    return [{ line: this.next++, text: piece === undefined ? undefined : withoutCr(piece) }];
  }

  private takePending(tail: Uint8Array): Uint8Array {
    if (this.pending.length === 0) return tail;
    const whole = new Uint8Array(this.pendingBytes + tail.length);
    let offset = 0;
    for (const part of this.pending) {
      whole.set(part, offset);
      offset += part.length;
    }
    whole.set(tail, offset);
    this.pending = [];
    this.pendingBytes = 0;
    return whole;
  }
}

/** What one line holds after parsing: a value, nothing (blank), or a warning to log. */
export type ParsedLine<T> = { readonly line: number; readonly value: T } | { readonly line: number; readonly warning?: string };

const ONLY_WHITESPACE = /^[ \t\n\f\r]*$/;

/**
 * Parses one line with `parse` (e.g. `JSON.parse` or `parseOrderedJson`),
 * turning failures into the reference's warnings:
 * `Line N caused an I/O error, skipping. [stream did not contain valid UTF-8]`
 * and `Line N is invalid JSON, skipping. [<parser message>]`; a blank or
 * whitespace-only line gives neither value nor warning.
 */
export function parseJsonLine<T>(raw: RawLine, parse: (text: string) => T): ParsedLine<T> {
  if (raw.text === undefined) return { line: raw.line, warning: `Line ${raw.line} caused an I/O error, skipping. [stream did not contain valid UTF-8]` };
  try {
    return { line: raw.line, value: parse(raw.text) };
  } catch (error) {
    if (ONLY_WHITESPACE.test(raw.text)) return { line: raw.line };
    return { line: raw.line, warning: `Line ${raw.line} is invalid JSON, skipping. [${(error as Error).message}]` };
  }
}
