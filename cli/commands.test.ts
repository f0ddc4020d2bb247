import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allCommands, commandGroups, findCommand } from './commands.ts';

test('every group names exactly the commands it loads, and no name is in two groups', async () => {
  const seen = new Set<string>();
  for (const group of commandGroups) {
    const loaded = (await group.load()).map((command) => command.name);
    assert.deepEqual([...loaded].sort(), [...group.names].sort());
    for (const name of group.names) {
      assert.ok(!seen.has(name), `${name} is in two groups`);
      seen.add(name);
    }
  }
  assert.equal((await allCommands()).length, seen.size);
});

test('a command line finds its command by two words, then one', async () => {
  assert.equal((await findCommand(['ocds', 'indicators', 'file.jsonl']))?.command.name, 'ocds indicators');
  assert.deepEqual((await findCommand(['ocds', 'indicators', 'file.jsonl']))?.rest, ['file.jsonl']);
  assert.equal((await findCommand(['pair', '--instance', 'x']))?.command.name, 'pair');
  assert.equal((await findCommand(['hot']))?.command.name, 'hot');
  assert.equal(await findCommand(['ocds']), undefined);
  assert.equal(await findCommand(['nothing', 'here']), undefined);
});
