/**
 * `coverage` (spec §6): for every field path, in how many places the path
 * holds a non-empty value across a file of JSON values. Paths join `/` + key
 * for object members and `[]` for array elements, without indexes.
 */
import { JsonNumber, type JsonValue } from './json-value.ts';

/**
 * Accumulates coverage counts line by line; memory is one counter per distinct
 * path. Counts are kept in the order each path was first counted (post-order
 * depth-first), which is the order the reference prints.
 *
 * @example
 * const coverage = new CoverageCounter();
 * coverage.add(parseOrderedJson('{"a":[1]}'));
 * formatCoverage(coverage.counts) // {"/a[]": 1, "/a": 1, "/": 1, "": 1}
 */
export class CoverageCounter {
  /** Path → number of non-empty places. */
  readonly counts = new Map<string, number>();

  /** Counts one line's value (any JSON value, not only objects). */
  add(value: JsonValue): void {
    this.visit(value, '');
  }

  private count(path: string): void {
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
  }

  /** Counts `value` held at `path`; returns whether it is non-empty. */
  private visit(value: JsonValue, path: string): boolean {
    if (value === null) return false;
    if (typeof value === 'string') {
      if (value.length === 0) return false;
      this.count(path);
      return true;
    }
    if (typeof value === 'boolean' || value instanceof JsonNumber) {
      this.count(path);
      return true;
    }
    if (Array.isArray(value)) {
      let nonEmpty = false;
      const elementPath = `${path}[]`;
      for (const element of value) if (this.visit(element, elementPath)) nonEmpty = true;
      if (nonEmpty) this.count(path);
      return nonEmpty;
    }
    let nonEmpty = false;
    const memberPrefix = `${path}/`;
    for (const [key, member] of value) if (this.visit(member, memberPrefix + key)) nonEmpty = true;
    if (nonEmpty) {
      this.count(memberPrefix);
      this.count(path);
    }
    return nonEmpty;
  }
}

/** The one output line of `coverage`: `{"<path>": <n>, …}` (valid JSON; `{}` when empty). */
export function formatCoverage(counts: ReadonlyMap<string, number>): string {
  return `{${[...counts].map(([path, n]) => `${JSON.stringify(path)}: ${n}`).join(', ')}}`;
}
