/**
 * A message's near-duplicate signature: what "says the same thing" is judged
 * on, computed once (by the background indexer) and stored, so comparing a
 * new message with a million stored ones never re-reads their text.
 */
import { hashText } from './hashing.ts';
import { bandKeys, createMinHasher, type MinHasher } from './minhash.ts';
import { DEFAULT_PARAMETERS, type NearDuplicateParameters } from './parameters.ts';
import { extractPlaces, type PlaceTerm } from './places.ts';
import { problemTermsOf, type ProblemTerm } from './terms.ts';
import { lettersOf, normaliseText, shingleHashes } from './text.ts';

/** The text a signature is made from. */
export interface MessageText {
  readonly title: string;
  readonly body: string;
}

/** What is stored per message. */
export interface TextSignature {
  /** MinHash of the character shingles of title and body. */
  readonly minhash: Uint32Array;
  /** Place terms found in the text (title first). */
  readonly places: readonly PlaceTerm[];
  /** Problem terms, heaviest first. */
  readonly terms: readonly ProblemTerm[];
  /** Index keys (signed 32-bit), one per LSH band of the MinHash: shared by texts alike enough. */
  readonly bandKeys: readonly number[];
  /** Index keys of the named sites (at most `maxPlaceKeys`, title first): shared by texts naming the same site. */
  readonly siteKeys: readonly number[];
}

/** Whether two signatures share an index key: what makes two messages candidates for each other. */
export function sharesKey(a: TextSignature, b: TextSignature): boolean {
  const bands = new Set(a.bandKeys);
  const sites = new Set(a.siteKeys);
  return b.bandKeys.some((key) => bands.has(key)) || b.siteKeys.some((key) => sites.has(key));
}

const PLACE_KEY_SEED = 0x504c4143; // 'PLAC'

/** The index key of a place term: what two messages naming the same site share. */
export function placeKeyOf(term: string): number {
  return hashText(term, PLACE_KEY_SEED) | 0;
}

/** Builds signatures for one parameter set (the MinHash permutations are made once). */
export interface Signer {
  readonly parameters: NearDuplicateParameters;
  sign(text: MessageText): TextSignature;
}

/**
 * A signer for `parameters`. `sign` is deterministic: the same text and
 * parameters give the same signature in any process. Cost is linear in the
 * text (segmentation plus `permutations` hashes per shingle); the first call
 * loads jieba's dictionary.
 *
 * @example const signer = createSigner(); signer.sign({ title: '润芳园小区油烟扰民', body: '临街门面油烟直排' }).siteKeys
 */
export function createSigner(parameters: NearDuplicateParameters = DEFAULT_PARAMETERS): Signer {
  const minhash: MinHasher = createMinHasher({ permutations: parameters.permutations, seed: parameters.seed });
  return {
    parameters,
    sign(text) {
      const title = normaliseText(text.title);
      const normalised = `${title}。${normaliseText(text.body)}`;
      const signature = minhash(shingleHashes(lettersOf(normalised), parameters.shingleSize));
      const places = extractPlaces(normalised);
      const inTitle = new Set(extractPlaces(title).map((place) => place.term));
      const sites = places.filter((place) => place.kind === 'site');
      const keyed = [...sites.filter((place) => inTitle.has(place.term)), ...sites.filter((place) => !inTitle.has(place.term))].slice(0, parameters.maxPlaceKeys);
      const terms = problemTermsOf(normalised, places.map((place) => place.term), parameters.maxTerms);
      return {
        minhash: signature,
        places,
        terms,
        bandKeys: bandKeys(signature, parameters.bands, parameters.rows),
        siteKeys: keyed.map((place) => placeKeyOf(place.term)),
      };
    },
  };
}
