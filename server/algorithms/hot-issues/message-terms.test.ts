import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReader, extractTerms, ROLE_NAME, ROLE_PROBLEM } from './message-terms.ts';

test('an estate named with its suffix is a place; its words leave the problem', () => {
  const terms = extractTerms('投诉小区附近搅拌站噪音扰民', '我是A市暮云街道丽发新城的一名业主，小区边上建了个大型搅拌厂，白天晚上噪音很大。');
  assert.ok(terms.places.includes('丽发新城'), terms.places.join(','));
  assert.ok(terms.areas.includes('暮云街道'), 'a street is an area, not a place');
  assert.ok(terms.problem.has('搅拌站') && terms.problem.has('噪音'));
  for (const word of ['丽', '发', '新城', '暮云']) assert.ok(!terms.problem.has(word), `${word} is not a problem word`);
  assert.equal(terms.problem.get('搅拌站'), 2, 'a title word counts twice');
});

test('pseudonymised codes: A市 is dropped, A3区 is a district, a code glued to a name is part of it', () => {
  assert.deepEqual(extractTerms('A3区郝家坪小学什么时候能改扩建', '').areas, ['a3区']);
  const glued = extractTerms('A市五矿万境K9县房屋出现质量问题', '');
  assert.deepEqual(glued.areas, [], 'K9县 after a name is not a district');
  assert.ok(glued.names.some((name) => name.includes('k9县')), glued.names.join(','));
});

test('the generic tail of an estate is dropped and a number glued to a name is an identifier', () => {
  assert.ok(extractTerms('魅力之城小区临街门面油烟直排扰民', '').places.includes('魅力之城'));
  assert.ok(extractTerms('A市58车贷恶性退出案件为什么不发布案情进展通报', '').places.includes('58车贷'));
  assert.ok(!extractTerms('交房后10栋按揭办不下来', '').places.some((place) => place.startsWith('10')), 'a count is not an identifier');
});

test('a kind of place is not a place; common words before a suffix are not a name', () => {
  assert.deepEqual(extractTerms('何时发布普惠性幼儿园清单及收费标准', '').places, []);
  assert.deepEqual(extractTerms('我们小区门口的马路坑坑洼洼', '').places, []);
});

test('read marks roles per token and batches give the same reading as one by one', () => {
  const reader = createReader();
  const messages = [
    { title: '月亮岛路架设高压线', body: '坚决反对在A6区月亮岛路沿线架设110kv高压线。' },
    { title: '', body: '' },
    { title: '丽发新城道路坑坑洼洼', body: '丽发新城2期和3期中间的道路什么时候可以修好' },
  ];
  const batch = reader.readMany(messages);
  assert.equal(batch.length, 3);
  messages.forEach((message, k) => {
    const alone = reader.read(message.title, message.body);
    assert.deepEqual([...alone.tokens], [...batch[k]!.tokens]);
    assert.deepEqual([...alone.roles], [...batch[k]!.roles]);
    assert.equal(alone.titleTokens, batch[k]!.titleTokens);
  });
  const first = batch[0]!;
  const word = (i: number): string => reader.words[first.tokens[i]!]!;
  const roleOf = (text: string): number => first.roles[[...first.tokens].findIndex((_, i) => word(i) === text)]!;
  assert.equal(roleOf('高压线'), ROLE_PROBLEM);
  assert.equal(roleOf('月亮'), ROLE_NAME);
  assert.equal(batch[1]!.tokens.length, 0);
});

test('full-width letters and digits read as ASCII; a U+0001 in the text does not split a batch', () => {
  assert.deepEqual(extractTerms('Ａ３区的问题', '').areas, ['a3区']);
  const reader = createReader();
  assert.equal(reader.readMany([{ title: 'a\u0001b', body: 'c\u0001d' }, { title: '标题', body: '正文' }]).length, 2);
});
