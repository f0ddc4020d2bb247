import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CASE_STATE_NAMES } from '../server/modules/voices/cases/case.ts';
import { SLA_CASE_KINDS } from '../server/modules/voices/deadlines/deadline.ts';
import { caseKindSchema, caseStateSchema } from './voices.ts';

// The contract repeats the domain's names so the web app never imports server code; these keep them in step.
test('the contract lists exactly the lifecycle states of the case machine', () => {
  assert.deepEqual([...caseStateSchema.options], [...CASE_STATE_NAMES]);
});

test('the contract lists exactly the case kinds the SLA engine knows', () => {
  assert.deepEqual([...caseKindSchema.options].sort(), [...SLA_CASE_KINDS].sort());
});
