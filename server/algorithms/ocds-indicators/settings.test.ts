import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SETTINGS_TEMPLATE } from './init-template.ts';
import { DEFAULT_SETTINGS, SettingsError, readSettings, splitPipeList } from './settings.ts';

test('no file: defaults and no indicator enabled', () => {
  assert.equal(DEFAULT_SETTINGS.R003, undefined);
  assert.deepEqual(DEFAULT_SETTINGS.noPriceComparisonProcurementMethods, []);
  assert.equal(DEFAULT_SETTINGS.defaults.partyRoles, false);
});

test('an empty section enables its indicator with the defaults', () => {
  const settings = readSettings('[R003]\n[R018]\n[R025]\n[R038]\n[R048]\n');
  assert.deepEqual(settings.R003, { threshold: 15, procurementMethods: [], procurementMethodDetails: new Map() });
  assert.deepEqual(settings.R018, { procurementMethods: ['open', 'selective'] });
  assert.deepEqual(settings.R025, { percentile: 75 });
  assert.deepEqual(settings.R038, { minimumSubmittedBids: 2, minimumContractingProcesses: 2 });
  assert.deepEqual(settings.R048, { digits: 2, minimumContractingProcesses: 20 });
});

test('dotted sections nest and merge in either order; a nested section alone enables its parent', () => {
  const settings = readSettings('[R003.procurement_method_details]\nx = 5\n\n[R003]\nthreshold = -3\n');
  assert.equal(settings.R003?.threshold, -3);
  assert.deepEqual([...settings.R003!.procurementMethodDetails], [['x', 5]]);
  assert.ok(readSettings('[R003.procurement_method_details]\ny = 10\n').R003);
});

test('top-level lists, comments, quotes, CRLF, colon separator and escapes', () => {
  const settings = readSettings('; comment\r\n# another\r\ncurrency: "USD"\r\nno_price_comparison_procurement_methods = a|b|\r\n[defaults]\r\nbid_status = va\\x006cid\r\n');
  assert.equal(settings.currency, 'USD');
  assert.deepEqual(settings.noPriceComparisonProcurementMethods, ['a', 'b']);
  assert.equal(settings.defaults.bidStatus, 'val' + 'id');
});

test('a repeated section replaces the first block', () => {
  const settings = readSettings('[R038]\nthreshold = 0.5\n[R038]\nminimum_submitted_bids = 3\n');
  assert.deepEqual(settings.R038, { minimumSubmittedBids: 3, minimumContractingProcesses: 2 });
});

test('pipe lists keep inner empty pieces and spaces, drop one trailing empty piece', () => {
  assert.deepEqual(splitPipeList('a|b'), ['a', 'b']);
  assert.deepEqual(splitPipeList('a|b|'), ['a', 'b']);
  assert.deepEqual(splitPipeList('a||b'), ['a', '', 'b']);
  assert.deepEqual(splitPipeList('|'), ['']);
  assert.deepEqual(splitPipeList(''), []);
  assert.deepEqual(splitPipeList('open | selective'), ['open ', ' selective']);
});

test('conversions: booleans and yes/no numbers, inf/nan decimals, unparseable redaction amounts ignored', () => {
  const settings = readSettings('[output]\ninfo_currency_mismatches = YES\n[R035]\nthreshold = on\n[R024]\nthreshold = inf\n[redactions]\namount = 0|x|1e3\n');
  assert.equal(settings.output.infoCurrencyMismatches, true);
  assert.equal(settings.R035?.threshold, 1);
  assert.equal(settings.R024?.threshold, Infinity);
  assert.deepEqual(settings.redactions.amount, [0, 1000]);
});

const rejects = (text: string, message: RegExp) => assert.throws(() => readSettings(text), (error: unknown) => error instanceof SettingsError && message.test(error.message));

test('unknown sections and keys are errors naming the dotted path', () => {
  rejects('[R055]\n', /^R055: unknown section/);
  rejects('[R003]\nfoo = 1\n', /^R003\.foo: unknown field `foo`/);
  rejects('[R028]\nthreshold = 1\n', /^R028\.threshold: unknown field/);
  rejects('[codelists.other]\n', /^codelists\.other: unknown field/);
  rejects('bogus = 1\n', /^bogus: unknown field/);
  rejects('[R018.x]\n', /^R018\.x: unknown field/);
});

test('bad numbers and booleans are errors; inline comments are not supported', () => {
  rejects('[R003]\nthreshold = 15 # default\n', /^R003\.threshold: "15 # default" is not an integer/);
  rejects('[R025]\npercentile = -1\n', /^R025\.percentile: .* non-negative/);
  rejects('[R024]\nthreshold = abc\n', /^R024\.threshold: "abc" is not a number/);
  rejects('[defaults]\nparty_roles = maybe\n', /^defaults\.party_roles: .* not a boolean/);
  rejects('[R003.procurement_method_details]\nx = five\n', /^R003\.procurement_method_details\.x:/);
  rejects('[R003] ; comment\n', /section header/);
  rejects('[R003]\njust a line\n', /key = value/);
});

test('the init template reads back and enables every indicator', () => {
  const settings = readSettings(SETTINGS_TEMPLATE);
  for (const code of ['R003', 'R018', 'R024', 'R025', 'R028', 'R030', 'R035', 'R036', 'R038', 'R044', 'R048', 'R058'] as const) assert.ok(settings[code], code);
  assert.equal(settings.R003?.threshold, 15);
  assert.equal(settings.currency, undefined);
});
