/**
 * Prints the hand-labelling sample of replies (server/algorithms/reply-quality/
 * labelling-guide.md): `node scripts/reply-quality-sample.ts [replies.jsonl] [--texts]`.
 * Without --texts, one line per reply: id, stratum, split. With --texts, the
 * message and reply to read (for the labeller only: the texts are not committed).
 */
import { readFileSync } from 'node:fs';
import { LABEL_SAMPLE, pickLabelSample } from '../server/algorithms/reply-quality/label-sample.ts';

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith('--')) ?? '../shared/data/civic/teddy2020/replies.jsonl';
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { id: number; title: string; body: string; time: string; reply: string; reply_time: string });
const byId = new Map(rows.map((row) => [row.id, row]));
for (const picked of pickLabelSample(rows, LABEL_SAMPLE)) {
  if (!args.includes('--texts')) {
    console.log(`${picked.id}\t${picked.stratum}\t${picked.split}`);
    continue;
  }
  const row = byId.get(picked.id)!;
  console.log(`=== ${row.id} (stratum ${picked.stratum}, ${picked.split}) ${row.time} -> ${row.reply_time}`);
  console.log(`TITLE: ${row.title}`);
  console.log(`BODY: ${row.body.replace(/\s+/g, ' ')}`);
  console.log(`REPLY (${row.reply.length}): ${row.reply.replace(/\s+/g, ' ')}`);
  console.log('');
}
