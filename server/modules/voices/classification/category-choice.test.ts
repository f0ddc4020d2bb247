import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseCategory, suggestionOf } from './category-choice.ts';

const known = new Set(['城乡建设', '城乡建设/住房管理', '城乡建设/住房管理/物业管理', '环境保护']);

test('a suggestion is the deepest predicted path the city has, or the level-1 label, or nothing', () => {
  assert.deepEqual(suggestionOf({ label: '城乡建设', confidence: 0.9, path: ['城乡建设', '住房管理', '物业管理'] }, 'm1', known), {
    categoryPath: '城乡建设/住房管理/物业管理',
    confidence: 0.9,
    model: 'm1',
  });
  assert.equal(suggestionOf({ label: '城乡建设', confidence: 0.9, path: ['城乡建设', '住房管理', '拆迁'] }, 'm1', known)?.categoryPath, '城乡建设/住房管理');
  assert.equal(suggestionOf({ label: '环境保护', confidence: 0.5 }, 'm1', known)?.categoryPath, '环境保护');
  // A path that does not start at the label is not trusted beyond the label.
  assert.equal(suggestionOf({ label: '环境保护', confidence: 0.5, path: ['城乡建设', '住房管理'] }, 'm1', known)?.categoryPath, '环境保护');
  assert.equal(suggestionOf({ label: '卫生计生', confidence: 0.99 }, 'm1', known), null);
});

test("the citizen's category stands; else a sure enough suggestion; else triage", () => {
  const sure = { categoryPath: '环境保护', confidence: 0.8, model: 'm1' };
  assert.deepEqual(chooseCategory('城乡建设', sure, 0.6), { path: '城乡建设', source: 'citizen' });
  assert.deepEqual(chooseCategory(null, sure, 0.6), { path: '环境保护', source: 'classifier' });
  assert.deepEqual(chooseCategory(null, sure, 0.8), { path: '环境保护', source: 'classifier' });
  assert.deepEqual(chooseCategory(null, sure, 0.81), { path: null, source: 'none' });
  assert.deepEqual(chooseCategory(null, null, 0), { path: null, source: 'none' });
});
