/**
 * Merge rules of the OCDS merge routine (spec §11.3): which fields are
 * omitted from a compiled release and which arrays are replaced as a whole
 * instead of merged by `id`. Everything not listed is handled by its data:
 * objects are recursed into, arrays holding any non-object are whole lists,
 * other arrays of objects are merged by `id`.
 *
 * A rule path names object keys only (array levels are skipped), joined with
 * `/`, e.g. `awards/suppliers/additionalIdentifiers`.
 */

/** What a rule does to the field at its path. */
export type MergeRule = 'omit' | 'wholeList';

/** Rule path → rule, for one schema. */
export type MergeRules = ReadonlyMap<string, MergeRule>;

/** The OCDS versions whose merge rules are built in. */
export type OcdsVersion = '1.0' | '1.1';

const AMENDMENT_CHANGES = ['tender', 'awards', 'contracts'].flatMap((stage) => [`${stage}/amendment/changes`, `${stage}/amendments/changes`]);

/**
 * OCDS 1.1 (release schema 1.1.4, which `rulesFromSchema` reproduces from the
 * schema file in the tests), plus the bid statistics and details extension,
 * whose tenderers are organisation references like the core ones.
 */
const RULES_1_1: [string, MergeRule][] = [
  ...['id', 'date', 'tag'].map((path): [string, MergeRule] => [path, 'omit']),
  ...[
    'parties/additionalIdentifiers',
    'parties/roles',
    'buyer/additionalIdentifiers',
    'tender/procuringEntity/additionalIdentifiers',
    'tender/items/additionalClassifications',
    'tender/additionalProcurementCategories',
    'tender/submissionMethod',
    'tender/tenderers/additionalIdentifiers',
    'awards/suppliers/additionalIdentifiers',
    'awards/items/additionalClassifications',
    'contracts/items/additionalClassifications',
    'contracts/implementation/transactions/payer/additionalIdentifiers',
    'contracts/implementation/transactions/payee/additionalIdentifiers',
    'contracts/relatedProcesses/relationship',
    'relatedProcesses/relationship',
    ...AMENDMENT_CHANGES,
    'bids/details/tenderers/additionalIdentifiers',
    'bids/details/items/additionalClassifications',
  ].map((path): [string, MergeRule] => [path, 'wholeList']),
];

/**
 * OCDS 1.0 (release schema 1.0.3): `ocid` is omitted too (and put back by the
 * merge), and tenderers and suppliers are whole lists.
 */
const RULES_1_0: [string, MergeRule][] = [
  ...['ocid', 'id', 'date', 'tag'].map((path): [string, MergeRule] => [path, 'omit']),
  ...[
    'tender/items/additionalClassifications',
    'tender/submissionMethod',
    'tender/tenderers',
    'tender/procuringEntity/additionalIdentifiers',
    'tender/amendment/changes',
    'buyer/additionalIdentifiers',
    'awards/suppliers',
    'awards/items/additionalClassifications',
    'awards/amendment/changes',
    'contracts/items/additionalClassifications',
    'contracts/amendment/changes',
  ].map((path): [string, MergeRule] => [path, 'wholeList']),
];

const BUILT_IN: Record<OcdsVersion, MergeRules> = { '1.0': new Map(RULES_1_0), '1.1': new Map(RULES_1_1) };

/** The built-in merge rules of an OCDS version (core schema plus the bids extension). */
export function mergeRulesFor(version: OcdsVersion): MergeRules {
  return BUILT_IN[version];
}

type Schema = Record<string, unknown>;

function typesOf(schema: Schema): string[] {
  const type = schema.type;
  if (Array.isArray(type)) return type.filter((item): item is string => typeof item === 'string');
  return typeof type === 'string' ? [type] : [];
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Derives merge rules from a JSON Schema of a release (as ocds-merge does):
 * `omitWhenMerged` (or 1.0's `mergeStrategy: ocdsOmit`) omits a field and
 * wins over everything; `wholeListMerge` (or `mergeStrategy: ocdsVersion`) on
 * an array makes it a whole list and hides nested rules; arrays whose items
 * may be non-objects, or whose item objects declare no `id`, are whole lists;
 * objects and `id`-keyed arrays of objects are recursed into. Local
 * `$ref`s (`#/definitions/…`, `#/$defs/…`) are followed; a reference cycle
 * stops at the second visit.
 */
export function rulesFromSchema(schema: unknown): MergeRules {
  const rules = new Map<string, MergeRule>();
  if (!isSchema(schema)) return rules;
  const resolve = (node: Schema, seen: ReadonlySet<string>): { node: Schema; seen: ReadonlySet<string> } | undefined => {
    let current = node;
    let visited = seen;
    while (typeof current.$ref === 'string') {
      const ref = current.$ref;
      if (!ref.startsWith('#/') || visited.has(ref)) return undefined;
      let target: unknown = schema;
      for (const part of ref.slice(2).split('/')) target = isSchema(target) ? target[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
      if (!isSchema(target)) return undefined;
      visited = new Set([...visited, ref]);
      current = target;
    }
    return { node: current, seen: visited };
  };
  const walk = (properties: unknown, prefix: string, seen: ReadonlySet<string>): void => {
    if (!isSchema(properties)) return;
    for (const [key, raw] of Object.entries(properties)) {
      if (!isSchema(raw)) continue;
      const resolved = resolve(raw, seen);
      if (!resolved) continue;
      const { node } = resolved;
      const path = prefix === '' ? key : `${prefix}/${key}`;
      const types = typesOf(node);
      if (node.omitWhenMerged === true || node.mergeStrategy === 'ocdsOmit') rules.set(path, 'omit');
      else if (types.includes('array') && (node.wholeListMerge === true || node.mergeStrategy === 'ocdsVersion')) rules.set(path, 'wholeList');
      else if (types.includes('object') && isSchema(node.properties)) walk(node.properties, path, resolved.seen);
      else if (types.includes('array') && isSchema(node.items)) {
        const items = resolve(node.items, resolved.seen);
        if (!items) continue;
        const itemTypes = typesOf(items.node);
        if (itemTypes.some((type) => type !== 'object')) rules.set(path, 'wholeList');
        else if (itemTypes.includes('object') && isSchema(items.node.properties)) {
          if (!Object.hasOwn(items.node.properties, 'id')) rules.set(path, 'wholeList');
          else walk(items.node.properties, path, items.seen);
        }
      }
    }
  };
  walk(schema.properties, '', new Set());
  return rules;
}
