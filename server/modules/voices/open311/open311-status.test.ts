import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CASE_STATE_NAMES, CASE_STATES } from '../cases/case.ts';
import { statusNotes, toOpen311Request, toOpen311Status, type Open311CaseView } from './index.ts';

test('every non-terminal state is open; closed, merged and not_in_scope are closed', () => {
  const closed = CASE_STATE_NAMES.filter((state) => toOpen311Status(state) === 'closed');
  assert.deepEqual(closed, ['closed', 'merged', 'not_in_scope']);
  for (const state of CASE_STATE_NAMES) {
    assert.equal(toOpen311Status(state), CASE_STATES[state].terminal ? 'closed' : 'open', state);
  }
});

test('statusNotes explains every state in both languages', () => {
  for (const state of CASE_STATE_NAMES) {
    for (const lang of ['zh-CN', 'en'] as const) assert.ok(statusNotes(state, {}, lang).length > 0, `${state} ${lang}`);
  }
  assert.equal(
    statusNotes('merged', { mergedIntoRequestId: '1024' }, 'zh-CN'),
    '已并入诉求 1024，请查看该诉求的办理情况。',
  );
  assert.equal(
    statusNotes('merged', { mergedIntoRequestId: '1024' }, 'en'),
    'Merged into request 1024; follow that request.',
  );
  assert.equal(statusNotes('merged', {}, 'zh-CN'), '已并入其他诉求。');
  assert.equal(
    statusNotes('not_in_scope', { notInScopeReason: '属司法程序，请向法院反映' }, 'zh-CN'),
    '不予受理：属司法程序，请向法院反映',
  );
  assert.equal(
    statusNotes('not_in_scope', { notInScopeReason: 'A court matter' }, 'en'),
    'Not in scope: A court matter',
  );
  assert.equal(statusNotes('in_progress', { departmentName: '城管局' }, 'zh-CN'), '城管局正在办理。');
  assert.equal(statusNotes('in_progress', { departmentName: ' ' }, 'en'), 'Being handled.');
  assert.equal(statusNotes('closed', { replyText: '路灯已修复。' }, 'zh-CN'), '已办结：路灯已修复。');
  assert.equal(statusNotes('closed', {}, 'en'), 'Closed.');
});

const view: Open311CaseView = {
  serviceRequestId: '1024',
  state: 'in_progress',
  serviceCode: '001',
  serviceName: '路灯不亮',
  description: '人民路路灯不亮',
  departmentName: '城管局',
  requestedAt: new Date('2026-03-02T01:00:00Z'),
  updatedAt: new Date('2026-03-02T02:30:00Z'),
  closedAt: null,
  dueAt: new Date('2026-03-09T09:30:00Z'),
  lat: 31.2304,
  long: 121.4737,
};

test('toOpen311Request: department → agency_responsible, deadline → expected_datetime, +08:00 times', () => {
  assert.deepEqual(toOpen311Request(view, { offsetMinutes: 480, lang: 'zh-CN' }), {
    service_request_id: '1024',
    status: 'open',
    status_notes: '城管局正在办理。',
    service_name: '路灯不亮',
    service_code: '001',
    description: '人民路路灯不亮',
    agency_responsible: '城管局',
    service_notice: null,
    requested_datetime: '2026-03-02T09:00:00+08:00',
    updated_datetime: '2026-03-02T10:30:00+08:00',
    expected_datetime: '2026-03-09T17:30:00+08:00',
    address: null,
    address_id: null,
    zipcode: null,
    lat: 31.2304,
    long: 121.4737,
    media_url: null,
  });
});

test('toOpen311Request: a closed request is updated at its close time and expects nothing', () => {
  const closed = toOpen311Request(
    {
      ...view,
      state: 'merged',
      mergedIntoRequestId: '999',
      closedAt: new Date('2026-03-03T00:00:00Z'),
      updatedAt: new Date('2026-03-04T00:00:00Z'),
    },
    { offsetMinutes: 480, lang: 'en' },
  );
  assert.equal(closed.status, 'closed');
  assert.equal(closed.status_notes, 'Merged into request 999; follow that request.');
  assert.equal(closed.updated_datetime, '2026-03-03T08:00:00+08:00');
  assert.equal(closed.expected_datetime, null);
});

test('toOpen311Request: a suspended case has no expected time (its deadline is paused)', () => {
  const suspended = toOpen311Request({ ...view, state: 'suspended' }, { offsetMinutes: 480, lang: 'zh-CN' });
  assert.equal(suspended.status, 'open');
  assert.equal(suspended.expected_datetime, null);
  const accepted = toOpen311Request(
    { ...view, state: 'accepted', departmentName: null, dueAt: null },
    { offsetMinutes: 480, lang: 'zh-CN' },
  );
  assert.deepEqual([accepted.agency_responsible, accepted.expected_datetime], [null, null]);
});

test('toOpen311Request carries no personal data, whatever the view holds', () => {
  const leaky = { ...view, email: 'a@b.cn', phone: '13800000000', requesterIds: ['user:1'] } as Open311CaseView;
  const keys = Object.keys(toOpen311Request(leaky, { offsetMinutes: 480, lang: 'en' }));
  for (const forbidden of ['email', 'phone', 'requesterIds', 'first_name', 'last_name', 'device_id', 'account_id']) {
    assert.ok(!keys.includes(forbidden), forbidden);
  }
});
