import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { classifyMessage, inspectText, loadClassifier, predictLabel, type Classifier } from './classifier.ts';
import { HUGE_TEXT_CHARS } from './features.ts';
import { smallTrainingSet, TAXONOMY } from './test-fixtures.ts';
import { trainClassifier, TrainingDataError, type TrainedModel } from './train.ts';

let trained: TrainedModel;
let classifier: Classifier;
before(() => {
  trained = trainClassifier(smallTrainingSet(), { taxonomy: TAXONOMY, seed: 7, folds: 2 });
  classifier = trained.classifier;
});

describe('training', () => {
  test('is deterministic: the same examples and seed give byte-identical models', () => {
    const again = trainClassifier(smallTrainingSet(), { taxonomy: TAXONOMY, seed: 7, folds: 2 });
    assert.deepEqual(again.bytes, trained.bytes);
  });

  test('labels come from the data, in taxonomy order; the report says what was learned from', () => {
    assert.deepEqual(classifier.labels, ['城乡建设', '环境保护', '交通运输']);
    assert.equal(trained.report.examples, 36);
    assert.equal(trained.report.tokenisedExamples, 12);
    assert.equal(trained.report.crossValidation.heldOut, 'raw');
    assert.equal(trained.report.crossValidation.n, 24);
    assert.ok(trained.report.temperature > 0);
    assert.deepEqual(classifier.training.perLabel, { 城乡建设: 12, 环境保护: 12, 交通运输: 12 });
  });

  test('refuses a label that is not a level-1 category, naming the example', () => {
    const examples = [...smallTrainingSet(), { input: { title: '路灯', body: '坏了' }, label: '路灯' }];
    assert.throws(
      () => trainClassifier(examples, { taxonomy: TAXONOMY }),
      (error: unknown) => error instanceof TrainingDataError && error.index === 36 && /"路灯" is not a level-1 category/.test(error.message),
    );
    assert.throws(() => trainClassifier([], { taxonomy: TAXONOMY }), /no training examples/);
    assert.throws(() => trainClassifier(smallTrainingSet().slice(0, 12), { taxonomy: TAXONOMY }), /at least two labels/);
  });

  test('learns the phrases it was shown', () => {
    assert.equal(classifyMessage(classifier, { title: '物业不管事', body: '小区物业费乱涨，电梯经常停运' }).label, '城乡建设');
    assert.equal(classifyMessage(classifier, { title: '噪音扰民', body: '工厂夜间噪音扰民，还排放废气' }).label, '环境保护');
    assert.equal(classifyMessage(classifier, { title: '出租车拒载', body: '的士司机拒载绕路' }).label, '交通运输');
  });

  test('raw text and its stop-word-stripped tokens give the same prediction', () => {
    const raw = predictLabel(classifier, { title: '我们的出租车拒载', body: '' });
    const tokens = predictLabel(classifier, { tokens: ['出租车', '拒载'] });
    assert.equal(raw.label, tokens.label);
    assert.equal(raw.confidence, tokens.confidence);
  });

  test('a deeper path only with cue words for it', () => {
    const result = classifyMessage(classifier, { title: '网约车乱收费', body: '网约车司机乱收费' });
    assert.deepEqual(result.path, ['交通运输', '出租车管理', '网约车问题']);
    const vague = classifyMessage(classifier, { title: '投诉', body: '公交班次太少' });
    assert.equal(vague.path, undefined);
  });

  test('the model bytes load again into the same classifier', () => {
    const reloaded = loadClassifier(trained.bytes);
    const message = { title: '河水被污水染黑', body: '排污口直排河道' };
    assert.deepEqual(classifyMessage(reloaded, message), classifyMessage(classifier, message));
  });
});

describe('bad input', () => {
  test('empty text: the most common training label, its share as the confidence, and a warning', () => {
    const result = classifyMessage(classifier, { title: '', body: '  \n ' });
    assert.deepEqual(result, { label: '城乡建设', confidence: 1 / 3, warning: 'empty' });
  });

  test('binary data is not read as text', () => {
    const binary = String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 37) % 256));
    assert.deepEqual(classifyMessage(classifier, { title: '', body: binary }), { label: '城乡建设', confidence: 1 / 3, warning: 'binary' });
  });

  test('text with no word the model knows gets the prior, not a confident guess', () => {
    assert.deepEqual(classifyMessage(classifier, { title: '鹦鹉', body: '蝴蝶' }), { label: '城乡建设', confidence: 1 / 3 });
  });

  test('huge text is classified on its beginning and flagged', () => {
    const head = '工厂夜间噪音扰民，'.repeat(300);
    const result = classifyMessage(classifier, { title: '噪音', body: head + '出租车拒载绕路'.repeat(HUGE_TEXT_CHARS / 7) });
    assert.equal(result.warning, 'huge');
    assert.equal(result.label, '环境保护');
  });

  test('text without Chinese is classified on what there is, with a warning', () => {
    const result = classifyMessage(classifier, { title: 'Broken street light', body: 'Nobody fixed it for three months.' });
    assert.equal(result.warning, 'no-chinese');
    assert.ok(result.confidence >= 0 && result.confidence <= 1);
  });

  test('inspectText names each case', () => {
    assert.equal(inspectText('', ''), 'empty');
    assert.equal(inspectText('标题', '\u0000\u0001\u0002'), 'binary');
    assert.equal(inspectText('标题', '路'.repeat(HUGE_TEXT_CHARS)), 'huge');
    assert.equal(inspectText('title', 'body'), 'no-chinese');
    assert.equal(inspectText('路灯坏了', ''), undefined);
  });
});
