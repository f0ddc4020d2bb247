/**
 * Building OCDS release packages (OCDS 1.1 package schema) from releases the
 * platform publishes, e.g. the compiled releases of a project's procurement.
 */
import type { JsonRecord } from './merge.ts';

/** Who publishes a package (OCDS `publisher`). */
export interface PackagePublisher {
  readonly name: string;
  readonly scheme?: string;
  readonly uid?: string;
  readonly uri?: string;
}

/** What a release package says about itself. */
export interface ReleasePackageMeta {
  /** Where this package is published (its own URL). */
  readonly uri: string;
  /** When it was published: an ISO 8601 date-time; the caller passes it (no clock here). */
  readonly publishedDate: string;
  readonly publisher: PackagePublisher;
  /** URL of the license of the data, if any. */
  readonly license?: string;
  /** URL of the publication policy, if any. */
  readonly publicationPolicy?: string;
  /** URLs of the extensions the releases use (e.g. bids). */
  readonly extensions?: readonly string[];
}

/** An OCDS 1.1 release package. */
export interface ReleasePackage {
  uri: string;
  version: '1.1';
  publishedDate: string;
  publisher: PackagePublisher;
  license?: string;
  publicationPolicy?: string;
  extensions?: string[];
  releases: JsonRecord[];
}

/**
 * Wraps releases (compiled releases of the platform's own processes, or
 * ordinary releases) in an OCDS 1.1 release package, keys in the order of the
 * package schema. Releases are kept in the order given; optional metadata is
 * left out when absent rather than written as `null`, as the schema asks.
 *
 * @example buildReleasePackage([compiled], { uri, publishedDate: now.toISOString(), publisher: { name: '青岛市' } })
 */
export function buildReleasePackage(releases: readonly JsonRecord[], meta: ReleasePackageMeta): ReleasePackage {
  const publisher: PackagePublisher = { name: meta.publisher.name };
  if (meta.publisher.scheme !== undefined) Object.assign(publisher, { scheme: meta.publisher.scheme });
  if (meta.publisher.uid !== undefined) Object.assign(publisher, { uid: meta.publisher.uid });
  if (meta.publisher.uri !== undefined) Object.assign(publisher, { uri: meta.publisher.uri });
  const head: Omit<ReleasePackage, 'releases'> = { uri: meta.uri, version: '1.1', publishedDate: meta.publishedDate, publisher };
  if (meta.license !== undefined) head.license = meta.license;
  if (meta.publicationPolicy !== undefined) head.publicationPolicy = meta.publicationPolicy;
  if (meta.extensions !== undefined && meta.extensions.length > 0) head.extensions = [...meta.extensions];
  const built: ReleasePackage = { ...head, releases: [...releases] };
  return built;
}
