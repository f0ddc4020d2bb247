import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SURGE_RULE, measureGrowth, poissonTail } from './early-warning.ts';

const now = new Date('2019-12-10T00:00:00Z');
const daysAgo = (days: number): Date => new Date(now.getTime() - days * 86_400_000);
const messages = (count: number, days: (k: number) => number, users: (k: number) => string = (k) => `u${k}`) =>
  Array.from({ length: count }, (_, k) => ({ time: daysAgo(days(k)), user: users(k) }));

test('poissonTail: exact small values, no overflow for large counts', () => {
  assert.ok(Math.abs(poissonTail(5, 1) - 0.0036598468) < 1e-9);
  assert.ok(Math.abs(poissonTail(1, 1) - (1 - Math.exp(-1))) < 1e-12);
  assert.equal(poissonTail(0, 3), 1);
  assert.equal(poissonTail(3, 0), 0);
  assert.ok(poissonTail(2000, 1000) < 1e-100 && poissonTail(2000, 1000) > 0);
  assert.ok(poissonTail(900, 1000) > 0.99);
});

test('a new issue: twelve messages from ten people this week after none alerts', () => {
  const growth = measureGrowth(messages(12, (k) => k % 7, (k) => `u${k % 10}`), now);
  assert.equal(growth.recent, 12);
  assert.equal(growth.recentPeople, 10);
  assert.equal(growth.baseline, 0);
  assert.equal(growth.expected, DEFAULT_SURGE_RULE.floor);
  assert.equal(growth.alert, true);
});

test('a steady big issue does not alert on its ordinary week', () => {
  // 40 a week for the last five weeks.
  const growth = measureGrowth(messages(200, (k) => (k * 35) / 200), now);
  assert.ok(Math.abs(growth.expected - 40) < 2, String(growth.expected));
  assert.equal(growth.alert, false);
});

test('the minimum counts: four messages, or one angry writer, do not alert', () => {
  assert.equal(measureGrowth(messages(4, () => 1), now).alert, false);
  const oneWriter = measureGrowth(messages(20, () => 1, () => 'same'), now);
  assert.equal(oneWriter.recentPeople, 1);
  assert.equal(oneWriter.alert, false);
});

test('messages after now and before the baseline window are not counted', () => {
  const growth = measureGrowth([...messages(3, () => -2), ...messages(3, () => 60), ...messages(2, () => 10)], now);
  assert.equal(growth.recent, 0);
  assert.equal(growth.baseline, 2);
  assert.equal(growth.probability, 1);
});
