/**
 * Chinese word segmentation shared by the classifier and hot issues: jieba's
 * precise mode without HMM over jieba's dictionary, reimplemented to return
 * spans and dictionary ids instead of strings (creating one JS string per
 * token is what makes `@node-rs/jieba`'s `cut` slow from JavaScript).
 *
 * @example
 * const segmenter = new Segmenter(jiebaLexicon());
 * const count = segmenter.segment('小区路灯坏了'); // 4 tokens; segmenter.ids holds their word ids
 */
export { ABSENT, PREFIX_ONLY, SEED_A, SEED_B, stepA, stepB, hashA, Lexicon, createLexicon, parseDictionary, jiebaLexicon, type LexiconEntry, type SharedLexicon } from './lexicon.ts';
export { Segmenter, segmentWords, isRunUnit, normaliseUnit } from './segment.ts';
