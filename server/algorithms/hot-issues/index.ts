/**
 * Hot issues (热点问题): citizens' messages about the same concrete problem —
 * the same place (or named thing) and the same problem — grouped, described
 * and ranked by a documented heat index, with an early warning for groups
 * growing faster than their baseline. Pure TypeScript plus jieba for the
 * segmentation; method, formula and measurements in docs/hot-issues.md.
 *
 * @example
 * const clusterer = createClusterer();
 * clusterer.addMany(messages); // page by page
 * const issues = rankHotIssues(clusterer.cluster(), { now: new Date() });
 * issues[0].heat; issues[0].place; issues[0].growth.alert;
 */
export { createClusterer, type Clusterer, type ClusterOptions, type ClusteredMessage, type Clustering, type HotMessage, type MessageCluster } from './clustering.ts';
export { dailyCounts, heatOf, rankHotIssues, type HeatOptions, type HotIssue } from './heat.ts';
export { DEFAULT_SURGE_RULE, measureGrowth, poissonTail, type Growth, type SurgeRule } from './early-warning.ts';
export { BODY_PREFIX_CHARS, extractTerms, type MessageTerms } from './message-terms.ts';
