import { UsageError, cliContext, withDeps, type CliCommand } from '../../../platform/index.ts';
import { createOpen311Key, listOpen311Keys, revokeOpen311Key } from './open311.service.ts';

const city = { city: { type: 'string' } } as const;
const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** Open311 API keys: create (prints only the key), list, revoke. */
export const open311Commands: CliCommand[] = [
  {
    name: 'open311 key',
    summary: 'Create an Open311 API key; prints only the key (shown once)',
    usage: 'minxin open311 key --name NAME [--city CODE]',
    options: { name: { type: 'string' }, ...city },
    async run({ values }, io) {
      const name = text(values.name);
      if (!name || name.trim() === '') throw new UsageError('--name is required');
      return withDeps(io, async (deps) => {
        const issued = await createOpen311Key(deps, await cliContext(deps, text(values.city)), { name });
        io.stdout(issued.key);
      });
    },
  },
  {
    name: 'open311 keys',
    summary: 'List the Open311 API keys (id, name, prefix, created, revoked); never the secrets',
    usage: 'minxin open311 keys [--city CODE]',
    options: { ...city },
    async run({ values }, io) {
      return withDeps(io, async (deps) => {
        for (const key of await listOpen311Keys(deps, await cliContext(deps, text(values.city)))) {
          io.stdout([key.id, key.name, `${key.prefix}…`, key.createdAt.toISOString(), key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active'].join('\t'));
        }
      });
    },
  },
  {
    name: 'open311 revoke',
    summary: 'Revoke an Open311 API key by id (see "open311 keys")',
    usage: 'minxin open311 revoke <id> [--city CODE]',
    options: { ...city },
    async run({ values, positionals }, io) {
      const id = positionals[0];
      if (!id || !/^\d{1,15}$/.test(id)) throw new UsageError('name the key by its id');
      return withDeps(io, async (deps) => {
        const key = await revokeOpen311Key(deps, await cliContext(deps, text(values.city)), Number(id));
        io.stdout(`Open311 API key ${key.id} (${key.name}) revoked.`);
      });
    },
  },
];
