import type { CategorySuggestion } from '../cases/voices.ts';

/** What a classifier says of one message: a level-1 label, how sure (0–1), and a deeper taxonomy path where it can. */
export interface CategoryPrediction {
  readonly label: string;
  readonly confidence: number;
  readonly path?: readonly string[] | undefined;
}

/** Where an intake's category came from. */
export type CategorySource = 'citizen' | 'classifier' | 'none';

/**
 * The suggestion to store for a prediction: the deepest path of the
 * prediction that is in the city's taxonomy (a city may have pruned the
 * taxonomy), else nothing — a label the city does not have is no suggestion.
 */
export function suggestionOf(
  prediction: CategoryPrediction,
  model: string,
  knownPaths: { has(path: string): boolean },
): CategorySuggestion | null {
  const path = prediction.path && prediction.path[0] === prediction.label ? prediction.path : [prediction.label];
  for (let depth = path.length; depth >= 1; depth -= 1) {
    const categoryPath = path.slice(0, depth).join('/');
    if (knownPaths.has(categoryPath)) return { categoryPath, confidence: prediction.confidence, model };
  }
  return null;
}

/**
 * The category an intake files a message under. The citizen's own choice
 * stands (they were asked, and the classifier's suggestion is kept beside
 * it for the coordinators); without one, the classifier's suggestion is
 * taken when it is at least `minConfidence` sure; otherwise none, and the
 * case waits in the triage queue with the suggestion shown.
 */
export function chooseCategory(
  chosenPath: string | null,
  suggestion: CategorySuggestion | null,
  minConfidence: number,
): { readonly path: string | null; readonly source: CategorySource } {
  if (chosenPath !== null) return { path: chosenPath, source: 'citizen' };
  if (suggestion && suggestion.confidence >= minConfidence) return { path: suggestion.categoryPath, source: 'classifier' };
  return { path: null, source: 'none' };
}
