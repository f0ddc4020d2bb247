import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRule, prefixCovers } from './routing.ts';
import type { RoutingRule } from '../cases/voices.ts';

let nextId = 1;
const rule = (categoryPathPrefix: string, departmentId: number, extra: Partial<RoutingRule> = {}): RoutingRule => ({
  id: nextId++,
  categoryPathPrefix,
  districtId: null,
  departmentId,
  coHandlerIds: [],
  priority: 0,
  createdAt: new Date(0),
  createdBy: null,
  retiredAt: null,
  replacesId: null,
  ...extra,
});

test('a prefix covers whole segments only', () => {
  assert.ok(prefixCovers('', '民政/社会救助'));
  assert.ok(prefixCovers('城乡建设', '城乡建设/安全生产/事故处理'));
  assert.ok(prefixCovers('城乡建设/安全生产', '城乡建设/安全生产'));
  assert.ok(!prefixCovers('城乡', '城乡建设/安全生产'));
});

test('longest prefix first, then the district over city-wide, then priority, then the newest; retired rules never', () => {
  const any = rule('', 1);
  const housing = rule('城乡建设', 2);
  const safety = rule('城乡建设/安全生产', 3);
  const eastHousing = rule('城乡建设', 4, { districtId: 7 });
  const urgentHousing = rule('城乡建设', 5, { priority: 10 });
  const retired = rule('城乡建设/安全生产/事故处理', 6, { retiredAt: new Date(0) });
  const rules = [any, housing, safety, eastHousing, urgentHousing, retired];
  assert.equal(chooseRule(rules, { categoryPath: '城乡建设/安全生产/事故处理', districtId: 7 })?.departmentId, 3);
  assert.equal(chooseRule(rules, { categoryPath: '城乡建设/城乡规划/其他', districtId: 7 })?.departmentId, 4);
  assert.equal(chooseRule(rules, { categoryPath: '城乡建设/城乡规划/其他', districtId: 8 })?.departmentId, 5);
  assert.equal(chooseRule(rules, { categoryPath: '民政', districtId: null })?.departmentId, 1);
  assert.equal(chooseRule([housing, rule('城乡建设', 9)], { categoryPath: '城乡建设', districtId: null })?.departmentId, 9);
  assert.equal(chooseRule([housing], { categoryPath: '民政', districtId: null }), undefined);
});
