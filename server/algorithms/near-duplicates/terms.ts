/**
 * Problem terms: the words that say what is wrong ("油烟", "烧烤", "扰民"),
 * weighted by TF-IDF over jieba's general Chinese IDF table (shipped with
 * `@node-rs/jieba`, so nothing is trained and nothing downloaded). Place
 * names and numbers are left to the place part of the signature.
 */
import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';

/** One weighted term. */
export interface ProblemTerm {
  readonly term: string;
  readonly weight: number;
}

let segmenter: { jieba: Jieba; tfidf: TfIdf } | undefined;

/** The segmenter and IDF table, loaded once per process (about 0.3 s). */
function loadSegmenter(): { jieba: Jieba; tfidf: TfIdf } {
  segmenter ??= { jieba: Jieba.withDict(dict), tfidf: TfIdf.withDict(idf) };
  return segmenter;
}

/** Words that carry no problem: requests, politeness, the office's own names. */
const STOP_TERMS = new Set([
  '领导', '书记', '市长', '县长', '局长', '您好', '你好', '尊敬', '谢谢', '感谢', '希望', '请求', '要求', '问题', '反映', '情况', '相关', '部门', '有关',
  '政府', '市委', '处理', '解决', '尽快', '严重', '我们', '本人', '居民', '市民', '群众', '老百姓', '百姓', '大家', '现在', '目前', '已经', '一直', '多次', '至今',
  '没有', '不能', '可以', '什么', '为什么', '怎么', '是否', '如何', '这个', '这种', '这样', '那么', '因为', '所以', '但是', '而且', '以及', '还是', '还有',
]);

const CODE = /^[a-z0-9.\-_%]+$/iu;

/**
 * Up to `limit` problem terms of `normalised` text, heaviest first. Terms that
 * are (parts of) `placeTerms`, numbers, codes and stop words are left out;
 * weights are TF-IDF, rounded to 4 decimals so stored and fresh terms compare equal.
 *
 * @example problemTermsOf(normaliseText('润芳园小区门面油烟直排扰民'), ['润芳园'], 20) // → 油烟, 直排, 扰民, 门面 …
 */
export function problemTermsOf(normalised: string, placeTerms: readonly string[], limit: number): ProblemTerm[] {
  const { jieba, tfidf } = loadSegmenter();
  const keywords = tfidf.extractKeywords(jieba, normalised, limit * 2);
  const terms: ProblemTerm[] = [];
  for (const { keyword, weight } of keywords) {
    if (terms.length >= limit) break;
    if (keyword.length < 2 || CODE.test(keyword) || STOP_TERMS.has(keyword)) continue;
    if (placeTerms.includes(keyword)) continue;
    terms.push({ term: keyword, weight: Math.round(weight * 10_000) / 10_000 });
  }
  return terms;
}
