import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { createLexicon, parseDictionary, type Lexicon } from './lexicon.ts';
import { Segmenter, segmentWords } from './segment.ts';

/** A few stop words, as the classifier marks them. */
const STOP_WORDS = new Set(['我们', '的', '了']);

const TRAIN = new URL('../../../../shared/data/civic/teddy2020/messages-train.jsonl', import.meta.url).pathname;

let lexicon: Lexicon;
let jieba: Jieba;
before(() => {
  lexicon = createLexicon(parseDictionary(dict), STOP_WORDS);
  jieba = Jieba.withDict(dict);
});

/** jieba's own tokens, without the separators our segmenter never emits. */
function jiebaWords(text: string): string[] {
  return jieba.cut(text, false).filter((word) => /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9+#&._%\-\ud800-\udfff]+$/.test(word));
}

describe('segmentation', () => {
  test('agrees with @node-rs/jieba precise mode without HMM on everyday messages', () => {
    for (const text of ['A市A2区景蓉华苑物业管理有问题', '小区门口的路灯坏了三个月，请尽快维修！', '我在A市的养老保险半年一交，为什么没有购房资格？', '4S店乱收费，AA制也不行']) {
      assert.deepEqual(segmentWords(lexicon, text), jiebaWords(text), text);
    }
  });

  test('agrees with jieba on the shared training messages (ASCII-only texts; full-width forms are folded on purpose)', { skip: !existsSync(TRAIN) && 'needs ../shared/data/civic/teddy2020' }, () => {
    const rows = readFileSync(TRAIN, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { title: string; body: string });
    let compared = 0;
    for (const { title, body } of rows) {
      const text = `${title}\n${body}`;
      if (/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff05\uff0b\uff0d\uff03\uff06\uff3f]/.test(text)) continue;
      assert.deepEqual(segmentWords(lexicon, text), jiebaWords(text), title);
      compared++;
    }
    assert.ok(compared > 1000, `compared only ${compared} messages`);
  });

  test('folds full-width forms and glues single letters and digits like jieba', () => {
    assert.deepEqual(segmentWords(lexicon, 'Ａ１区２０１９年'), segmentWords(lexicon, 'A1区2019年'));
    assert.deepEqual(segmentWords(lexicon, 'A1区'), ['A1', '区']);
  });

  test('marks stop words and skips punctuation and spaces', () => {
    const segmenter = new Segmenter(lexicon);
    const count = segmenter.segment('我们的路灯，坏了！');
    const tokens = Array.from({ length: count }, (_, i) => [segmenter.token(i), segmenter.isStop(i)]);
    assert.deepEqual(tokens, [
      ['我们', true],
      ['的', true],
      ['路灯', false],
      ['坏', false],
      ['了', true],
    ]);
  });

  test('a lexicon that is part of a dictionary segments the same given the dictionary total', () => {
    const text = '反映A7县春华镇金鼎村水泥路、自来水到户的问题';
    const words = new Set(segmentWords(lexicon, text));
    const part = createLexicon(
      lexicon.words.flatMap((word, id) => (words.has(word) ? [{ word, frequency: Math.round(Math.exp(lexicon.logProbability[id]!) * lexicon.total) }] : [])),
      STOP_WORDS,
      lexicon.total,
    );
    assert.deepEqual(segmentWords(part, text), segmentWords(lexicon, text));
  });

  test('empty, separator-only and very long texts', () => {
    assert.deepEqual(segmentWords(lexicon, ''), []);
    assert.deepEqual(segmentWords(lexicon, '，。！？ \n\t'), []);
    assert.equal(segmentWords(lexicon, '路灯坏了'.repeat(5000)).length, 15000);
  });
});
