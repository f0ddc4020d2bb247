import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LABEL_SAMPLE, pickLabelSample } from './label-sample.ts';

test('the sample is stratified by reply length, split into tuning and held-out parts, and reproducible', () => {
  const rows = Array.from({ length: 500 }, (_, index) => ({
    id: 1000 + index,
    reply: 'x'.repeat(1 + ((index * 37) % 500)),
  }));
  const sample = pickLabelSample(rows, LABEL_SAMPLE);
  assert.equal(sample.length, 120);
  assert.equal(new Set(sample.map((row) => row.id)).size, 120);
  for (let stratum = 0; stratum < 5; stratum += 1) {
    const band = sample.filter((row) => row.stratum === stratum);
    assert.equal(band.filter((row) => row.split === 'tune').length, 8);
    assert.equal(band.filter((row) => row.split === 'test').length, 16);
  }
  // Stratum 0 holds the shortest fifth of the replies.
  const length = new Map(rows.map((row) => [row.id, row.reply.length]));
  assert.ok(sample.filter((row) => row.stratum === 0).every((row) => length.get(row.id)! <= 100));
  assert.deepEqual(pickLabelSample([...rows].reverse(), LABEL_SAMPLE), sample);
});
