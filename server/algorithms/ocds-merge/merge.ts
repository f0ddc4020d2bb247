/**
 * The OCDS merge routine (spec §11.4–11.5): releases of one contracting
 * process, overlaid in date order, give its compiled release (latest state)
 * or its versioned release (every value with the release that set it).
 *
 * Each release is flattened into (path → value) entries — objects are
 * recursed into, arrays merged by `id` get one path step per element keyed by
 * the element's `id` value, everything else is a leaf — and the entries are
 * overlaid in one insertion-ordered map, then rebuilt into nested objects.
 * The map's order is the output's key order: a path keeps the position where
 * it was first stored, as in the reference.
 */
import type { MergeRule, MergeRules } from './rules.ts';

/** A JSON object as parsed by `JSON.parse`. */
export type JsonRecord = Record<string, unknown>;

/** Why a group of releases could not be merged. */
export type MergeErrorCode = 'missing_ocid' | 'missing_date' | 'mixed_ocid' | 'type_conflict';

/** A group of releases that cannot be merged; `code` says why, the message names the field. */
export class MergeError extends Error {
  readonly code: MergeErrorCode;
  constructor(code: MergeErrorCode, message: string) {
    super(message);
    this.name = 'MergeError';
    this.code = code;
  }
}

/**
 * Per-path changes to how an array is merged (ocds-merge's rule overrides):
 * `append` adds every element as new even if its `id` was seen;
 * `mergeByPosition` matches elements by their index instead of their `id`.
 */
export type RuleOverride = 'append' | 'mergeByPosition';

/** How to merge. */
export interface MergeOptions {
  /** The merge rules of the data's schema (`mergeRulesFor(version)` or `rulesFromSchema`). */
  readonly rules: MergeRules;
  /** Versioned release instead of compiled release. */
  readonly versioned?: boolean;
  /** Rule path → override (rare; the default merge follows the rules). */
  readonly ruleOverrides?: ReadonlyMap<string, RuleOverride>;
  /** Told about recoverable oddities, e.g. two elements with one `id` in one release. */
  readonly onWarning?: (message: string) => void;
}

/** One entry of a versioned field's history. */
export interface VersionedValue {
  releaseID: unknown;
  releaseDate: unknown;
  releaseTag: unknown;
  value: unknown;
}

/** A step of a flattened path: an object key, or an element of a merged array. */
type Step = string | ElementStep;

interface ElementStep {
  /** Identity of the element within its array (typed `id` value, position or a unique number). */
  readonly key: string;
  /** Whether the element had an `id` that identifies it (then it is written first, unversioned). */
  readonly hasId: boolean;
  readonly id: unknown;
}

/**
 * A flattened path, as a node of the tree of every path stored so far for
 * one process: looking a path up follows one short key per level (object
 * keys from `JSON.parse` are interned, their hashes cached) instead of
 * hashing a long path string. A slot that holds a value is an entry.
 */
interface Slot {
  readonly parent: Slot | undefined;
  readonly step: Step;
  /** Steps from the top (the root is 0). */
  readonly depth: number;
  fields: Map<string, Slot> | undefined;
  elements: Map<string, Slot> | undefined;
  /** Whether a value was stored here (then it is in the entry order). */
  stored: boolean;
  value: unknown;
}

function newSlot(parent: Slot | undefined, step: Step): Slot {
  return { parent, step, depth: parent === undefined ? 0 : parent.depth + 1, fields: undefined, elements: undefined, stored: false, value: undefined };
}

function fieldSlot(parent: Slot, field: string): Slot {
  parent.fields ??= new Map();
  let slot = parent.fields.get(field);
  if (!slot) {
    slot = newSlot(parent, field);
    parent.fields.set(field, slot);
  }
  return slot;
}

function elementSlot(parent: Slot, step: ElementStep): Slot {
  parent.elements ??= new Map();
  let slot = parent.elements.get(step.key);
  if (!slot) {
    slot = newSlot(parent, step);
    parent.elements.set(step.key, slot);
  }
  return slot;
}

/** The steps of a slot's path from the top, into `into` (reused between entries). */
function stepsOf(slot: Slot, into: Step[]): Step[] {
  into.length = slot.depth;
  for (let node: Slot | undefined = slot; node && node.depth > 0; node = node.parent) into[node.depth - 1] = node.step;
  return into;
}

/** The rule path of a slot: its object keys joined with `/`. */
function rulePathOf(slot: Slot): string {
  const keys: string[] = [];
  for (let node: Slot | undefined = slot; node && node.depth > 0; node = node.parent) if (typeof node.step === 'string') keys.unshift(node.step);
  return keys.join('/');
}


function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyRecord(value: JsonRecord): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/** Sets a key as an own property, `__proto__` included (spec §3.3). */
function setKey(target: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The identity of an `id` value: equal only for the same JSON type and value. */
function idKey(id: unknown): string {
  switch (typeof id) {
    case 'string':
      return `s${id}`;
    case 'number':
      return `n${id}`;
    case 'boolean':
      return `b${id}`;
    default:
      return id === null ? 'z' : `j${JSON.stringify(id)}`;
  }
}

/** The identity of the same `id` text with the other type: `"1"` ↔ `1`. */
function twinKey(key: string): string {
  return `${key[0] === 's' ? 'n' : 's'}${key.slice(1)}`;
}

/** Deep equality of JSON values (object key order ignored), for versioned histories. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) if (!jsonEqual(a[index], b[index])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key) || !jsonEqual((a as JsonRecord)[key], (b as JsonRecord)[key])) return false;
  }
  return true;
}

/** The state of one flattening pass over one release. */
interface Flattener {
  readonly rules: RuleNode;
  readonly overrides: ReadonlyMap<string, RuleOverride> | undefined;
  readonly store: (slot: Slot, value: unknown) => void;
  readonly warn: ((message: string) => void) | undefined;
  readonly nextUnique: () => number;
}

function isWholeArray(value: unknown[], rule: MergeRule | undefined): boolean {
  if (rule === 'wholeList') return true;
  for (const item of value) if (!isRecord(item)) return true;
  return false;
}

function flattenObject(state: Flattener, object: JsonRecord, slot: Slot, rules: RuleNode | undefined, topLevel: boolean): void {
  for (const field in object) {
    if (!Object.hasOwn(object, field)) continue;
    if (topLevel && field === 'tag') continue;
    const value = object[field];
    const fieldRules = rules?.children?.get(field);
    const rule = fieldRules?.rule;
    if (rule === 'omit') continue;
    if (value === null || typeof value !== 'object' || rule === 'wholeList') {
      state.store(fieldSlot(slot, field), value);
    } else if (Array.isArray(value)) {
      if (isWholeArray(value, rule)) state.store(fieldSlot(slot, field), value);
      else if (value.length > 0) flattenArray(state, value as JsonRecord[], fieldSlot(slot, field), fieldRules);
    } else if (!isEmptyRecord(value as JsonRecord)) {
      flattenObject(state, value as JsonRecord, fieldSlot(slot, field), fieldRules, false);
    }
  }
}

function flattenArray(state: Flattener, elements: JsonRecord[], slot: Slot, rules: RuleNode | undefined): void {
  const override = state.overrides?.get(rulePathOf(slot));
  let seen: Set<string> | undefined;
  for (let index = 0; index < elements.length; index += 1) {
    const element = elements[index]!;
    const hasId = Object.hasOwn(element, 'id');
    let step: ElementStep;
    if (override === 'mergeByPosition') step = { key: `p${index}`, hasId: false, id: undefined };
    else if (override === 'append' || !hasId) step = { key: `u${state.nextUnique()}`, hasId: false, id: undefined };
    else {
      step = { key: idKey(element.id), hasId: true, id: element.id };
      if (elements.length > 1) {
        seen ??= new Set();
        if (seen.has(step.key)) state.warn?.(`Multiple objects have the \`id\` value ${JSON.stringify(element.id)} in the \`${rulePathOf(slot)}\` array`);
        seen.add(step.key);
      }
    }
    if (step.hasId && (typeof element.id === 'string' || typeof element.id === 'number') && slot.elements?.has(step.key) === false && slot.elements.has(twinKey(step.key))) {
      state.warn?.(`The \`id\` values ${JSON.stringify(element.id)} and ${JSON.stringify(typeof element.id === 'string' ? Number(element.id) : String(element.id))} in the \`${rulePathOf(slot)}\` array are different elements (their JSON types differ)`);
    }
    flattenObject(state, element, elementSlot(slot, step), rules, false);
  }
}

/** Rebuilds nested objects from entries in their order; `null` leaves are left out (compiled) or kept (versioned histories are never null). */
function unflatten(entries: Iterable<Slot>): JsonRecord {
  const root: JsonRecord = {};
  const containers = new WeakSet<object>([root]);
  const elementsOf = new WeakMap<unknown[], Map<string, JsonRecord>>();
  const scratch: Step[] = [];
  for (const entry of entries) {
    const steps = stepsOf(entry, scratch);
    let node: JsonRecord | unknown[] = root;
    for (let index = 0; index < steps.length; index += 1) {
      const step = steps[index]!;
      const last = index === steps.length - 1;
      if (typeof step !== 'string') {
        const array = node as unknown[];
        let elements = elementsOf.get(array);
        if (!elements) {
          elements = new Map();
          elementsOf.set(array, elements);
        }
        let element = elements.get(step.key);
        if (!element) {
          element = {};
          containers.add(element);
          if (step.hasId && step.id !== null) setKey(element, 'id', step.id);
          elements.set(step.key, element);
          array.push(element);
        }
        node = element;
        continue;
      }
      const object = node as JsonRecord;
      if (Object.hasOwn(object, step)) {
        if (last) break;
        const child = object[step];
        const wantArray = typeof steps[index + 1] !== 'string';
        if (typeof child !== 'object' || child === null || !containers.has(child) || Array.isArray(child) !== wantArray) {
          throw new MergeError('type_conflict', `An earlier release had the literal ${JSON.stringify(child)} for /${pathText(steps.slice(0, index + 1))}, but the current release has ${wantArray ? 'an array' : 'an object'} there`);
        }
        node = child as JsonRecord | unknown[];
        continue;
      }
      if (last) {
        if (entry.value !== null) setKey(object, step, entry.value);
        break;
      }
      const child: JsonRecord | unknown[] = typeof steps[index + 1] === 'string' ? {} : [];
      containers.add(child);
      setKey(object, step, child);
      node = child;
    }
  }
  return root;
}

function pathText(steps: readonly Step[]): string {
  return steps.map((step) => (typeof step === 'string' ? step : step.hasId ? String(step.id) : '…')).join('/');
}

/** A stored `null`: its parents exist in the output, the field itself does not. */
const NULL_LEAF = Symbol('null leaf');
/** Nothing stored (an empty object or array, an omitted field). */
const ABSENT = Symbol('absent');
/** Two elements with one `id` in one release: left to the general merge, which collapses them. */
class DuplicateId extends Error {}

/**
 * The compiled release of a single release, built in one walk (the common
 * case: most processes of a big file have one release). Gives exactly what
 * flattening and rebuilding gives; throws `DuplicateId` where the release
 * itself has two elements with one `id` (the general path handles that).
 */
function compileSingle(release: JsonRecord, rules: MergeRules): JsonRecord {
  const trie = ruleTrie(rules);
  const hasDate = Object.hasOwn(release, 'date') && release.date !== null;
  const compiled: JsonRecord = { tag: ['compiled'], id: hasDate ? `${String(release.ocid)}-${String(release.date)}` : release.ocid, date: hasDate ? release.date : null, ocid: release.ocid };
  if (!hasDate) delete compiled.date;
  for (const field in release) {
    if (!Object.hasOwn(release, field) || field === 'tag') continue;
    const child = trie.children?.get(field);
    const rule = child?.rule;
    if (rule === 'omit') continue;
    const value = release[field];
    const result = value === null ? NULL_LEAF : typeof value !== 'object' || rule === 'wholeList' ? value : compileNested(value, child);
    if (result === ABSENT) continue;
    if (field === 'id' || field === 'date' || field === 'ocid') {
      if (result === NULL_LEAF) delete compiled[field];
      else compiled[field] = result;
      continue;
    }
    if (result !== NULL_LEAF) setKey(compiled, field, result);
  }
  return compiled;
}

/** Merge rules as a tree of object keys, so a walk looks up one key per level and skips subtrees without rules. */
interface RuleNode {
  rule: MergeRule | undefined;
  children: Map<string, RuleNode> | undefined;
}

const TRIES = new WeakMap<MergeRules, RuleNode>();

function ruleTrie(rules: MergeRules): RuleNode {
  let root = TRIES.get(rules);
  if (root) return root;
  root = { rule: undefined, children: undefined };
  for (const [rulePath, rule] of rules) {
    let node = root;
    for (const part of rulePath.split('/')) {
      node.children ??= new Map();
      let next = node.children.get(part);
      if (!next) {
        next = { rule: undefined, children: undefined };
        node.children.set(part, next);
      }
      node = next;
    }
    node.rule = rule;
  }
  TRIES.set(rules, root);
  return root;
}

/** An object or array (not a whole list) of a single release, compiled; the input itself when nothing changes. */
function compileNested(value: object, node: RuleNode | undefined): unknown {
  if (!Array.isArray(value)) return compileFields(value as JsonRecord, node, false);
  if (value.length === 0) return ABSENT;
  for (const item of value) if (typeof item !== 'object' || item === null || Array.isArray(item)) return value;
  return compileElements(value as JsonRecord[], node);
}

/** A new object with the fields of `object` before `stop` (all kept so far), the `id` first for an element. */
function copyPrefix(object: JsonRecord, stop: string, idFirst: boolean): JsonRecord {
  const out: JsonRecord = {};
  if (idFirst && object.id !== null) setKey(out, 'id', object.id);
  for (const field in object) {
    if (field === stop) break;
    if (!Object.hasOwn(object, field) || (idFirst && field === 'id')) continue;
    setKey(out, field, object[field]);
  }
  return out;
}

/**
 * The compiled fields of an object: ABSENT when nothing was stored, the
 * object itself when nothing changed, else a copy. An element (`idFirst`)
 * starts with its non-null `id`.
 */
function compileFields(object: JsonRecord, node: RuleNode | undefined, idFirst: boolean): JsonRecord | typeof ABSENT {
  let out: JsonRecord | undefined;
  if (idFirst) {
    let first: string | undefined;
    for (const field in object) {
      first = field;
      break;
    }
    if (first !== 'id' || object.id === null) out = copyPrefix(object, first!, true);
  }
  let stored = false;
  for (const field in object) {
    if (!Object.hasOwn(object, field)) continue;
    if (idFirst && field === 'id') {
      stored = true;
      continue;
    }
    const child = node?.children?.get(field);
    const rule = child?.rule;
    const value = object[field];
    const result = rule === 'omit' ? ABSENT : value === null ? NULL_LEAF : typeof value !== 'object' || rule === 'wholeList' ? value : compileNested(value, child);
    if (result !== ABSENT) stored = true;
    if (result === value) {
      if (out !== undefined) setKey(out, field, value);
      continue;
    }
    out ??= copyPrefix(object, field, idFirst);
    if (result !== ABSENT && result !== NULL_LEAF) setKey(out, field, result);
  }
  if (!stored) return ABSENT;
  return out ?? object;
}

/** Elements of an identifier-merged array of a single release; the array itself when nothing changes. */
function compileElements(elements: JsonRecord[], node: RuleNode | undefined): unknown[] | typeof ABSENT {
  let out: unknown[] | undefined;
  const ids = elements.length > 1 ? new Set<string>() : undefined;
  for (let index = 0; index < elements.length; index += 1) {
    const element = elements[index]!;
    const hasId = Object.hasOwn(element, 'id');
    if (hasId && ids) {
      const key = idKey(element.id);
      if (ids.has(key) || ((key[0] === 's' || key[0] === 'n') && ids.has(twinKey(key)))) throw new DuplicateId();
      ids.add(key);
    }
    const compiled = compileFields(element, node, hasId);
    if (compiled === element && out === undefined) continue;
    out ??= elements.slice(0, index);
    if (compiled !== ABSENT) out.push(compiled);
  }
  if (out === undefined) return elements;
  return out.length === 0 ? ABSENT : out;
}

/** Sorts one process's releases by `date` (stable; ties keep input order), checking `ocid` and `date` (spec §11.2). */
function checkAndSort(releases: readonly JsonRecord[]): JsonRecord[] {
  if (releases.length === 0) return [];
  const ocid = releases[0]!.ocid;
  for (const release of releases) {
    if (!Object.hasOwn(release, 'ocid') || release.ocid === null || release.ocid === undefined) throw new MergeError('missing_ocid', 'The `ocid` field of at least one release is missing.');
    if (release.ocid !== ocid) throw new MergeError('mixed_ocid', `releases of different processes (${JSON.stringify(ocid)} and ${JSON.stringify(release.ocid)}) cannot be merged into one`);
  }
  if (releases.length === 1) return [releases[0]!];
  for (const release of releases) {
    if (typeof release.date !== 'string') {
      throw new MergeError('missing_date', `release ${JSON.stringify(release.id ?? null)} of ${JSON.stringify(ocid)} has ${Object.hasOwn(release, 'date') ? `a ${release.date === null ? 'null' : 'non-string'} \`date\`` : 'no `date`'}; several releases are merged in date order`);
    }
  }
  const order = releases.map((release, index) => ({ release, index, date: release.date as string }));
  order.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index));
  return order.map((item) => item.release);
}

/**
 * Merges the releases of one contracting process (one `ocid`) into its
 * compiled release (`tag: ["compiled"]`, `id` `<ocid>-<date>` of the latest
 * release) or, with `versioned`, its versioned release. Releases are taken
 * in date order (stable); one release needs no date. Throws `MergeError` for
 * a missing `ocid`, a missing or non-string `date` among several releases,
 * mixed ocids, or a field that is a literal in one release and an object or
 * array in a later one (`type_conflict`).
 *
 * @example mergeReleases([r1, r2], { rules: mergeRulesFor('1.1') }).tender
 */
export function mergeReleases(releases: readonly JsonRecord[], options: MergeOptions): JsonRecord {
  const sorted = checkAndSort(releases);
  if (sorted.length === 1 && !options.versioned && !options.ruleOverrides) {
    try {
      return compileSingle(sorted[0]!, options.rules);
    } catch (error) {
      if (!(error instanceof DuplicateId)) throw error;
    }
  }
  let unique = 0;
  const rules = ruleTrie(options.rules);
  const root = newSlot(undefined, '');
  const order: Slot[] = [];
  const flattener = (store: Flattener['store']): Flattener => ({ rules, overrides: options.ruleOverrides, store, warn: options.onWarning, nextUnique: () => (unique += 1) });
  if (options.versioned) {
    const ocid = fieldSlot(root, 'ocid');
    for (const release of sorted) {
      const stamp = { releaseID: release.id ?? null, releaseDate: release.date ?? null, releaseTag: release.tag ?? null };
      if (!ocid.stored) {
        ocid.stored = true;
        ocid.value = release.ocid;
        order.push(ocid);
      }
      const store = (slot: Slot, value: unknown): void => {
        if (slot === ocid) return;
        const version: VersionedValue = { ...stamp, value };
        if (!slot.stored) {
          slot.stored = true;
          slot.value = [version];
          order.push(slot);
        } else {
          const history = slot.value as VersionedValue[];
          if (!jsonEqual(history[history.length - 1]!.value, value)) history.push(version);
        }
      };
      flattenObject(flattener(store), release, root, rules, true);
    }
    return unflatten(order);
  }
  const store = (slot: Slot, value: unknown): void => {
    if (!slot.stored) {
      slot.stored = true;
      order.push(slot);
    }
    slot.value = value;
  };
  store(fieldSlot(root, 'tag'), ['compiled']);
  const top = { id: fieldSlot(root, 'id'), date: fieldSlot(root, 'date'), ocid: fieldSlot(root, 'ocid') };
  for (const release of sorted) {
    const hasDate = Object.hasOwn(release, 'date') && release.date !== null;
    store(top.id, hasDate ? `${String(release.ocid)}-${String(release.date)}` : release.ocid);
    store(top.date, hasDate ? release.date : null);
    store(top.ocid, release.ocid);
    flattenObject(flattener(store), release, root, rules, true);
  }
  return unflatten(order);
}
