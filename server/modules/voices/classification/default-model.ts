import { fileURLToPath } from 'node:url';

/** The classifier model shipped with Minxin, trained on the shared labelled messages (docs/classifier.md). */
export const DEFAULT_MODEL_FILE = fileURLToPath(new URL('./default-model.mxm', import.meta.url));
