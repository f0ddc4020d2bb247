import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.ts';
import { problemOf } from './http-errors.ts';

test('details become extensions but never override the standard members', () => {
  const problem = problemOf(
    new AppError('conflict', 'The proposal was decided already', { status: 'confirmed', code: 'x', type: 'y', decidedBy: 7 }),
    '/api/v1/join-proposals/1/confirm',
  );
  assert.equal(problem.status, 409);
  assert.equal(problem.code, 'conflict');
  assert.equal(problem.type, 'https://minxin.dev/problems/conflict');
  assert.equal(problem.detail, 'The proposal was decided already');
  assert.equal(problem.instance, '/api/v1/join-proposals/1/confirm');
  assert.equal(problem.decidedBy, 7);
});
