import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replayHistoricalCase, TRIAGE_STATES, type HistoricalCaseInput } from '../modules/voices/index.ts';
import { maskText } from '../platform/index.ts';
import { generateDemoCity } from './demo-city.ts';
import { loadDemoCorpus } from './demo-corpus.ts';
import { placeDemoCitizenCases, DEMO_CITIZEN_STORIES } from './demo-citizen.ts';
import { generateDemoHistory } from './demo-history.ts';
import { leaveTriageBacklog } from './demo-triage.ts';

const DAY = 86_400_000;
const corpus = loadDemoCorpus();

function shape(seed: number, now: Date, size?: number) {
  const demo = generateDemoCity(seed);
  const generated = generateDemoHistory(demo, corpus, { now, ...(size ? { size } : {}) });
  const placed = placeDemoCitizenCases(demo, generated, { now, citizenUserId: 42 });
  const history = leaveTriageBacklog(demo, placed.history, {
    now,
    skip: new Set(placed.cases.map((entry) => entry.index)),
  });
  const departmentIds = new Map(demo.departments.map((department, index) => [department.code, index + 1]));
  const replay = (input: HistoricalCaseInput) =>
    replayHistoricalCase(input, { department: (code) => departmentIds.get(code)!, caseId: (index) => index + 1 });
  return { demo, generated, placed, history, replay };
}

test('the citizen has a case in each state, written as the account’s, and the history keeps its size and order', () => {
  const now = new Date('2026-12-01T00:00:00+08:00');
  const { generated, placed, history, replay } = shape(2026, now);
  assert.equal(history.length, generated.length);
  assert.ok(history.every((entry, index) => index === 0 || entry.submittedAt >= history[index - 1]!.submittedAt));
  assert.deepEqual(placed.cases.map((entry) => entry.story).sort(), [...DEMO_CITIZEN_STORIES].sort());
  const of = (story: string) => {
    const index = placed.cases.find((entry) => entry.story === story)!.index;
    assert.equal(history[index]!.requesterUserId, 42);
    return { input: history[index]!, replayed: replay(history[index]!) };
  };
  const waiting = of('awaiting_rating').replayed.snapshot;
  assert.equal(waiting.state, 'replied');
  assert.ok(waiting.ratingClosesAt! > now, 'still within the rating window at the demo’s now');
  const satisfied = of('closed_satisfied').replayed.snapshot;
  assert.equal(satisfied.state, 'closed');
  assert.deepEqual(
    satisfied.ratings.map((rating) => [rating.score, rating.requesterId]),
    [[5, 'user:42']],
  );
  const dueSoon = of('in_progress_due_soon').replayed.snapshot;
  assert.equal(dueSoon.state, 'in_progress');
  assert.ok(
    dueSoon.dueAt! > now && dueSoon.dueAt!.getTime() < now.getTime() + 3 * DAY,
    `due ${dueSoon.dueAt?.toISOString()}`,
  );
  const reworked = of('reworked').replayed;
  assert.equal(reworked.snapshot.state, 'in_progress');
  assert.equal(reworked.snapshot.round, 2);
  assert.ok(reworked.events.some((event) => event.event === 'verify_unsatisfied' && event.toState === 'reopened'));
  const suggestion = of('suggestion_adopted');
  assert.equal(suggestion.input.kind, 'suggestion');
  assert.equal(suggestion.replayed.snapshot.state, 'closed');
  assert.equal(placed.adoption?.caseIndex, placed.cases.find((entry) => entry.story === 'suggestion_adopted')!.index);
  assert.ok(placed.adoption!.adoptedAt.getTime() > suggestion.replayed.snapshot.closedAt!.getTime());
  assert.ok(placed.adoption!.progressAt < now);
  for (const { index } of placed.cases) {
    const texts = [
      history[index]!.title,
      history[index]!.body,
      ...history[index]!.steps.map((step) => ('text' in step.event ? step.event.text : '')),
    ];
    for (const text of texts) assert.equal(maskText(text), text, 'no personal data the platform would mask');
  }
  // No one else's case became the citizen's, and no merge was broken (the replay would throw).
  assert.equal(history.filter((entry) => entry.requesterUserId !== undefined).length, 5);
  history.forEach((entry) => replay(entry));
});

test('the triage queue at the demo’s now holds a few dozen recent cases of varied districts and kinds', () => {
  for (const [seed, anchor] of [
    [2026, '2026-12-01'],
    [20261201, '2026-04-01'],
  ] as const) {
    const now = new Date(`${anchor}T00:00:00+08:00`);
    const { generated, history, replay } = shape(seed, now);
    const waiting = history.filter((entry) => TRIAGE_STATES.includes(replay(entry).snapshot.state));
    assert.ok(waiting.length >= 30 && waiting.length <= 80, `${waiting.length} waiting (${seed}, ${anchor})`);
    assert.ok(
      waiting.every((entry) => entry.submittedAt.getTime() > now.getTime() - 30 * DAY),
      'recent',
    );
    assert.ok(new Set(waiting.map((entry) => entry.districtCode)).size >= 6, 'districts');
    assert.ok(new Set(waiting.map((entry) => entry.kind)).size >= 3, 'kinds');
    const states = new Set(waiting.map((entry) => replay(entry).snapshot.state));
    assert.ok(states.has('accepted') && states.has('returned'), [...states].join());
    assert.ok(
      waiting.some((entry) => entry.categoryPath === null),
      'some wait without a category',
    );
    const before = generated.filter((entry) => TRIAGE_STATES.includes(replay(entry).snapshot.state)).length;
    assert.ok(waiting.length > before, `${before} before`);
  }
});

test('the same city, history and now give the same citizen cases and backlog', () => {
  const now = new Date('2026-12-01T00:00:00+08:00');
  const first = shape(2026, now, 1_500);
  const second = shape(2026, now, 1_500);
  assert.deepEqual(first.placed, second.placed);
  assert.deepEqual(first.history, second.history);
  assert.notDeepEqual(first.history, first.generated);
});
