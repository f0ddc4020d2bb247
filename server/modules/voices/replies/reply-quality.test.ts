import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseEventRecord } from '../cases/voices.ts';
import { localDateOfField, parseReplyLine } from './reply-quality-file.ts';
import { replyDelayOf, replyOfEvent, roundStartsOf, scoreCaseReply } from './reply-quality.ts';

const at = (text: string): Date => new Date(text);
const row = (overrides: Partial<CaseEventRecord>): CaseEventRecord => ({
  version: 4,
  round: 1,
  at: at('2026-03-04T10:00:00+08:00'),
  actorUserId: null,
  actorLabel: 'handler:zhang',
  event: 'reply',
  fromState: 'in_progress',
  toState: 'replied',
  reason: null,
  details: { payload: { text: '已于3月3日更换线路，路灯已恢复照明。' }, deadline: { dueAt: '2026-03-09T15:59:59.999Z', met: true } },
  ...overrides,
});

test('a delay counts working days from the round’s start against the deadline the reply stopped', () => {
  // Received Monday 2 March 2026; due Monday 9 March (5 working days); replied Wednesday 4 March: 2 days.
  const delay = replyDelayOf({ roundStartedAt: at('2026-03-02T09:00:00+08:00'), repliedAt: at('2026-03-04T10:00:00+08:00'), dueAt: at('2026-03-09T23:59:59.999+08:00'), facts: { kind: 'request_for_help', categoryPath: null, urgent: false } });
  assert.deepEqual(delay, { elapsed: 2, limit: 5, unit: 'working_days' });
  // Without a deadline the city's limit for the kind applies (consultations: 3 working days); the golden week is
  // skipped and its make-up Saturday counts: 8, 9, 10 and 12 October.
  const consultation = replyDelayOf({ roundStartedAt: at('2026-09-30T09:00:00+08:00'), repliedAt: at('2026-10-12T09:00:00+08:00'), dueAt: null, facts: { kind: 'consultation', categoryPath: null, urgent: false } });
  assert.deepEqual(consultation, { elapsed: 4, limit: 3, unit: 'working_days' });
  // Urgent cases are timed in hours.
  const urgent = replyDelayOf({ roundStartedAt: at('2026-03-02T09:00:00+08:00'), repliedAt: at('2026-03-02T15:00:00+08:00'), dueAt: null, facts: { kind: 'complaint', categoryPath: null, urgent: true } });
  assert.deepEqual(urgent, { elapsed: 6, limit: 24, unit: 'hours' });
  // A reply stamped before its round began (clock skew in an export) waited no time.
  const skewed = replyDelayOf({ roundStartedAt: at('2026-03-02T09:00:00+08:00'), repliedAt: at('2026-03-01T09:00:00+08:00'), dueAt: null, facts: { kind: 'complaint', categoryPath: null, urgent: false } });
  assert.deepEqual(skewed, { elapsed: 0, limit: 10, unit: 'working_days' });
});

test('a reply row is read as the timeline stores it, and only replies are scored', () => {
  assert.deepEqual(replyOfEvent(row({})), { text: '已于3月3日更换线路，路灯已恢复照明。', dueAt: at('2026-03-09T15:59:59.999Z') });
  assert.deepEqual(replyOfEvent(row({ details: {} })), { text: '', dueAt: null });
  const starts = roundStartsOf([row({ version: 1, at: at('2026-03-02T01:00:00Z'), event: 'open' }), row({ version: 9, round: 2, at: at('2026-04-01T01:00:00Z'), event: 'reopen' }), row({})]);
  assert.deepEqual([...starts], [[1, at('2026-03-02T01:00:00Z')], [2, at('2026-04-01T01:00:00Z')]]);
  const facts = { caseId: 7, kind: 'request_for_help' as const, categoryPath: null, urgent: false, departmentId: 3, messages: [{ title: '路灯不亮', body: '门口路灯坏了' }], roundStartedAt: at('2026-03-02T09:00:00+08:00') };
  const score = scoreCaseReply({ ...facts, reply: row({}) });
  assert.deepEqual([score.caseId, score.eventVersion, score.round, score.departmentId], [7, 4, 1, 3]);
  assert.deepEqual(score.delay, { elapsed: 2, limit: 5, unit: 'working_days' });
  assert.throws(() => scoreCaseReply({ ...facts, reply: row({ event: 'add_note' }) }), /not a reply/);
});

test('file times: local wall time, bare dates and instants with an offset become the city’s local date', () => {
  assert.deepEqual(localDateOfField('2019-04-25T09:32:09'), { date: '2019-04-25' });
  assert.deepEqual(localDateOfField('2018-04-24'), { date: '2018-04-24' });
  assert.deepEqual(localDateOfField('2019-04-25 23:10'), { date: '2019-04-25' });
  assert.deepEqual(localDateOfField('2019-04-25T20:00:00Z'), { date: '2019-04-26' });
  assert.ok('problem' in localDateOfField('2019-02-30'));
  assert.ok('problem' in localDateOfField('yesterday'));
  assert.ok('problem' in localDateOfField(20190425));
  assert.deepEqual(parseReplyLine('{"id":1,"body":"b","reply":"r\u0000"}', 3), { problems: [{ line: 3, field: 'line', problem: 'contains binary data (a NUL byte)' }] });
  assert.deepEqual(parseReplyLine(JSON.stringify({ id: 'a', body: 'b', reply: 'r', extra: 1 }), 1), { record: { id: 'a', title: '', body: 'b', reply: 'r', dates: null } });
});
