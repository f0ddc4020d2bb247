import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdPool, type IntakeIds } from './id-pool.ts';

const counting = () => {
  let next = 1;
  let refills = 0;
  return {
    refill: async (count: number): Promise<IntakeIds[]> => {
      refills += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return Array.from({ length: count }, () => ({ caseId: next, messageId: 1000 + next++ }));
    },
    refills: () => refills,
  };
};

test('takes ids lowest first, a block per refill', async () => {
  const source = counting();
  const pool = new IdPool(source.refill, 3);
  const taken = [];
  for (let i = 0; i < 7; i += 1) taken.push(await pool.take());
  assert.deepEqual(
    taken.map((ids) => ids.caseId),
    [1, 2, 3, 4, 5, 6, 7],
  );
  assert.equal(source.refills(), 3);
});

test('concurrent takers share refills and never get the same ids', async () => {
  const source = counting();
  const pool = new IdPool(source.refill, 4);
  const taken = await Promise.all(Array.from({ length: 10 }, () => pool.take()));
  assert.equal(new Set(taken.map((ids) => ids.caseId)).size, 10);
  assert.equal(source.refills(), 3);
});

test('a failed refill fails its takers and the next take tries again', async () => {
  let fail = true;
  const pool = new IdPool(async (count) => {
    if (fail) throw new Error('database down');
    return Array.from({ length: count }, (_, index) => ({ caseId: index + 1, messageId: index + 1 }));
  }, 2);
  await assert.rejects(pool.take(), /database down/);
  fail = false;
  assert.deepEqual(await pool.take(), { caseId: 1, messageId: 1 });
});
