import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indicatorCounts, indicatorOutput, parseRfc3339, runIndicators } from './indicators.ts';
import { readSettings } from './settings.ts';

const tenderer = (id: string, extra: Record<string, unknown>) => ({ id, roles: ['tenderer'], ...extra });

test('R044: tenderers sharing an address (street key present) or the first common contact field', () => {
  const releases = [
    { ocid: 'F1', parties: [tenderer('A', { address: { streetAddress: ' 1 Main St ', locality: 'X' } }), tenderer('B', { address: { streetAddress: '1 main st', locality: 'x' } })] },
    { ocid: 'F3', parties: [tenderer('C', { contactPoint: { name: 'Li', email: 'a@x' } }), tenderer('D', { contactPoint: { name: 'Li', email: 'b@x' } })] },
    { ocid: 'country only', parties: [tenderer('E', { address: { countryName: 'CN' } }), tenderer('G', { address: { countryName: 'CN' } })] },
    { ocid: 'names differ', parties: [tenderer('H', { contactPoint: { name: 'A', email: 'same' } }), tenderer('I', { contactPoint: { name: 'B', email: 'same' } })] },
    { ocid: 'not tenderers', parties: [{ id: 'J', roles: ['buyer'], address: { streetAddress: 'x' } }, tenderer('K', { address: { streetAddress: 'x' } })] },
  ];
  const result = runIndicators(releases, readSettings('[R044]'));
  assert.deepEqual(JSON.parse(indicatorOutput(result, { meta: false })), {
    OCID: { F1: { R044: 1 }, F3: { R044: 1 } },
    Tenderer: { A: { R044: 1 }, B: { R044: 1 }, C: { R044: 1 }, D: { R044: 1 } },
  });
  const why = result.explanations.find((flag) => flag.group === 'Tenderer' && flag.id === 'A')!;
  assert.deepEqual(why.details, { similarTo: 'B', on: 'address', ocid: 'F1' });
});

test('R003 explanation carries the measured days and the threshold; RFC 3339 strictness', () => {
  const release = { ocid: 'P', tender: { procurementMethodDetails: 'urgent', tenderPeriod: { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-15T23:59:59.5+00:00' } } };
  const result = runIndicators([release], readSettings('[R003]\n[R003.procurement_method_details]\nurgent = 10\n'));
  assert.deepEqual(result.results.get('OCID'), undefined);
  const flagged = runIndicators([release], readSettings('[R003]'));
  const [why] = flagged.explanations;
  assert.equal(why!.measured, 14);
  assert.deepEqual(why!.rule, { comparison: '<', threshold: 15, source: 'setting' });
  assert.equal(parseRfc3339('2024-01-01'), undefined);
  assert.equal(parseRfc3339('2024-01-01T00:00:00'), undefined);
  assert.equal(parseRfc3339('2024-01-01T00:00:00+0100'), undefined);
  assert.equal(parseRfc3339('2024-02-30T00:00:00Z'), undefined);
  assert.deepEqual(parseRfc3339('1970-01-02 00:00:60\u221201:00'), { seconds: 86_400 + 60 + 3600, nanos: 0 });
});

test('aggregate flags carry the peer quartiles and the fence; Meta and --count', () => {
  const bid = (id: string, amount: number, status = 'valid') => ({ status, tenderers: [{ id }], value: { amount, currency: 'USD' } });
  const process = (ocid: string, winner: number, runnerUp: number) => ({
    ocid,
    awards: [{ status: 'active', suppliers: [{ id: 'W' }] }],
    bids: { details: [bid('W', winner), bid('L', runnerUp)] },
  });
  const releases = [process('F', 100, 100), process('0', 100, 200), process('1', 100, 200), process('2', 100, 200), process('3', 100, 200)];
  const result = runIndicators(releases, readSettings('[R024]'));
  assert.deepEqual(JSON.parse(indicatorOutput(result)), {
    OCID: { F: { R024: 0 } },
    Tenderer: { W: { R024: 0 }, L: { R024: 0 } },
    Meta: { R024: { q1: 0.6667, q3: 1, lower_fence: 0.1667 } },
  });
  const why = result.explanations.find((flag) => flag.group === 'OCID')!;
  assert.equal(why.rule?.source, 'fence');
  assert.equal(why.peers?.count, 5);
  assert.deepEqual(indicatorCounts(result), ['OCID: 1', 'Tenderer: 2']);
});

test('main currency: the first bid reaching a currency test; other currencies are logged and skipped', () => {
  const logs: string[] = [];
  const release = {
    ocid: 'X',
    awards: [{ status: 'active', suppliers: [{ id: 'W' }] }],
    bids: { details: [{ status: 'disqualified', tenderers: [{ id: 'D' }], value: { amount: 5, currency: 'CNY' } }, { status: 'valid', tenderers: [{ id: 'W' }], value: { amount: 9, currency: 'USD' } }] },
  };
  const result = runIndicators([release], readSettings('[R036]'), { log: (level, message) => logs.push(`${level} ${message}`) });
  assert.deepEqual(logs, ['warn USD is not Some("CNY"), skipping.']);
  assert.equal(result.results.size, 0);
  const usd = runIndicators([release], readSettings('currency = USD\n[output]\ninfo_currency_mismatches = true\n[R036]'), { log: (level, message) => logs.push(`${level} ${message}`) });
  assert.equal(usd.results.size, 0);
  assert.equal(logs.at(-1), 'info CNY is not Some("USD"), skipping.');
});

test('the release filter: non-objects, missing ocid, cancelled tenders and excluded methods take no part', () => {
  const release = (ocid: unknown, tender: Record<string, unknown>) => ({ ocid, tender: { procurementMethod: 'open', numberOfTenderers: 1, ...tender } });
  const releases = [null, [1], 'x', release(1, {}), release('cancelled', { status: 'cancelled' }), release('EXC', { procurementMethodDetails: 'EXC' }), release('F', {})];
  const result = runIndicators(releases, readSettings('[exclusions]\nprocurement_method_details = EXC\n[R018]'));
  assert.deepEqual(JSON.parse(indicatorOutput(result, { meta: false })), { OCID: { F: { R018: 1 } } });
});

test('--map lists the organisations behind flags per ocid', () => {
  const release = {
    ocid: 'M',
    buyer: { id: 'B' },
    tender: { procuringEntity: { id: 'P' } },
    bids: { details: [{ status: 'disqualified', tenderers: [{ id: 'D' }] }, { status: 'valid', tenderers: [{ id: 'V' }] }, { status: 'invited', tenderers: [{ id: 'I' }] }] },
  };
  const output = JSON.parse(indicatorOutput(runIndicators([release], readSettings('[R038]')), { map: true }));
  assert.deepEqual(output.Maps.ocid_buyer_r038, { M: 'B' });
  assert.deepEqual(output.Maps.ocid_procuringentity_r038, { M: 'P' });
  assert.deepEqual(output.Maps.ocid_tenderer, { M: ['D', 'V'] });
  assert.deepEqual(output.Maps.ocid_tenderer_r024, {});
  assert.deepEqual(output.Buyer, { B: { R038: 0.5 } });
  assert.deepEqual(output.Meta.R038, { Buyer_q1: 0.5, Buyer_q3: 0.5, Buyer_upper_fence: 0.5, ProcuringEntity_q1: 0.5, ProcuringEntity_q3: 0.5, ProcuringEntity_upper_fence: 0.5 });
});
