/**
 * Near-duplicate detection for citizens' messages: does a new message say the
 * same thing (same problem, same place) as one already in an open case? Pure
 * TypeScript plus jieba for segmentation; deterministic for a given seed.
 * See docs/near-duplicates.md for the method and its measured quality.
 */
export { fmix32, hashText, seededUint32, toInt32 } from './hashing.ts';
export { lettersOf, normaliseText, shingleHashes } from './text.ts';
export { bandKeys, createMinHasher, estimateJaccard, type MinHashParameters, type MinHasher } from './minhash.ts';
export { extractPlaces, type PlaceKind, type PlaceTerm } from './places.ts';
export { problemTermsOf, type ProblemTerm } from './terms.ts';
export { DEFAULT_PARAMETERS, type NearDuplicateParameters } from './parameters.ts';
export { createSigner, placeKeyOf, sharesKey, type MessageText, type Signer, type TextSignature } from './signature.ts';
export { compareMessages, type MessageFacts, type PlaceMatch, type ProblemMatch, type Similarity } from './similarity.ts';
export { DEFAULT_THRESHOLD_RULE, learnThreshold, type LearnedThreshold, type ThresholdDecision, type ThresholdRule } from './threshold.ts';
