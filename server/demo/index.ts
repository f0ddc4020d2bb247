/**
 * The demo city: a deterministic, generated Qingdao (10 districts, 100 streets,
 * 1,400 communities, 60 departments, a few dozen accounts) for a loader to insert.
 * Pure data, no I/O: `generateDemoCity(seed)` is the entry point.
 */
export {
  DEMO_LOGINS,
  DEMO_PASSWORDS,
  generateDemoCity,
  type DemoCity,
  type DemoDepartment,
  type DemoLogin,
  type DemoRegion,
  type DemoUser,
} from './demo-city.ts';
export { COMPLAINT_AREAS, type ComplaintArea } from './demo-words.ts';
export { createRandom, type Random } from './random.ts';
export { loadDemoCity, historyAnchorOf, type DemoCredential, type LoadDemoOptions } from './load-demo.ts';
export { generateDemoHistory, DEFAULT_HISTORY_SIZE, type DemoHistoryOptions } from './demo-history.ts';
export { loadDemoCorpus, type DemoCorpus, type DemoCorpusMessage } from './demo-corpus.ts';
