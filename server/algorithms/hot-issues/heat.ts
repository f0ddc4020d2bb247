/**
 * The heat index: how hot a cluster is at a given moment (docs/hot-issues.md).
 *
 * Every message counts with a recency weight w = 2^(−age / halfLife), its age
 * measured back from `now` (half-life 30 days by default). Then
 *
 *   people  P = Σ over distinct writers of the weight of their latest message
 *   repeats R = Σ w − P                  (further messages by the same people)
 *   support S = √(Σ w · max(0, likes − dislikes))
 *   growth  γ = 1 + ½ · min(2, max(0, ratio − 1))   (ratio: early-warning.ts)
 *
 *   heat = (P + R / 4 + S) · γ
 *
 * Distinct people weigh most; a writer repeating themselves adds a quarter
 * each time; a thousand likes count like √1000 ≈ 32 more people (support is
 * real but cheap to give); a cluster growing at three times its baseline or
 * more is up to twice as hot. A cluster whose last message is a half-life
 * old has half the heat it had then.
 */
import type { ClusteredMessage, Clustering, MessageCluster } from './clustering.ts';
import { DEFAULT_SURGE_RULE, measureGrowth, type Growth, type SurgeRule } from './early-warning.ts';

export interface HeatOptions {
  /** The moment the heat is for (the end of the window); later messages count as new. */
  readonly now: Date;
  /** Days after which a message counts half. Default 30. */
  readonly halfLifeDays?: number;
  readonly rule?: SurgeRule;
}

/** One cluster, described and measured. */
export interface HotIssue {
  readonly heat: number;
  /** The place or name most members mention, if any. */
  readonly place: string | null;
  /** The representative member's title (closest to the cluster's problem). */
  readonly title: string;
  readonly keyTerms: readonly string[];
  readonly size: number;
  /** Distinct writers. */
  readonly people: number;
  readonly likes: number;
  readonly dislikes: number;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly growth: Growth;
  /** Members, oldest first. */
  readonly members: readonly ClusteredMessage[];
}

const DAY_MS = 86_400_000;

/** The heat of one cluster's members at `now` (see the module comment). */
export function heatOf(members: readonly ClusteredMessage[], growth: Growth, now: Date, halfLifeDays = 30): number {
  const latestByWriter = new Map<string, number>();
  let total = 0;
  let supported = 0;
  for (const member of members) {
    const age = Math.max(0, now.getTime() - member.time.getTime()) / DAY_MS;
    const weight = 2 ** (-age / halfLifeDays);
    total += weight;
    supported += weight * Math.max(0, member.likes - member.dislikes);
    latestByWriter.set(member.user, Math.max(latestByWriter.get(member.user) ?? 0, weight));
  }
  let people = 0;
  for (const weight of latestByWriter.values()) people += weight;
  const gamma = 1 + 0.5 * Math.min(2, Math.max(0, growth.ratio - 1));
  return Math.round((people + (total - people) / 4 + Math.sqrt(supported)) * gamma * 100) / 100;
}

/**
 * Describes and measures every cluster and returns them hottest first (ties:
 * more people, then the earlier first message). O(total members).
 *
 * @example rankHotIssues(clusterer.cluster(), { now: new Date('2020-01-26') }).slice(0, 10)
 */
export function rankHotIssues(clustering: Clustering, options: HeatOptions): HotIssue[] {
  const rule = options.rule ?? DEFAULT_SURGE_RULE;
  const issues = clustering.clusters.map((cluster) => describeIssue(clustering, cluster, options.now, options.halfLifeDays, rule));
  issues.sort((a, b) => b.heat - a.heat || b.people - a.people || a.firstAt.getTime() - b.firstAt.getTime());
  return issues;
}

function describeIssue(clustering: Clustering, cluster: MessageCluster, now: Date, halfLifeDays: number | undefined, rule: SurgeRule): HotIssue {
  const members = cluster.members.map((index) => clustering.messages[index]!).sort((a, b) => a.time.getTime() - b.time.getTime());
  const growth = measureGrowth(members, now, rule);
  let likes = 0;
  let dislikes = 0;
  for (const member of members) {
    likes += member.likes;
    dislikes += member.dislikes;
  }
  return {
    heat: heatOf(members, growth, now, halfLifeDays),
    place: cluster.place ?? null,
    title: clustering.messages[cluster.representative]!.title,
    keyTerms: cluster.keyTerms,
    size: members.length,
    people: new Set(members.map((member) => member.user)).size,
    likes,
    dislikes,
    firstAt: members[0]!.time,
    lastAt: members[members.length - 1]!.time,
    growth,
    members,
  };
}

/**
 * Messages per day from `from` to `to` (both days included, days in
 * `utcOffsetHours`' time, UTC+8 by default): the trend a chart draws.
 */
export function dailyCounts(members: readonly { readonly time: Date }[], from: Date, to: Date, utcOffsetHours = 8): { day: string; count: number }[] {
  const shift = utcOffsetHours * 3_600_000;
  const dayOf = (time: number): number => Math.floor((time + shift) / DAY_MS);
  const first = dayOf(from.getTime());
  const last = dayOf(to.getTime());
  if (last < first) return [];
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const member of members) {
    const day = dayOf(member.time.getTime());
    if (day >= first && day <= last) counts[day - first]! += 1;
  }
  return counts.map((count, k) => ({ day: new Date((first + k) * DAY_MS).toISOString().slice(0, 10), count }));
}
