/**
 * Coherence on real data: hot-messages.jsonl (teddy2020, ../shared). Every
 * id below was read by hand; the groups are messages about one problem at
 * one place, the "apart" ones the same place's other problems or the same
 * problem elsewhere. Skips when the shared data is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createClusterer, rankHotIssues, type Clustering } from './index.ts';

const FILE = path.resolve(import.meta.dirname, '../../../../shared/data/civic/teddy2020/hot-messages.jsonl');

/** One problem at one place, ids read one by one. */
const TOGETHER: Record<string, readonly number[]> = {
  // 丽发新城: the concrete-mixing plant next to the estate (noise, dust); 208285 and 255008 name the estate only in the body.
  丽发新城搅拌站: [188809, 189950, 190108, 190523, 199379, 203393, 208285, 208714, 213464, 255008, 261072, 272447, 281902],
  // 伊景园滨河苑: parking spaces sold bundled with the railway staff's flats; 204960, 241373, 246785 name it only in the body.
  伊景园滨河苑捆绑车位: [190337, 191001, 196264, 205277, 205982, 204960, 241373, 246785],
  // The 58车贷 lending platform's collapse: the police case's progress.
  '58车贷案件进展': [217032, 220711, 254532, 264119, 268251, 272858],
  // 110 kV overhead line along 月亮岛路.
  月亮岛路高压线: [218442, 231773, 254865, 262052, 268250, 272089],
  // 魅力之城: the ground-floor restaurants' cooking fumes.
  魅力之城油烟: [195095, 236798, 246598, 268914, 272122],
  // 魅力之城: cracked floors and walls.
  魅力之城开裂: [198084, 205168, 233338, 236303],
};

/** [group, id]: messages that must not be in the group's cluster. */
const APART: readonly [string, number, string][] = [
  ['丽发新城搅拌站', 193091, 'same estate: the property company cutting off water'],
  ['丽发新城搅拌站', 191943, 'same estate: potholed roads'],
  ['丽发新城搅拌站', 219174, 'same estate: a smelly refuse station'],
  ['丽发新城搅拌站', 254710, 'same estate: the unbuilt road between phases 2 and 3'],
  ['丽发新城搅拌站', 220199, 'night concreting noise at another site'],
  ['丽发新城搅拌站', 256379, 'night work with mixer trucks at another site'],
  ['伊景园滨河苑捆绑车位', 258295, 'bundled sales at another estate'],
  ['月亮岛路高压线', 222757, 'an overhead line at another park'],
  ['月亮岛路高压线', 248942, 'a 500 kV line at a village'],
  ['月亮岛路高压线', 205883, 'an ultra-high-voltage line in another street'],
  ['魅力之城油烟', 198084, 'same estate: cracks'],
  ['魅力之城油烟', 192337, 'cooking fumes at another estate'],
];

const available = existsSync(FILE);

function cluster(): Clustering {
  const rows = readFileSync(FILE, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: number; user: string; title: string; body: string; time: string; likes: number; dislikes: number });
  const clusterer = createClusterer();
  for (let k = 0; k < rows.length; k += 500) clusterer.addMany(rows.slice(k, k + 500).map((row) => ({ ...row, time: new Date(`${row.time}+08:00`) })));
  return clusterer.cluster();
}

test('hot-messages.jsonl: known groups stay together, unrelated messages apart', { skip: available ? false : `${FILE} is absent` }, () => {
  const result = cluster();
  const where = new Map<number, number>();
  result.clusters.forEach((group, k) => group.members.forEach((member) => where.set(result.messages[member]!.id as number, k)));
  const groupCluster = new Map<string, number>();
  for (const [name, ids] of Object.entries(TOGETHER)) {
    const clusters = new Set(ids.map((id) => where.get(id)));
    assert.equal(clusters.size, 1, `${name}: split over ${clusters.size} clusters`);
    groupCluster.set(name, where.get(ids[0]!)!);
  }
  assert.equal(new Set(groupCluster.values()).size, groupCluster.size, 'every group is its own cluster');
  for (const [name, id, why] of APART) assert.notEqual(where.get(id), groupCluster.get(name), `${id} (${why}) joined ${name}`);

  // The two campaigns are the largest groups, and groups are named by their place.
  const issues = rankHotIssues(result, { now: new Date('2020-01-26T23:59:59+08:00') });
  const issueOf = (name: string) => issues.find((issue) => issue.members.some((member) => member.id === TOGETHER[name]![0]))!;
  assert.equal(issueOf('丽发新城搅拌站').place, '丽发新城');
  assert.equal(issueOf('月亮岛路高压线').place?.startsWith('月亮岛'), true);
  assert.equal(issueOf('58车贷案件进展').place, '58车贷');
  assert.ok(issueOf('丽发新城搅拌站').size >= 40 && issueOf('伊景园滨河苑捆绑车位').size >= 40);
});
