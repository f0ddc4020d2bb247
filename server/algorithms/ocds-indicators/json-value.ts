/**
 * An order- and literal-preserving JSON value model (spec §3), used where the
 * output must reproduce the input byte for byte (`prepare`) or where key order
 * is printed (`coverage`). `JSON.parse` cannot be used there: it reorders
 * integer-like keys, treats `__proto__` specially when mutated, and forgets how
 * a number was written (`1.50`, `1e3`, `12345678901234567890`).
 *
 * Objects are `Map`s (insertion order, any key, last duplicate wins at the
 * first position), numbers are `JsonNumber`s keeping their literal text.
 */

/** A JSON number with the exact text it was written as. */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** The value as a binary64 float (may be ±Infinity for literals such as `1e400`). */
  get value(): number {
    return Number(this.text);
  }
}

/** A JSON object: keys in input order. */
export type JsonObject = Map<string, JsonValue>;
/** Any JSON value of the ordered model. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** Thrown by `parseOrderedJson` with a message naming the column, as `JSON.parse` errors do. */
export class JsonSyntaxError extends Error {}

/** Nesting deeper than this is refused, as by the reference parser (spec §3.5). */
export const MAX_JSON_DEPTH = 128;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON strings end at a quote or backslash; raw control characters are errors.
// eslint-disable-next-line no-control-regex
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;

/**
 * Parses one JSON text (surrounding whitespace allowed, nothing after it) into
 * the ordered model. Rejects unpaired surrogate escapes and nesting deeper than
 * `MAX_JSON_DEPTH`, like the reference. O(length of text).
 *
 * @example parseOrderedJson('{"2":1.50,"1":1}') // Map { '2' => JsonNumber('1.50'), '1' => JsonNumber('1') }
 */
export function parseOrderedJson(text: string): JsonValue {
  let at = 0;
  let depth = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${at >= text.length ? `EOF while parsing ${what}` : what} at line 1 column ${at + 1}`);
  };
  const skipSpace = (): void => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) at++;
      else break;
    }
  };
  const parseString = (): string => {
    at++; // opening quote
    let out = '';
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = at;
      PLAIN_STRING_RUN.exec(text);
      out += text.slice(at, PLAIN_STRING_RUN.lastIndex);
      at = PLAIN_STRING_RUN.lastIndex;
      if (at >= text.length) fail('a string');
      const c = text[at]!;
      if (c === '"') {
        at++;
        return out;
      }
      if (c !== '\\') fail('control character (\\u0000-\\u001F) found while parsing a string');
      const e = text[at + 1];
      at += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const unit = hex4(at);
          at += 4;
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text[at] !== '\\' || text[at + 1] !== 'u') fail('lone leading surrogate in hex escape');
            const low = hex4(at + 2);
            if (low < 0xdc00 || low > 0xdfff) fail('lone leading surrogate in hex escape');
            at += 6;
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            fail('lone trailing surrogate in hex escape');
          } else out += String.fromCharCode(unit);
          break;
        }
        default:
          at -= 1;
          fail('invalid escape');
      }
    }
  };
  const hex4 = (from: number): number => {
    const digits = text.slice(from, from + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) {
      at = from;
      fail('invalid escape');
    }
    return parseInt(digits, 16);
  };
  const parseValue = (): JsonValue => {
    skipSpace();
    if (at >= text.length) fail('a value');
    const c = text[at]!;
    if (c === '{') {
      if (++depth > MAX_JSON_DEPTH) fail('recursion limit exceeded');
      at++;
      const object: JsonObject = new Map();
      skipSpace();
      if (text[at] === '}') {
        at++;
        depth--;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail(at >= text.length ? 'an object' : 'key must be a string');
        const key = parseString();
        skipSpace();
        if (text[at] !== ':') fail(at >= text.length ? 'an object' : "expected `:`");
        at++;
        object.set(key, parseValue());
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          depth--;
          return object;
        }
        fail(at >= text.length ? 'an object' : 'expected `,` or `}`');
      }
    }
    if (c === '[') {
      if (++depth > MAX_JSON_DEPTH) fail('recursion limit exceeded');
      at++;
      const array: JsonValue[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        depth--;
        return array;
      }
      for (;;) {
        array.push(parseValue());
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          depth--;
          return array;
        }
        fail(at >= text.length ? 'a list' : 'expected `,` or `]`');
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith('true', at)) {
      at += 4;
      return true;
    }
    if (text.startsWith('false', at)) {
      at += 5;
      return false;
    }
    if (text.startsWith('null', at)) {
      at += 4;
      return null;
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) fail('expected value');
    at = NUMBER.lastIndex;
    return new JsonNumber(match![0]);
  };
  const value = parseValue();
  skipSpace();
  if (at < text.length) fail('trailing characters');
  return value;
}

/** True for a JSON object of the ordered model. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value instanceof Map;
}

/**
 * Writes a value as compact JSON, numbers exactly as they were read. Strings
 * are escaped as `JSON.stringify` does (which matches the reference for every
 * valid string).
 */
export function stringifyOrderedJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(stringifyOrderedJson).join(',')}]`;
  let out = '{';
  let first = true;
  for (const [key, member] of value) {
    out += `${first ? '' : ','}${JSON.stringify(key)}:${stringifyOrderedJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Removes `key` the way the reference's map does (swap-remove): the object's
 * last key takes the removed key's position. Key order is not significant to
 * consumers; this only keeps `prepare` output identical to the reference.
 */
export function removeKey(object: JsonObject, key: string): void {
  if (!object.has(key)) return;
  const entries = [...object];
  const index = entries.findIndex(([name]) => name === key);
  const last = entries.pop()!;
  if (index < entries.length) entries[index] = last;
  object.clear();
  for (const [name, member] of entries) object.set(name, member);
}
