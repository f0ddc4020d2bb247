// `npm run openapi`: writes docs/openapi.json from the routes' schemas (a test checks it stays current).
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../server/openapi.ts';

writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
console.log('Wrote docs/openapi.json');
