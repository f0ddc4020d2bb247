import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { classifyMessage, evaluate, loadClassifier } from '../../../algorithms/text-classifier/index.ts';
import { DEFAULT_MODEL_FILE } from './default-model.ts';

const DEV = new URL('../../../../../shared/data/civic/teddy2020/messages-dev.jsonl', import.meta.url).pathname;

/**
 * What the shipped model must keep scoring on the dev split it was not
 * trained on. The target is 0.92; the model measures 0.916
 * (docs/classifier.md says why and what was tried), so this guards against
 * regressions below what was measured rather than asserting the target.
 */
const DEV_MACRO_F1_FLOOR = 0.91;

describe('the shipped default model', () => {
  const bytes = readFileSync(DEFAULT_MODEL_FILE);

  test('loads, with the seven level-1 labels of the shared data and the documented training facts', () => {
    const classifier = loadClassifier(bytes);
    assert.deepEqual(classifier.labels, ['城乡建设', '环境保护', '交通运输', '商贸旅游', '卫生计生', '教育文体', '劳动和社会保障']);
    assert.equal(classifier.training.seed, 1);
    assert.equal(classifier.training.examples, 7754);
    assert.ok(bytes.length < 5 * 2 ** 20, `${bytes.length} bytes`);
  });

  test(`scores macro-F1 ≥ ${DEV_MACRO_F1_FLOOR} on the dev split`, { skip: !existsSync(DEV) && 'needs ../shared/data/civic/teddy2020' }, () => {
    const classifier = loadClassifier(bytes);
    const rows = readFileSync(DEV, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { title: string; body: string; label: string });
    const scores = evaluate(
      rows.map((row) => row.label),
      rows.map((row) => classifyMessage(classifier, row).label),
      classifier.labels,
    );
    assert.equal(scores.n, 223);
    assert.ok(scores.macroF1 >= DEV_MACRO_F1_FLOOR, `dev macro-F1 ${scores.macroF1.toFixed(4)}`);
  });
});
