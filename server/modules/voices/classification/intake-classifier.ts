import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyMessage, loadClassifier, ModelFileError } from '../../../algorithms/text-classifier/index.ts';
import { AppError, type Config } from '../../../platform/index.ts';
import type { CategorySuggestion } from '../cases/voices.ts';
import { suggestionOf } from './category-choice.ts';
import { DEFAULT_MODEL_FILE } from './default-model.ts';

/** The classifier as intake uses it: which model, and its suggestion for a message within the city's taxonomy. */
export interface IntakeClassifier {
  /** `<file name>@<first 12 hex of its SHA-256>`: which model made a suggestion, stored with it. */
  readonly model: string;
  suggest(message: { readonly title: string; readonly body: string }, taxonomy: { has(path: string): boolean }): CategorySuggestion | null;
}

const loaded = new Map<string, Promise<IntakeClassifier>>();

/**
 * The model named by `CLASSIFIER_MODEL`, else the shipped default, loaded
 * once per process and file. A file that cannot be read or is not a usable
 * model is a `config_invalid` error naming the file and the reason (the
 * server refuses to start: `prepareIntakeClassifier`), never a silent default.
 */
export function intakeClassifierOf(config: Pick<Config, 'classifierModelPath'>): Promise<IntakeClassifier> {
  const file = config.classifierModelPath ?? DEFAULT_MODEL_FILE;
  let classifier = loaded.get(file);
  if (!classifier) {
    classifier = load(file);
    loaded.set(file, classifier);
    classifier.catch(() => loaded.delete(file));
  }
  return classifier;
}

async function load(file: string): Promise<IntakeClassifier> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new AppError('config_invalid', `Cannot read the classifier model ${file}: ${(error as Error).message}`);
  }
  let classifier: ReturnType<typeof loadClassifier>;
  try {
    classifier = loadClassifier(bytes);
  } catch (error) {
    if (error instanceof ModelFileError) throw new AppError('config_invalid', `The classifier model ${file} is not usable: ${error.message}`);
    throw error;
  }
  const model = `${path.basename(file).slice(0, 60)}@${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
  return {
    model,
    suggest: (message, taxonomy) => suggestionOf(classifyMessage(classifier, message), model, taxonomy),
  };
}
