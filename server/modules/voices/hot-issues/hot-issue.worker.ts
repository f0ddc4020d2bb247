/**
 * The clustering of a hot-issue run, in a worker thread so that reading and
 * clustering up to 100,000 messages (seconds of CPU) never stalls the API's
 * event loop. Pages arrive in order (`add`); `rank` clusters what came and
 * answers with the ranked issues. See `clusterInWorker`.
 */
import { parentPort } from 'node:worker_threads';
import { createClusterer, rankHotIssues, type HotMessage } from '../../../algorithms/hot-issues/index.ts';

export type HotIssueWorkerRequest = { readonly type: 'add'; readonly messages: readonly HotMessage[] } | { readonly type: 'rank'; readonly now: Date };

const clusterer = createClusterer();
parentPort!.on('message', (request: HotIssueWorkerRequest) => {
  try {
    if (request.type === 'add') clusterer.addMany(request.messages);
    else parentPort!.postMessage({ issues: rankHotIssues(clusterer.cluster(), { now: request.now }) });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
