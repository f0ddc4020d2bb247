/**
 * What one citizen's message says, reduced to what hot-issue clustering
 * compares: the concrete places it is about (`places`), the names jieba does
 * not know (`names`), the districts and streets it names (`areas`), and the
 * words of its problem (`problem`, with place words left out so that "the
 * same estate, another problem" does not look alike).
 *
 * Segmentation is jieba's dictionary mode without HMM: unknown names come out
 * as runs of single characters (丽/发/新城), which is how we recognise them.
 * A place is a place-suffix token (小区, 新城, 路, 村, 小学, 医院 …) preceded by
 * one to three name tokens: unknown characters, or dictionary words tagged as
 * names or rare nouns (jieba's dictionary gives the tag and frequency). The
 * pseudonymised codes of the shared data (A市, A3区, K9县) and the streets and
 * towns (街道, 镇, 乡) are areas, too coarse to be a concrete place.
 */
import { dict } from '@node-rs/jieba/dict.js';
import { jiebaLexicon, Lexicon as Dictionary, parseDictionary, Segmenter, type SharedLexicon } from '../segmentation/index.ts';

/** The features of one message; strings are normalised (NFKC, latin lower-cased). */
export interface MessageTerms {
  /** Concrete places (estates, roads, schools, villages, companies), e.g. `丽发新城`, `月亮岛路`. */
  readonly places: readonly string[];
  /** Names jieba does not know (runs of single characters, codes such as `58车贷`), e.g. `丽发`, `长赣`. */
  readonly names: readonly string[];
  /** Districts, streets and towns (`a3区`, `暮云街道`): too coarse to be a place, used to tell places apart. */
  readonly areas: readonly string[];
  /** Problem words with their count in the message (a title word counts twice). */
  readonly problem: ReadonlyMap<string, number>;
}


/** How much of the body is read: the place and the problem are almost always stated first. */
export const BODY_PREFIX_CHARS = 160;

interface Lexicon {
  readonly dictionary: Dictionary;
  /** Dictionary words of 2–4 characters that cannot be part of a name: verbs, adjectives, function and time words. */
  readonly common: ReadonlySet<string>;
  /** Dictionary words of 2–4 characters tagged as places, organisations, abbreviations or other proper names (滨河, 五矿). */
  readonly proper: ReadonlySet<string>;
}

let lexicon: Lexicon | undefined;
/** Tags of words that can be part of a place's name: nouns of every kind, abbreviations, places. */
const NAME_TAGS = new Set(['n', 'ng', 'ns', 'nr', 'nrt', 'nrfg', 'nz', 'nt', 'j', 's', 'x', 'eng', 'b']);
/** Name tags that stand for a thing people complain about (place, organisation, brand, abbreviation), not a person. */
const PROPER_TAGS = new Set(['ns', 'nz', 'nt', 'j']);

/**
 * jieba's dictionary and the common-word list, loaded once per process (about
 * 1 s, 60 MB): the dictionary is parsed once and gives both the lexicon and
 * the part-of-speech sets.
 */
function loadLexicon(): Lexicon {
  if (lexicon) return lexicon;
  const entries = parseDictionary(dict);
  const common = new Set<string>();
  const proper = new Set<string>();
  for (const { word, tag } of entries) {
    if (word.length < 2 || word.length > 4) continue;
    if (tag !== undefined && PROPER_TAGS.has(tag)) proper.add(word);
    else if (tag === undefined || !NAME_TAGS.has(tag)) common.add(word);
  }
  lexicon = { dictionary: jiebaLexicon(entries), common, proper };
  return lexicon;
}

/** The reading lexicon as plain data for a worker thread (`readerFromShared`): no second dictionary parse there. */
export interface SharedReaderLexicon {
  readonly dictionary: SharedLexicon;
  /** The common and proper words, joined by U+0000. */
  readonly common: string;
  readonly proper: string;
}

/** This thread's reading lexicon as plain data, for `createReader` in a worker thread. */
export function shareReaderLexicon(): SharedReaderLexicon {
  const { dictionary, common, proper } = loadLexicon();
  return { dictionary: dictionary.share(), common: [...common].join('\u0000'), proper: [...proper].join('\u0000') };
}

function lexiconFromShared(shared: SharedReaderLexicon): Lexicon {
  const split = (joined: string): Set<string> => new Set(joined.length === 0 ? [] : joined.split('\u0000'));
  return { dictionary: new Dictionary(shared.dictionary), common: split(shared.common), proper: split(shared.proper) };
}

/** Splits text into jieba's dictionary words (no HMM) after NFKC (full-width letters and digits become ASCII), latin lower-cased; separators left out. */
export function segment(text: string): string[] {
  const segmenter = new Segmenter(loadLexicon().dictionary);
  const normalised = text.normalize('NFKC').toLowerCase();
  const count = segmenter.segment(normalised);
  return Array.from({ length: count }, (_, i) => normalised.slice(segmenter.starts[i], segmenter.ends[i]));
}

const CJK = /^[\u3400-\u9fff]+$/u;
const ALNUM = /^[0-9a-z]+$/u;
/** A pseudonymised or real administrative code before 市/区/县: A, A3, K9. */
const CODE = /^[a-z]\d{0,2}$/u;
const ADMIN_SUFFIX = new Set(['市', '区', '县', '省', '州']);

/** Suffixes of estates, roads and other places whose name is the place itself. */
const ESTATE_SUFFIXES = [
  '小区', '新城', '花园', '家园', '公寓', '大厦', '广场', '名都', '华庭', '华府', '水岸', '苑', '园', '府', '湾', '城',
  '村', '组', '路', '街', '大道', '巷', '桥', '隧道', '湖', '山', '岛', '河', '江', '港', '坪', '塘', '岭',
];
/** Suffixes of facilities and organisations: the name is the place, the suffix also says what it is (a school, a hospital). */
const FACILITY_SUFFIXES = [
  '高速', '高铁', '线', '站', '地铁站', '车站', '码头', '机场', '学校', '小学', '中学', '大学', '学院', '幼儿园', '医院', '卫生院', '诊所',
  '公园', '市场', '商场', '超市', '酒店', '宾馆', '集团', '公司', '有限公司', '物业', '银行', '工业园', '产业园', '景区', '车贷', '项目', '楼盘',
];
/** Suffixes of areas: a street, a town, a new district — coarser than the places people complain about. */
const AREA_SUFFIXES = ['街道', '镇', '乡', '新区', '片区', '开发区', '经开区', '高新区'];
const ESTATE = new Set(ESTATE_SUFFIXES);
const FACILITY = new Set(FACILITY_SUFFIXES);
const AREA = new Set(AREA_SUFFIXES);
/** Common words shaped like places that need a name before them (马路, 公园, 农村). */
const GENERIC_PLACES = new Set([
  '马路', '道路', '公路', '铁路', '线路', '电路', '出路', '思路', '网路', '走路', '修路', '过路', '小路', '大路', '路段', '路口', '路面', '路灯',
  '校园', '田园', '果园', '菜园', '乐园', '庄园', '园林', '园区', '墓园', '城市', '县城', '省城', '进城', '全城', '城区', '城乡', '主城', '城镇', '古城', '老城', '城管',
  '农村', '乡村', '村民', '新村', '本村', '全村', '该村', '村里', '村庄', '村委', '村组', '城中村', '大街', '上街', '沿街', '临街', '商业街', '步行街', '老区',
  '水塘', '池塘', '鱼塘', '山塘', '港湾', '海湾', '高山', '下山', '上山', '河道', '河边', '江边', '湖边', '小岛', '半岛',
]);
/** Words that sit before places but are not part of their names. */
const NOT_NAME = new Set([
  '附近', '周边', '旁边', '对面', '门口', '东侧', '西侧', '南侧', '北侧', '东面', '西面', '南面', '北面', '位于', '地处', '所在', '靠近', '临近', '紧邻', '关于', '对于',
  '我们', '业主', '居民', '村民', '市民', '住户', '职工', '学生', '家长', '老师', '群众', '百姓', '老百姓', '本人', '领导', '政府', '部门', '我市', '全市',
  '问题', '情况', '地方', '区域', '地区', '一带', '周围', '沿线', '中间', '之间', '小区', '社区', '片区', '城市', '农村', '家里', '我家', '家门口', '楼下', '楼上',
  '建设', '规划', '项目', '工程', '施工', '开发商', '物业', '业委会', '居委会', '村委会', '公司', '单位',
]);
/** Single characters that are words of their own (function words, common verbs): they break a run of unknown characters. */
const FUNCTION_CHARS = new Set(
  '的了在是我有和就不人都一也很到说要去你会着没看好这那他她它们个上下中里内外旁边侧对被把让给从向与及或而但又还再已才只为以于等如将能可该此其所每各些么吗呢吧啊呀哦嘛啦太更最非无未性请问由因并且即则至比当后前时年月日号天次多少大小老高低长短第几何谁啥怎元米平方万千百十二三四五六七八九零两半整近远快慢早晚买卖建修办做搬拆装开关停收交住走来找拿用付带送叫想见听写骂打抓罚扣占堵挖砍烧排放漏吵臭脏乱差贵难'.split(''),
);
/** Words that say nothing about the problem in a citizen's message. */
const STOP_WORDS = new Set([
  '问题', '情况', '反映', '投诉', '举报', '建议', '咨询', '请问', '希望', '要求', '请求', '恳请', '关于', '关注', '相关', '有关', '部门', '政府', '领导', '书记', '市长', '局长', '尊敬', '您好', '你好', '谢谢', '感谢',
  '我们', '你们', '他们', '大家', '本人', '自己', '这个', '那个', '这些', '那些', '一个', '什么', '怎么', '如何', '为什么', '是否', '能否', '可以', '能够', '已经', '一直', '现在', '目前', '今年', '去年', '时候', '时间',
  '没有', '不是', '就是', '还是', '但是', '因为', '所以', '如果', '而且', '并且', '或者', '以及', '以上', '以下', '进行', '存在', '出现', '发生', '导致', '造成', '影响', '严重', '非常', '特别', '十分', '一些', '很多', '许多',
  '尽快', '及时', '解决', '处理', '落实', '给予', '回复', '答复', '重视', '调查', '核实', '明确', '说明', '了解', '知道', '认为', '觉得', '表示', '告知', '得到', '实在', '真的', '到底', '究竟', '为何', '为啥',
  '加快', '力度', '步伐', '刻不容缓', '何时', '什么', '时候', '能不能', '可不可以', '为什么', '应该', '必须', '一定', '肯定', '可能',
  '地方', '这里', '那里', '哪里', '其中', '其他', '其它', '之后', '以后', '之前', '以前', '最近', '近期', '一下', '一样', '还有', '只有', '只是', '不能', '不会', '需要', '一名', '位于', '附近', '周边', '旁边',
]);

/** A token that can be part of a place name: an unknown character, a noun or name of the dictionary, a code. */
function isNameToken(token: string, common: ReadonlySet<string>): boolean {
  if (NOT_NAME.has(token) || ADMIN_SUFFIX.has(token) || /(书记|市长|局长|主任|领导)$/u.test(token)) return false;
  if (token.length === 1) return CJK.test(token) ? !FUNCTION_CHARS.has(token) && !FACILITY.has(token) && !AREA.has(token) : /^[0-9a-z]$/u.test(token);
  if (ALNUM.test(token)) return token.length <= 4;
  // Words shaped like estates chain into a longer name (伊 + 景园 + 滨河 + 苑); exact suffixes (小区, 物业) start a new place.
  return CJK.test(token) && !common.has(token) && !FACILITY.has(token) && !AREA.has(token) && !ESTATE.has(token);
}

/** What kind of place a token ends, if any; words that merely end like one (景园, 南路, 溪湖) are estates. */
function placeKind(token: string, common: ReadonlySet<string>): number {
  if (AREA.has(token)) return KIND_AREA;
  if (FACILITY.has(token)) return KIND_FACILITY;
  if (ESTATE.has(token)) return KIND_ESTATE;
  if (token.length >= 2 && CJK.test(token) && !GENERIC_PLACES.has(token) && !token.endsWith('政府') && !common.has(token) && ESTATE_SUFFIXES.some((end) => end.length === 1 && token.endsWith(end))) return KIND_ESTATE;
  return 0;
}

/** A name that describes a kind of place (公办幼儿园, 三甲医院, 物业管理有限公司), not one place. */
const DESCRIPTIVE = /(公办|民办|普惠|公立|私立|配套|三甲|国有|私人|大型|小型|新建|在建|市属|区属|省属|本地|当地|物业管理|房地产|集团股份|股份|置业|投资|实业|科技|建设|开发|管理)/u;

/** Characters that make a number a count or an address part, not an identifier (10栋, 3号楼, 5年). */
const UNITS = /^[栋号楼层室期年月日元万米个次天岁平户人名辆套间位台条家所批组单届]/u;

/** Generic tails removed from a place: 丽发新城小区 and 丽发新城 are one place. */
const GENERIC_TAILS = new Set(['小区', '社区', '项目', '楼盘']);

// Token flags, computed once per distinct token.
const F_SEPARATOR = 1;
const F_CODE = 2;
const F_ADMIN = 4;
const F_NAME = 8;
const F_RUN = 16;
const F_PROBLEM = 32;
const F_PROPER = 64;
const F_CJK = 128;
const F_TAIL = 256;
const KIND_ESTATE = 512;
const KIND_FACILITY = 1024;
const KIND_AREA = 2048;
const KINDS = KIND_ESTATE | KIND_FACILITY | KIND_AREA;

/** What a token is to the clustering. */
export const ROLE_OTHER = 0;
/** A word of the message's problem. */
export const ROLE_PROBLEM = 1;
/** Part of a place or a name: left out of the problem. */
export const ROLE_NAME = 2;

/** A place found in a message, with the tokens it spans (`start` inclusive, `end` exclusive). */
export interface PlaceSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A message read token by token: what `createClusterer` keeps. */
export interface ReadMessage {
  /** Token ids (see `TokenReader.words`): the title's, then the body's; punctuation is one separator token. */
  readonly tokens: Int32Array;
  /** How many of `tokens` are the title's (they count twice). */
  readonly titleTokens: number;
  /** Per token: `ROLE_PROBLEM`, `ROLE_NAME` or `ROLE_OTHER`. */
  readonly roles: Uint8Array;
  readonly places: readonly PlaceSpan[];
  readonly names: readonly string[];
  readonly areas: readonly string[];
}

/** Reads messages; keeps one id and one set of flags per distinct token, so a token is classified once. */
export interface TokenReader {
  read(title: string, body: string): ReadMessage;
  /** Reads many messages, in order. */
  readMany(messages: readonly { readonly title: string; readonly body: string }[]): ReadMessage[];
  /** Token text by id. */
  readonly words: readonly string[];
}

/**
 * Creates a reader. `read` segments the title and the start of the body
 * (`BODY_PREFIX_CHARS`), finds places, names and areas, and marks problem
 * words. Pure apart from jieba's dictionary, loaded on first use (or taken
 * from `shared`, another thread's `shareReaderLexicon()`).
 *
 * @example createReader().read('投诉小区附近搅拌站噪音扰民', '我是A市暮云街道丽发新城的业主').places[0].text // → '丽发新城'
 */
export function createReader(shared?: SharedReaderLexicon): TokenReader {
  const { dictionary, common, proper } = shared ? lexiconFromShared(shared) : loadLexicon();
  const segmenter = new Segmenter(dictionary);
  /** Our token id of each dictionary word id, once seen (-1 before). */
  const byWordId = new Int32Array(dictionary.words.length).fill(-1);
  /** Our token id of each one-unit token the dictionary lacks, once seen (-1 before). */
  const byUnit = new Int32Array(65536).fill(-1);
  const ids = new Map<string, number>();
  const words: string[] = [];
  const flags: number[] = [];
  const SEPARATOR = 0;
  ids.set('|', SEPARATOR);
  words.push('|');
  flags.push(F_SEPARATOR);
  const idOf = (token: string): number => {
    let id = ids.get(token);
    if (id !== undefined) return id;
    const cjk = CJK.test(token);
    if (!cjk && !ALNUM.test(token)) return SEPARATOR;
    let f = cjk ? F_CJK : 0;
    if (CODE.test(token)) f |= F_CODE;
    if (ADMIN_SUFFIX.has(token)) f |= F_ADMIN;
    if (isNameToken(token, common)) f |= F_NAME;
    if (isRunToken(token)) f |= F_RUN;
    if (isProblemWord(token)) f |= F_PROBLEM;
    if (token.length >= 2 && proper.has(token) && !NOT_NAME.has(token)) f |= F_PROPER;
    if (GENERIC_TAILS.has(token)) f |= F_TAIL;
    f |= placeKind(token, common);
    id = words.length;
    ids.set(token, id);
    words.push(token);
    flags.push(f);
    return id;
  };
  let scratch = new Int32Array(1024);
  let length = 0;
  const pushId = (id: number): void => {
    if (id === SEPARATOR && (length === 0 || scratch[length - 1] === SEPARATOR)) return;
    if (length === scratch.length) {
      const grown = new Int32Array(2 * scratch.length);
      grown.set(scratch);
      scratch = grown;
    }
    scratch[length++] = id;
  };
  /** Appends the token ids of `text`, each run of punctuation and spaces collapsed into one separator. */
  const pushText = (raw: string): void => {
    const text = raw.normalize('NFKC').toLowerCase();
    const count = segmenter.segment(text);
    const { starts, ends, ids: wordIds } = segmenter;
    let at = 0;
    for (let i = 0; i < count; i++) {
      const start = starts[i]!;
      if (start > at) pushId(SEPARATOR);
      const wordId = wordIds[i]!;
      let id: number;
      if (wordId < 0) {
        // Characters the dictionary lacks are frequent (they are how names are found): one table lookup, no substring.
        if (ends[i]! - start === 1) {
          const unit = text.charCodeAt(start);
          id = byUnit[unit]!;
          if (id < 0) byUnit[unit] = id = idOf(text[start]!);
        } else id = idOf(text.slice(start, ends[i]));
      } else {
        id = byWordId[wordId]!;
        if (id < 0) byWordId[wordId] = id = idOf(dictionary.words[wordId]!);
      }
      pushId(id);
      at = ends[i]!;
    }
    if (text.length > at) pushId(SEPARATOR);
  };
  const readOne = (title: string, body: string): ReadMessage => {
    length = 0;
    pushText(title);
    const titleTokens = length;
    pushText(body.slice(0, BODY_PREFIX_CHARS));
    const ids = scratch.slice(0, length);
    const roles = new Uint8Array(length);
    const places: PlaceSpan[] = [];
    const names = new Set<string>();
    const areas = new Set<string>();
    const part = { tokens: ids, words, flags, roles, places, names, areas };
    readPart(part, 0, titleTokens);
    readPart(part, titleTokens, length);
    const placeTexts = new Set(places.map((place) => place.text));
    return { tokens: ids, titleTokens, roles, places, names: [...names].filter((name) => !placeTexts.has(name)), areas: [...areas] };
  };
  const readMany = (messages: readonly { readonly title: string; readonly body: string }[]): ReadMessage[] => messages.map((message) => readOne(message.title, message.body));
  return {
    words,
    readMany,
    read: readOne,
  };
}

let defaultReader: TokenReader | undefined;

/**
 * One message's places, names, areas and problem words (with their counts, a
 * title word counting twice), as plain sets: for tests and explanations.
 */
export function extractTerms(title: string, body: string): MessageTerms {
  defaultReader ??= createReader();
  const reader = defaultReader;
  const read = reader.read(title, body);
  const problem = new Map<string, number>();
  read.tokens.forEach((id, i) => {
    if (read.roles[i] === ROLE_PROBLEM) problem.set(reader.words[id]!, (problem.get(reader.words[id]!) ?? 0) + (i < read.titleTokens ? 2 : 1));
  });
  return { places: [...new Set(read.places.map((place) => place.text))], names: read.names, areas: read.areas, problem };
}

interface Part {
  readonly tokens: Int32Array;
  readonly words: readonly string[];
  readonly flags: readonly number[];
  readonly roles: Uint8Array;
  readonly places: PlaceSpan[];
  readonly names: Set<string>;
  readonly areas: Set<string>;
}

function readPart(part: Part, from: number, to: number): void {
  const { tokens, words, flags, roles } = part;
  const n = to - from;
  const flag = (i: number): number => flags[tokens[from + i]!]!;
  const word = (i: number): string => words[tokens[from + i]!]!;
  const text = (start: number, end: number): string => {
    let out = '';
    for (let k = start; k < end; k++) out += word(k);
    return out;
  };
  const code = new Uint8Array(n);
  for (let i = 0; i + 1 < n; i++) {
    if (!(flag(i) & F_CODE) || !(flag(i + 1) & F_ADMIN)) continue;
    // A code right after a name is part of it (五矿万境K9县: the data's pseudonymisation), not a district.
    if (i > 0 && !code[i - 1] && flag(i - 1) & F_NAME) continue;
    code[i] = code[i + 1] = 1;
    if (word(i + 1) !== '市' && word(i + 1) !== '省') part.areas.add(word(i) + word(i + 1));
  }
  const inPlace = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const kind = code[i] ? 0 : flag(i) & KINDS;
    if (kind === 0) continue;
    let start = i;
    let chars = 0;
    while (start > 0 && i - start < 3 && !code[start - 1] && flag(start - 1) & F_NAME && chars + word(start - 1).length <= 6) {
      start--;
      chars += word(start).length;
    }
    if (start === i) continue;
    // 丽发新城小区 and 丽发新城 are one place: a generic tail token is dropped.
    const end = flag(i) & F_TAIL ? i : i + 1;
    const place = text(start, end);
    if (place.length < 3 || place.length > 12 || DESCRIPTIVE.test(place)) continue;
    if (kind === KIND_AREA) part.areas.add(place);
    else part.places.push({ text: place, start: from + start, end: from + end });
    for (let k = start; k <= i; k++) inPlace[k] = 1;
  }
  // Runs of unknown single characters, with codes glued to them: names jieba does not know (丽发, 58车贷).
  for (let i = 0; i < n; ) {
    let j = i;
    let chars = 0;
    while (j < n && !code[j] && flag(j) & F_RUN) {
      if (flag(j) & F_CJK) chars += 1;
      j++;
    }
    if (j - i >= 2 && chars >= 2 && j - i <= 6) {
      const name = text(i, j);
      // A number glued to a name (58车贷) is an identifier: as specific as a place (not a count: 10栋, 3号).
      if (/^\d+[\u3400-\u9fff]{2,}$/u.test(name) && !UNITS.test(name.replace(/^\d+/u, ''))) part.places.push({ text: name, start: from + i, end: from + j });
      else part.names.add(name);
      for (let k = i; k < j; k++) inPlace[k] = 1;
    }
    i = Math.max(j, i + 1);
  }
  for (let i = 0; i < n; i++) {
    const f = flag(i);
    // Proper names of the dictionary outside a place (五矿, 广铁): named things, not problem words.
    if (!inPlace[i] && !code[i] && f & F_PROPER) {
      part.names.add(word(i));
      inPlace[i] = 1;
    }
    if (inPlace[i]) roles[from + i] = ROLE_NAME;
    else if (!code[i] && f & F_PROBLEM) roles[from + i] = ROLE_PROBLEM;
  }
}

function isRunToken(token: string): boolean {
  if (token.length === 1) return CJK.test(token) ? !FUNCTION_CHARS.has(token) : /^[0-9a-z]$/u.test(token);
  // A number or latin code glued to the run joins it (58 + 车 + 贷); words of two or more characters do not.
  return ALNUM.test(token) && token.length <= 4 && !/^\d{3,}$/u.test(token);
}

function isProblemWord(token: string): boolean {
  if (STOP_WORDS.has(token)) return false;
  if (CJK.test(token)) return token.length >= 2;
  // Latin words and codes (p2p, 110kv) are kept; bare numbers are not.
  return ALNUM.test(token) && token.length >= 2 && !/^\d+$/u.test(token);
}
