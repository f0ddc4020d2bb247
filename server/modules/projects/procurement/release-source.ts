/**
 * The releases inside an OCDS text the product imports, with where each sits
 * (for error messages): a release package, a record package (embedded
 * releases; a record with only its compiled release gives that), a bare
 * release, an array of releases, or JSON Lines of any of these. Pure.
 */

import type { OcdsVersion } from '../../../algorithms/ocds-merge/index.ts';

type Json = Record<string, unknown>;

/**
 * The OCDS version a release is stored with: its package's (`version`, 1.0
 * when absent), or for a release outside any package `1.1` when it has
 * `parties` (which 1.0 lacks) and otherwise `unsure` — the absence of
 * `parties` does not prove 1.0, so the import settles it by the rest of the
 * input (1.1 when any release of the input is 1.1, else 1.0). `pending`: a
 * streamed package whose `version` comes after its releases; a later
 * `{ packageVersion }` item settles it.
 */
export type ReleaseVersion = OcdsVersion | 'unsure' | 'pending';

/** One release, its place in the input (`line 3`, `releases[12]`) and its OCDS version. */
export interface SourcedRelease {
  readonly release: Json;
  readonly where: string;
  readonly version: ReleaseVersion;
}

/** The input is not OCDS this reader understands; the message names the place. */
export class ReleaseSourceError extends Error {}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A package's version: its `version` (`1.0.1` counts as 1.0), 1.0 when absent; anything else is not OCDS this reader knows. */
function packageVersion(value: Json, where: string): OcdsVersion {
  if (!Object.hasOwn(value, 'version')) return '1.0';
  const match = typeof value.version === 'string' ? /^1\.([01])(?:\.\d+)?$/.exec(value.version) : null;
  if (!match) throw new ReleaseSourceError(`${where}: version: ${JSON.stringify(value.version)} is not an OCDS version this reader knows (1.0 or 1.1, optionally with a patch number)`);
  return match[1] === '0' ? '1.0' : '1.1';
}

function* releasesOf(value: unknown, where: string): Generator<SourcedRelease> {
  if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) yield* releasesOf(element, `${where}[${index}]`);
    return;
  }
  if (!isObject(value)) throw new ReleaseSourceError(`${where}: not a JSON object`);
  if (Array.isArray(value.releases) && !('ocid' in value)) {
    const version = packageVersion(value, where);
    for (const [index, release] of value.releases.entries()) {
      if (!isObject(release)) throw new ReleaseSourceError(`${where}.releases[${index}]: not a JSON object`);
      yield { release, where: `${where}.releases[${index}]`, version };
    }
    return;
  }
  if (Array.isArray(value.records)) {
    const version = packageVersion(value, where);
    for (const [index, record] of value.records.entries()) yield* releasesOfRecord(record, `${where}.records[${index}]`, version);
    return;
  }
  if ('compiledRelease' in value && 'ocid' in value) {
    yield* releasesOfRecord(value, where, 'unsure');
    return;
  }
  yield { release: value, where, version: Object.hasOwn(value, 'parties') ? '1.1' : 'unsure' };
}

function* releasesOfRecord(record: unknown, where: string, version: ReleaseVersion): Generator<SourcedRelease> {
  if (!isObject(record)) throw new ReleaseSourceError(`${where}: not a JSON object`);
  const embedded = Array.isArray(record.releases) ? record.releases.filter((release): release is Json => isObject(release) && 'id' in release && 'date' in release) : [];
  const versionOf = (release: Json): ReleaseVersion => (version === 'unsure' && Object.hasOwn(release, 'parties') ? '1.1' : version);
  if (embedded.length > 0) {
    for (const [index, release] of embedded.entries()) yield { release, where: `${where}.releases[${index}]`, version: versionOf(release) };
  } else if (isObject(record.compiledRelease)) {
    yield { release: record.compiledRelease, where: `${where}.compiledRelease`, version: versionOf(record.compiledRelease) };
  }
}

/**
 * Every release of `text`. A text that parses as one JSON value is read as a
 * whole; otherwise each non-blank line is one JSON value (JSON Lines).
 *
 * @example [...readReleases('{"releases":[{"ocid":"ocds-1","id":"1","date":"2027-01-01T00:00:00Z"}]}')].length // 1
 */
export function* readReleases(text: string): Generator<SourcedRelease> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let whole: unknown;
  try {
    whole = JSON.parse(body);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    yield* releasesOf(whole, 'input');
    return;
  }
  const lines = body.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ReleaseSourceError(`line ${index + 1}: invalid JSON (${(error as Error).message})`);
    }
    yield* releasesOf(value, `line ${index + 1}`);
  }
}

/** The identity a release must carry to be stored and merged: ocid, id (string or number) and date. */
export function identityOf(sourced: SourcedRelease): { ocid: string; id: string; date: string } {
  const { release, where } = sourced;
  if (typeof release.ocid !== 'string' || release.ocid === '') throw new ReleaseSourceError(`${where}: ocid: missing (every release needs its contracting process id)`);
  if (typeof release.id !== 'string' && typeof release.id !== 'number') throw new ReleaseSourceError(`${where}: id: missing (every release needs a release id)`);
  if (typeof release.date !== 'string' || release.date === '') throw new ReleaseSourceError(`${where}: date: missing (releases are merged in date order)`);
  return { ocid: release.ocid, id: String(release.id), date: release.date };
}
