import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MergeError, buildReleasePackage, mergeReleases, mergeRulesFor, rulesFromSchema, type JsonRecord, type MergeRules } from './index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/data/ocds/ocds-merge/tests/fixtures');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
const releases = (file: string) => read(file) as JsonRecord[];

/** Cases of a folder: NAME.json with NAME-compiled.json and/or NAME-versioned.json next to it. */
function cases(folder: string): { name: string; compiled: boolean; versioned: boolean }[] {
  const files = new Set(readdirSync(path.join(FIXTURES, folder)));
  return [...files]
    .filter((file) => file.endsWith('.json') && !/-(compiled|versioned)\.json$/.test(file))
    .map((file) => file.slice(0, -'.json'.length))
    .filter((name) => files.has(`${name}-compiled.json`) || files.has(`${name}-versioned.json`))
    .map((name) => ({ name, compiled: files.has(`${name}-compiled.json`), versioned: files.has(`${name}-versioned.json`) }));
}

describe('ocds-merge reference fixtures (merge routine)', () => {
  const folders: [string, MergeRules][] = [
    ['1.1', mergeRulesFor('1.1')],
    ['1.0', mergeRulesFor('1.0')],
    ['schema', rulesFromSchema(read('schema.json'))],
  ];
  for (const [folder, rules] of folders) {
    for (const { name, compiled, versioned } of cases(folder)) {
      if (compiled) {
        test(`${folder}/${name} compiled`, () => {
          const result = mergeReleases(releases(`${folder}/${name}.json`), { rules });
          assert.deepEqual(result, read(`${folder}/${name}-compiled.json`));
          assert.deepEqual(Object.keys(result), Object.keys(read(`${folder}/${name}-compiled.json`) as JsonRecord));
        });
      }
      if (versioned) {
        test(`${folder}/${name} versioned`, () => {
          assert.deepEqual(mergeReleases(releases(`${folder}/${name}.json`), { rules, versioned: true }), read(`${folder}/${name}-versioned.json`));
        });
      }
    }
  }

  test('rule overrides: append and merge by position (the same releases twice)', () => {
    const rules = rulesFromSchema(read('schema.json'));
    const twice = (file: string) => [...releases(file), ...releases(file)];
    const overrides = (override: 'append' | 'mergeByPosition') => new Map([['nested/array', override]]);
    assert.deepEqual(mergeReleases(twice('schema/identifier-merge-duplicate-id.json'), { rules, ruleOverrides: overrides('append') }), read('schema/identifier-merge-duplicate-id-append.json'));
    assert.deepEqual(mergeReleases(twice('schema/identifier-merge-duplicate-id.json'), { rules, ruleOverrides: overrides('mergeByPosition') }), read('schema/identifier-merge-duplicate-id-by-position.json'));
    assert.deepEqual(mergeReleases(twice('schema/identifier-merge-no-id.json'), { rules, ruleOverrides: overrides('append') }), read('schema/identifier-merge-no-id-append.json'));
  });

  test('the built-in rules are those of the release schemas (1.1.4 plus bids; 1.0.3)', () => {
    const bids = ['bids/details/tenderers/additionalIdentifiers', 'bids/details/items/additionalClassifications'];
    const builtIn11 = [...mergeRulesFor('1.1')].filter(([rulePath]) => !bids.includes(rulePath));
    assert.deepEqual(new Map(builtIn11), rulesFromSchema(read('release-schema-1__1__4.json')));
    assert.deepEqual(mergeRulesFor('1.0'), rulesFromSchema(read('release-schema-1__0__3.json')));
  });
});

describe('merge rules', () => {
  const rules = mergeRulesFor('1.1');
  const release = (id: string, date: string, rest: JsonRecord): JsonRecord => ({ ocid: 'ocds-x-1', id, date, tag: ['tender'], ...rest });

  test('ties on date keep input order; the compiled id and date come from the latest release', () => {
    const merged = mergeReleases([release('b', '2020-01-02', { title: 'second' }), release('a', '2020-01-01', { title: 'first' }), release('c', '2020-01-02', { title: 'third' })], { rules });
    assert.deepEqual(merged, { tag: ['compiled'], id: 'ocds-x-1-2020-01-02', date: '2020-01-02', ocid: 'ocds-x-1', title: 'third' });
  });

  test('identifier merge matches ids by JSON type and value (warning on mixed types); elements without id are appended', () => {
    const warnings: string[] = [];
    const merged = mergeReleases([release('a', '2020-01-01', { awards: [{ id: 1, title: 'number' }, { title: 'no id' }] }), release('b', '2020-01-02', { awards: [{ id: '1', title: 'string' }, { id: 1, status: 'active' }, { title: 'no id' }] })], { rules, onWarning: (message) => warnings.push(message) });
    assert.deepEqual(merged.awards, [{ id: 1, title: 'number', status: 'active' }, { title: 'no id' }, { id: '1', title: 'string' }, { title: 'no id' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /"1" and 1 in the `awards` array are different elements/);
    const single: string[] = [];
    assert.equal((mergeReleases([release('a', '2020-01-01', { awards: [{ id: 2 }, { id: '2' }] })], { rules, onWarning: (message) => single.push(message) }).awards as unknown[]).length, 2);
    assert.equal(single.length, 1);
  });

  test('null removes a field but not what earlier releases put below it; empty objects and arrays change nothing', () => {
    const merged = mergeReleases([release('a', '2020-01-01', { tender: { value: { amount: 1 } }, awards: [{ id: 'x' }], planning: { budget: { id: 'b' } } }), release('b', '2020-01-02', { tender: { value: null }, awards: [], planning: {} })], { rules });
    assert.deepEqual(merged.tender, { value: { amount: 1 } });
    assert.deepEqual(merged.awards, [{ id: 'x' }]);
    assert.deepEqual(merged.planning, { budget: { id: 'b' } });
  });

  test('whole lists are replaced, an empty whole list empties it; duplicate ids in one release collapse with a warning', () => {
    const warnings: string[] = [];
    const merged = mergeReleases([release('a', '2020-01-01', { parties: [{ id: 'p', roles: ['buyer', 'payer'] }] }), release('b', '2020-01-02', { parties: [{ id: 'p', roles: [] }, { id: 'p', name: 'Buyer' }] })], { rules, onWarning: (message) => warnings.push(message) });
    assert.deepEqual(merged.parties, [{ id: 'p', roles: [], name: 'Buyer' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /parties/);
  });

  test('1.0 merges suppliers as a whole list, 1.1 by id', () => {
    const input = [release('a', '2020-01-01', { awards: [{ id: 'A', suppliers: [{ id: 's1' }] }] }), release('b', '2020-01-02', { awards: [{ id: 'A', suppliers: [{ id: 's2' }] }] })];
    assert.deepEqual((mergeReleases(input, { rules: mergeRulesFor('1.0') }).awards as JsonRecord[])[0]!.suppliers, [{ id: 's2' }]);
    assert.deepEqual((mergeReleases(input, { rules }).awards as JsonRecord[])[0]!.suppliers, [{ id: 's1' }, { id: 's2' }]);
  });

  test('versioned: histories only grow when the value changes; ids of array elements are plain', () => {
    const merged = mergeReleases([release('a', '2020-01-01', { tender: { status: 'active', items: [{ id: 'i', quantity: 1 }] } }), release('b', '2020-01-02', { tender: { status: 'active', items: [{ id: 'i', quantity: 2.0 }] } })], { rules, versioned: true });
    const tender = merged.tender as JsonRecord;
    assert.equal((tender.status as unknown[]).length, 1);
    assert.deepEqual((tender.items as JsonRecord[])[0]!.id, 'i');
    assert.deepEqual(((tender.items as JsonRecord[])[0]!.quantity as JsonRecord[]).map((entry) => entry.value), [1, 2]);
    assert.deepEqual(Object.keys(merged), ['ocid', 'tender']);
  });

  test('__proto__ is kept as an ordinary field', () => {
    const merged = mergeReleases([JSON.parse('{"ocid":"o","id":"1","date":"d","tender":{"__proto__":{"polluted":true}}}') as JsonRecord], { rules });
    assert.deepEqual(Object.keys(merged.tender as object), ['__proto__']);
    assert.equal(({} as JsonRecord).polluted, undefined);
    assert.equal(JSON.stringify(merged.tender), '{"__proto__":{"polluted":true}}');
  });

  test('bad groups: missing ocid, missing or non-string date among several, literal then object', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof MergeError);
        return error.code;
      }
      return 'none';
    };
    assert.equal(code(() => mergeReleases([{ id: '1', date: 'd' }], { rules })), 'missing_ocid');
    assert.equal(code(() => mergeReleases([{ ocid: 'o', id: '1', date: 'd' }, { ocid: 'o', id: '2' }], { rules })), 'missing_date');
    assert.equal(code(() => mergeReleases([{ ocid: 'o', id: '1', date: 'd' }, { ocid: 'o', id: '2', date: null }], { rules })), 'missing_date');
    assert.equal(code(() => mergeReleases([{ ocid: 'o', id: '1' }], { rules })), 'none');
    assert.equal(code(() => mergeReleases([{ ocid: 'o', id: '1', date: '1', tender: 'x' }, { ocid: 'o', id: '2', date: '2', tender: { id: 't' } }], { rules })), 'type_conflict');
  });
});

describe('single-release fast path', () => {
  const SAMPLES = path.resolve(import.meta.dirname, '../../../../shared/data/ocds/sample-data/real-examples');
  const samples = (): JsonRecord[] => {
    const found: JsonRecord[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.json')) {
          const text = readFileSync(full, 'utf8');
          if (text.trim() === '') continue;
          const value = JSON.parse(text) as JsonRecord;
          if (Array.isArray(value.releases)) found.push(...(value.releases as JsonRecord[]).filter((release) => release !== null && typeof release.ocid === 'string'));
          else if (Array.isArray(value.records)) {
            for (const record of value.records as JsonRecord[]) if (record.compiledRelease) found.push(record.compiledRelease as JsonRecord);
          } else if (typeof value.ocid === 'string') found.push(value);
        }
      }
    };
    walk(SAMPLES);
    return found;
  };

  test('gives what flattening and rebuilding gives, on every shared real release, with 1.0 and 1.1 rules', () => {
    const releases = samples();
    assert.ok(releases.length > 800);
    for (const version of ['1.0', '1.1'] as const) {
      const rules = mergeRulesFor(version);
      for (const release of releases) {
        const fast = mergeReleases([release], { rules });
        const general = mergeReleases([release], { rules, ruleOverrides: new Map() });
        assert.equal(JSON.stringify(fast), JSON.stringify(general), `${version} ${String(release.ocid)}`);
      }
    }
  });

  test('nulls, empty objects and arrays, elements without id, a null id, duplicate ids: same as the general path, key order included', () => {
    const rules = mergeRulesFor('1.1');
    const release: JsonRecord = { ocid: 'o', id: '1', date: 'd', tag: ['t'], a: { b: null }, c: {}, e: [], f: [{}, { id: null }, { x: null }, { id: 2, y: {} }], g: [{ id: 1, v: 1 }, { id: 1, w: 2 }], parties: [{ id: 'p', roles: [] }], title: null };
    const fast = mergeReleases([release], { rules });
    assert.equal(JSON.stringify(fast), JSON.stringify(mergeReleases([release], { rules, ruleOverrides: new Map() })));
    assert.deepEqual(fast.g, [{ id: 1, v: 1, w: 2 }]);
  });
});

describe('buildReleasePackage', () => {
  test('an OCDS 1.1 release package, keys in schema order, absent metadata left out', () => {
    const built = buildReleasePackage([{ ocid: 'o', id: 'o-1', date: '2026-01-01T00:00:00Z', tag: ['compiled'] }], { uri: 'https://example.org/p/1.json', publishedDate: '2026-12-01T00:00:00Z', publisher: { name: '青岛市', uri: 'https://example.org' }, license: 'https://creativecommons.org/licenses/by/4.0/' });
    assert.deepEqual(Object.keys(built), ['uri', 'version', 'publishedDate', 'publisher', 'license', 'releases']);
    assert.equal(built.version, '1.1');
    assert.deepEqual(built.publisher, { name: '青岛市', uri: 'https://example.org' });
    assert.equal(built.releases.length, 1);
  });
});
