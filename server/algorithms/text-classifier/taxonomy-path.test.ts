import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTaxonomyCues, compilePathFinder, findPath } from './taxonomy-path.ts';

const ROWS = [
  ['城乡建设', '住房保障与房地产', '物业服务'],
  ['城乡建设', '住房保障与房地产', '其他'],
  ['城乡建设', '城乡规划', '违章建筑'],
  ['城乡建设', '其他', '其他'],
  ['环境保护', '环境污染', '噪音污染'],
  ['环境保护', '环境污染', '水污染'],
];

describe('taxonomy paths', () => {
  const cues = buildTaxonomyCues(ROWS, ['城乡建设', '环境保护']);
  const building = compilePathFinder(cues['城乡建设']);
  const environment = compilePathFinder(cues['环境保护']);

  test('cues come from names, their parts and typical wording; 其他 gets none', () => {
    assert.deepEqual(cues['城乡建设']!.map((cue) => cue.path.join('/')), ['住房保障与房地产', '住房保障与房地产/物业服务', '城乡规划', '城乡规划/违章建筑']);
    const property = cues['城乡建设']!.find((cue) => cue.path[1] === '物业服务')!;
    assert.ok(property.cues.includes('物业服务') && property.cues.includes('物业'));
    assert.ok(cues['城乡建设']!.find((cue) => cue.path[0] === '住房保障与房地产' && cue.path.length === 1)!.cues.includes('房地产'));
  });

  test('a cue in the title is enough for a three-level path', () => {
    assert.deepEqual(findPath(building, '小区物业不作为', '请领导关注'), ['住房保障与房地产', '物业服务']);
    assert.deepEqual(findPath(environment, '工厂噪音扰民', ''), ['环境污染', '噪音污染']);
  });

  test('one passing mention in the body is not', () => {
    assert.equal(findPath(building, '反映问题', '楼下有物业。'), undefined);
    assert.deepEqual(findPath(building, '反映问题', '楼顶违建一大片，违章搭建严重。'), ['城乡规划', '违章建筑']);
  });

  test('level 2 alone when only its own cues are there', () => {
    assert.deepEqual(findPath(building, '房地产市场', ''), ['住房保障与房地产']);
  });

  test('nothing without cues, and nothing for a label without a taxonomy', () => {
    assert.equal(findPath(environment, '你好', '请问怎么办'), undefined);
    assert.equal(findPath(compilePathFinder(undefined), '物业', '物业'), undefined);
  });
});
