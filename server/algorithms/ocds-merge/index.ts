/**
 * OCDS merge routine (spec §11): compiled and versioned releases from the
 * releases of one contracting process, the built-in merge rules of OCDS 1.0
 * and 1.1 (or rules read from a release schema), and release packages for
 * publishing. Pure: no I/O, no clock; one `ocid` at a time, so callers can
 * stream processes through it.
 */
export { MergeError, jsonEqual, mergeReleases, type JsonRecord, type MergeErrorCode, type MergeOptions, type RuleOverride, type VersionedValue } from './merge.ts';
export { mergeRulesFor, rulesFromSchema, type MergeRule, type MergeRules, type OcdsVersion } from './rules.ts';
export { buildReleasePackage, type PackagePublisher, type ReleasePackage, type ReleasePackageMeta } from './package.ts';
