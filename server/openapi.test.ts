import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openApiDocument } from './openapi.ts';

test('docs/openapi.json matches the routes (run "npm run openapi" after changing an API)', async () => {
  const committed = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8'));
  assert.deepEqual(await openApiDocument(), committed);
});

test('every API operation has a summary, a tag and a response schema', async () => {
  const document = (await openApiDocument()) as { paths: Record<string, Record<string, { summary?: string; tags?: string[]; responses?: object }>> };
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      assert.ok(operation.summary, `${method} ${path} has no summary`);
      assert.ok(operation.tags?.length, `${method} ${path} has no tag`);
      assert.ok(operation.responses && Object.keys(operation.responses).length > 0, `${method} ${path} has no responses`);
    }
  }
});
