// `npm run db:new <name>`: creates a timestamped, forward-only migration and registers it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: npm run db:new <kebab-case-name>');
  process.exit(2);
}
const stamp = new Date().toISOString().slice(0, 16).replace(':', '').replace(/-(\d\d)T/, '-$1T');
const id = `${stamp}-${name}`;
const folder = path.resolve(import.meta.dirname, '..', 'server', 'migrations');
writeFileSync(
  path.join(folder, `${id}.ts`),
  `import { sql, type Kysely } from 'kysely';\n\n/** TODO: say what this migration adds and why. Every new table carries region_id. */\nconst statements: string[] = [];\n\nexport async function up(db: Kysely<unknown>): Promise<void> {\n  for (const statement of statements) await sql.raw(statement).execute(db);\n}\n`,
);
const index = path.join(folder, 'index.ts');
const variable = name.replace(/-(\w)/g, (_match, char: string) => char.toUpperCase());
const source = readFileSync(index, 'utf8')
  .replace(/(\n\/\*\*)/, `import * as ${variable} from './${id}.ts';\n$1`)
  .replace(/\n};\n$/, `\n  '${id}': ${variable},\n};\n`);
writeFileSync(index, source);
console.log(`Created server/migrations/${id}.ts and registered it in server/migrations/index.ts`);
