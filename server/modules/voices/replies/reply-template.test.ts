import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseTemplates, fillTemplate, type PlaceholderValues, type ReplyTemplate } from './reply-template.ts';

let nextId = 1;
const template = (overrides: Partial<ReplyTemplate>): ReplyTemplate => ({
  id: nextId++,
  categoryPathPrefix: null,
  kind: null,
  departmentId: null,
  title: '模板',
  body: '正文',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  createdBy: null,
  retiredAt: null,
  replacesId: null,
  ...overrides,
});

const target = { categoryPath: '城乡建设/住房管理/物业管理', kind: 'complaint' as const, departmentId: 7 };

test('templates fit by category prefix (segment by segment), kind and department; retired ones never', () => {
  const any = template({ title: 'any' });
  const area = template({ categoryPathPrefix: '城乡建设', title: 'area' });
  const exact = template({ categoryPathPrefix: '城乡建设/住房管理/物业管理', title: 'exact' });
  const partialName = template({ categoryPathPrefix: '城乡建设/住房', title: 'partial name' });
  const otherArea = template({ categoryPathPrefix: '交通运输', title: 'other area' });
  const suggestion = template({ kind: 'suggestion', title: 'suggestion' });
  const otherDepartment = template({ departmentId: 8, title: 'other department' });
  const retired = template({
    categoryPathPrefix: '城乡建设/住房管理/物业管理',
    retiredAt: new Date(),
    title: 'retired',
  });
  const chosen = chooseTemplates(
    [any, area, exact, partialName, otherArea, suggestion, otherDepartment, retired],
    target,
  );
  assert.deepEqual(
    chosen.map((entry) => entry.title),
    ['exact', 'area', 'any'],
  );
});

test('among equally deep prefixes: the case’s kind first, then the department’s own, then the newest', () => {
  const cityAny = template({ categoryPathPrefix: '城乡建设', title: 'city, any kind' });
  const cityComplaint = template({ categoryPathPrefix: '城乡建设', kind: 'complaint', title: 'city, complaint' });
  const ownAny = template({ categoryPathPrefix: '城乡建设', departmentId: 7, title: 'own, any kind' });
  const ownComplaint = template({
    categoryPathPrefix: '城乡建设',
    kind: 'complaint',
    departmentId: 7,
    title: 'own, complaint',
  });
  const newerCityAny = template({ categoryPathPrefix: '城乡建设', title: 'city, any kind, newer' });
  const chosen = chooseTemplates([cityAny, ownAny, cityComplaint, newerCityAny, ownComplaint], target);
  assert.deepEqual(
    chosen.map((entry) => entry.title),
    ['own, complaint', 'city, complaint', 'own, any kind', 'city, any kind, newer', 'city, any kind'],
  );
});

test('a case without a category or department gets only templates for every category, the city’s', () => {
  const any = template({ title: 'any' });
  const area = template({ categoryPathPrefix: '城乡建设', title: 'area' });
  const own = template({ departmentId: 7, title: 'own' });
  assert.deepEqual(
    chooseTemplates([any, area, own], { categoryPath: null, kind: 'complaint', departmentId: null }).map(
      (entry) => entry.title,
    ),
    ['any'],
  );
});

const values: PlaceholderValues = {
  caseNumber: '2026-000123',
  caseTitle: '小区路灯不亮',
  categoryPath: '城乡建设/城市建设和市政管理/路灯',
  acceptedAt: new Date('2026-03-04T17:30:00Z'), // 5 March in China
  department: '市住房和城乡建设局',
  departmentEn: 'City Housing Bureau',
  salutation: null,
  now: new Date('2026-03-10T02:00:00Z'),
};

test('Chinese and English placeholders are filled with Chinese and English values', () => {
  const zh = fillTemplate(
    '尊敬的{诉求人称呼}：您于{受理日期}反映的“{诉求标题}”（{案件编号}，{诉求类别}）由{承办单位}办理，{答复日期}答复如下。',
    values,
  );
  assert.equal(
    zh.text,
    '尊敬的市民朋友：您于2026年3月5日反映的“小区路灯不亮”（2026-000123，路灯）由市住房和城乡建设局办理，2026年3月10日答复如下。',
  );
  assert.deepEqual(zh.unfilled, []);
  const en = fillTemplate(
    'Dear {salutation}, case {case_number} of {accepted_date} ({category}) is handled by {department}; replied {reply_date}.',
    values,
  );
  assert.equal(
    en.text,
    'Dear resident, case 2026-000123 of 2026-03-05 (路灯) is handled by City Housing Bureau; replied 2026-03-10.',
  );
});

test('the salutation is the name given only when the caller passes it; unknown or empty placeholders stay and are listed', () => {
  assert.equal(fillTemplate('{诉求人称呼}您好', { ...values, salutation: '张女士' }).text, '张女士您好');
  const filled = fillTemplate('{承办单位}：{诉求类别}，{联系电话}，{联系电话}，{ 空格 }', {
    ...values,
    department: null,
    departmentEn: null,
    categoryPath: null,
  });
  assert.equal(filled.text, '{承办单位}：{诉求类别}，{联系电话}，{联系电话}，{ 空格 }');
  assert.deepEqual(filled.unfilled, ['{承办单位}', '{诉求类别}', '{联系电话}']);
});
