// Quality of the masker on real data: the shared corpus of citizen messages
// and government replies (already partly anonymised by its publishers), and
// the hand-labelled sentences of mask.fixtures.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isResidentIdNumber } from './checksums.ts';
import { MASK_FIXTURES, readCorpusTexts, TEDDY_CORPUS_DIR } from './mask.fixtures.ts';
import { maskPersonalData, PERSONAL_DATA_KINDS, type PersonalDataKind } from './index.ts';
import { toAscii } from './personal-data.ts';

const CORPUS_FILES = ['replies.jsonl', 'messages-train.jsonl'];

/**
 * What must never survive masking, written independently of the detectors
 * and looser than them (a mobile split by spaces or dashes, a plate with any
 * separator but a bracket and a single digit), so that a detector's own blind
 * spot shows up here. (The bracket is left out for map approval numbers such
 * as 审图号：楚S（2009）022号.)
 */
const LEFTOVERS: Record<string, (ascii: string) => string[]> = {
  mobile: (ascii) => ascii.match(/(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g) ?? [],
  id_number: (ascii) => (ascii.match(/(?<!\d)\d{17}[\dXx](?!\d)/g) ?? []).filter(isResidentIdNumber),
  email: (ascii) => ascii.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g) ?? [],
  plate: (ascii) =>
    (
      ascii.match(
        /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼楚][A-Za-z][^\p{Script=Han}\s()]?[A-Za-z0-9]{4,7}/gu,
      ) ?? []
    ).filter((plate) => /\d/.test(plate.slice(2))),
};

test('the hand-labelled sentences are masked exactly as labelled', () => {
  assert.ok(MASK_FIXTURES.length >= 60, 'about sixty sentences');
  const failures = MASK_FIXTURES.flatMap(({ text, expected, why }) => {
    const masked = maskPersonalData(text).text;
    return masked === expected ? [] : [`${why}\n  input:    ${text}\n  expected: ${expected}\n  got:      ${masked}`];
  });
  assert.deepEqual(failures, [], `${failures.length} of ${MASK_FIXTURES.length} sentences differ`);
  const untouched = MASK_FIXTURES.filter((fixture) => fixture.text === fixture.expected).length;
  assert.ok(untouched >= 25, 'traps make up a good share');
});

for (const file of CORPUS_FILES) {
  test(`no phone, identity number, e-mail or plate survives in ${file}`, (t) => {
    const texts = readCorpusTexts(file);
    if (!texts) return t.skip(`${TEDDY_CORPUS_DIR} is absent: corpus checks skipped`);

    const counts = Object.fromEntries(PERSONAL_DATA_KINDS.map((kind) => [kind, 0])) as Record<PersonalDataKind, number>;
    const leftovers: string[] = [];
    const started = performance.now();
    for (const { id, field, text } of texts) {
      const result = maskPersonalData(text);
      for (const found of result.found) counts[found.kind] += 1;
      const ascii = toAscii(result.text);
      for (const [kind, find] of Object.entries(LEFTOVERS)) {
        for (const leftover of find(ascii)) leftovers.push(`${id} ${field} ${kind}: ${leftover}`);
      }
    }
    const elapsed = Math.round(performance.now() - started);

    t.diagnostic(`${file}: ${texts.length} texts masked in ${elapsed} ms`);
    t.diagnostic(`found per kind: ${PERSONAL_DATA_KINDS.map((kind) => `${kind} ${counts[kind]}`).join(', ')}`);
    assert.deepEqual(leftovers, [], 'personal data left after masking');
  });
}
