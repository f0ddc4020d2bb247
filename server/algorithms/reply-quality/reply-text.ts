/**
 * The text side of reply scoring: what in a reply is boilerplate (greetings,
 * "留言已收悉", thanks, forwarding notices, sign-off dates, the platform's
 * name, the message's own title quoted back) and what is left to judge, and
 * the character pairs by which a message and a reply are compared.
 */

/** What stripping boilerplate found. */
export interface ReplyText {
  /** The reply with boilerplate removed: what a reader learns from it. */
  readonly substance: string;
  /** Letters, digits and Chinese characters in `substance`. */
  readonly substanceLength: number;
  /**
   * The reply says it passed the matter on (已转…调查处理): to a named office
   * (已转F6县调查处理), to offices in general (已转相关部门), or not at all (null).
   */
  readonly forwarded: 'named' | 'general' | null;
  /** The reply says the matter is not the unit's business (不属于我单位职责). */
  readonly notOurRemit: boolean;
}

const CJK_OR_ALNUM = /[\p{Script=Han}A-Za-z0-9]/gu;

/** Letters, digits and Chinese characters: how much text there is, punctuation and spacing aside. */
export function contentLength(text: string): number {
  return text.match(CJK_OR_ALNUM)?.length ?? 0;
}

const DATE = String.raw`\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?`;

/** Forwarding notices: "已转F6县调查处理", "已将您反映的问题转相关部门进行处理", "已交有关单位调查核处". */
const FORWARD = new RegExp(
  String.raw`[^。！!？?\n]{0,30}?(?:已|现已|均已)(?:将[^。！!，,]{0,24}?)?(?:转交|转至|转给|转|交由|交办|交|批转|移交|发函交办给?|函转)([^。！!\n]{0,40}?)(?:调查|核实|核处|核查|办理|处理|办复|答复|回复|处置|查处|研究)[^。！!\n]{0,40}?(?:[。！!]|$)`,
  'g',
);

/** Offices in general, as a forwarding notice may name them. */
const GENERAL_RECIPIENT = /(?:相关|有关|各|职能|责任)(?:部门|单位|机构|方面)/g;
/** An office by name in a forwarding notice: 县交警大队, 市编办, F6县, L1区委. */
const NAMED_RECIPIENT = /[\p{Script=Han}A-Z0-9]{0,12}(?:局|委|办|处|所|站|队|院|中心|公司|医院|学校|街道|社区|镇|乡|县|区|市|政府)/u;

const NOT_OUR_REMIT = /不属于?(?:我|本)(?:单位|局|部门|委|办|中心|公司)?(?:的)?(?:职责|职能|管辖|业务)/;

/** Patterns removed as boilerplate, in order. */
const BOILERPLATE: readonly RegExp[] = [
  // The platform's own name, often with a column: 在平台《问政西地省》栏目.
  /(?:在|通过|于)?(?:平台)?[《“"]问政[^》”"]{0,8}[》”"](?:栏目|板块|上)?/g,
  // Citizen handles: “UU008249”, 网友“test ”.
  /[“"]?UU\d+[”"]?/g,
  // Greetings: 网友：您好！ 尊敬的网友 来信人：
  /(?:尊敬的|亲爱的)?(?:网友|网民|市民|来信人|网友同志|网民朋友|同志)?[“"][^”"]{0,20}[”"]?[：:，,\s]*(?:您|你)好[！!，,。：:\s]*/g,
  /(?:尊敬的|亲爱的)?(?:网友|网民|市民|来信人|网友同志|网民朋友)[：:，,；;\s]*(?:(?:您|你)好[！!，,。：:\s]*)?/g,
  /(?:您|你)好[！!，,。：:\s]+/g,
  // Receipt: 您的留言已收悉 / 来信收悉 / 帖文已获悉 / 来信已阅办.
  /(?:您|你)?(?:的|所)?(?:反映的?|提出的?|咨询的?|发布的?)?(?:留言|来信|来邮|帖文|贴文|网帖|帖子|一帖|帖|函件|问题|诉求|情况|事情|事项|咨询|建议|意见)[^。！!，,；;\n]{0,30}?(?:已|均已)?(?:收悉|获悉|阅办|收到|阅悉)[。！!，,；;]?/g,
  /(?:来信|留言|函件|来邮)(?:已)?收悉[。！!，,]?/g,
  // Lead-ins: 现将有关情况回复如下： / 现就相关问题答复如下 / 特作如下回复 / 特此回复.
  /(?:现|特|兹)?(?:将|就|对)?[^。！!：:\n]{0,20}?(?:回复|答复|说明|汇报|报告)如下[：:。，,]?/g,
  /特此(?:回复|答复|函复|说明)[。！!]?/g,
  // Thanks, wishes, politeness.
  /(?:再次|衷心|非常|首先)?(?:感谢|谢谢)(?:您|你|网友|网民|广大)?[^。！!\n]{0,40}?(?:关心|关注|支持|理解|监督|信任|留言|问政|来信|建言献策|意见|建议)[^。！!\n]{0,24}?(?:[。！!]|$)/g,
  /祝(?:您|你)[^。！!\n]{0,24}(?:[。！!]|$)/g,
  /(?:谢谢|感谢)[！!。]?/g,
  /(?:敬请|请您?)(?:谅解|关注|理解)[^。！!\n]{0,20}(?:[。！!]|$)/g,
  /给(?:您|你)带来的不便[^。！!\n]{0,12}(?:[。！!]|$)/g,
  /(?:我们|我局|我单位)?(?:高度重视|非常重视|十分重视)[，,。]?/g,
];

/** Sign-off dates: a date that ends the reply or one of its parts (a second reply glued on, a unit's signature). */
const SIGN_OFF_DATE = new RegExp(String.raw`${DATE}(?=\s*(?:$|网友|网民|尊敬|亲爱|[“"]|您好|你好))`, 'g');

/**
 * Splits a reply into boilerplate and substance.
 *
 * @param title the message's title: a reply quoting it back (反映“…”的问题) says nothing new.
 * @example readReply('网友：您好！留言已收悉', '') // → { substance: '', substanceLength: 0, forwarded: null, notOurRemit: false }
 */
export function readReply(reply: string, title: string): ReplyText {
  let text = reply.normalize('NFKC').replace(/\s+/g, ' ');
  text = text.replace(new RegExp(String.raw`[“"《]([^”"》]{4,80})[”"》]`, 'g'), (whole, inner: string) =>
    echoesTitle(inner, title) ? '' : whole,
  );
  let forwarded: ReplyText['forwarded'] = null;
  text = text.replace(FORWARD, (_notice, recipient: string) => {
    const named = NAMED_RECIPIENT.test(recipient.replace(GENERAL_RECIPIENT, ''));
    forwarded = named || forwarded === 'named' ? 'named' : 'general';
    return '';
  });
  const notOurRemit = NOT_OUR_REMIT.test(text);
  for (const pattern of BOILERPLATE) text = text.replace(pattern, '');
  text = text.replace(SIGN_OFF_DATE, '').trim();
  return { substance: text, substanceLength: contentLength(text), forwarded, notOurRemit };
}

/** A title of a rule or document: what a citizen may well name in a title too, and a reply rightly cites. */
const DOCUMENT_TITLE = /(?:通知|办法|条例|规定|意见|法|细则|方案|决定|批复|规划|标准|规范|公告|通告|纪要|制度|目录|指南|纲要|规程)$/;

/** Whether a quoted span is mostly the message's title (its character pairs found in the title) and not a document's name. */
function echoesTitle(span: string, title: string): boolean {
  if (DOCUMENT_TITLE.test(span.trim())) return false;
  return (pairRecall(contentPairs(span), contentPairs(title)) ?? 0) >= 0.6;
}

/**
 * Character pairs too common in citizens' messages and replies to show that a
 * reply speaks to this message (courtesy, generic asks, pronouns, offices in
 * general). A hand-written list, grown from reading messages.
 */
const GENERIC_PAIRS = new Set(
  (
    '您好 你好 问题 反映 领导 希望 谢谢 请求 政府 部门 有关 相关 我们 你们 他们 情况 工作 进行 没有 已经 可以 这个 什么 怎么 ' +
    '现在 目前 要求 解决 处理 市民 居民 群众 百姓 网友 关注 重视 建议 咨询 请问 投诉 举报 一个 不是 就是 还是 如果 因为 所以 ' +
    '但是 自己'
  ).split(' '),
);

/**
 * The distinct character pairs of a text's letters, digits and Chinese
 * characters (upper case, NFKC), generic pairs left out. Pairs need no word
 * segmentation, so local names a dictionary does not know (南泉, 洋湖) count
 * as much as any word. O(length).
 *
 * @example contentPairs('南泉小区') // → Set { '南泉', '泉小', '小区' }
 */
export function contentPairs(text: string): Set<string> {
  const chars = [...text.normalize('NFKC').toUpperCase().replace(/[^\p{Script=Han}A-Z0-9]/gu, '')];
  const pairs = new Set<string>();
  for (let i = 1; i < chars.length; i += 1) {
    const pair = chars[i - 1]! + chars[i]!;
    if (!GENERIC_PAIRS.has(pair)) pairs.add(pair);
  }
  return pairs;
}

/** The share of `wanted`'s pairs found in `found`; null when `wanted` is empty. */
export function pairRecall(wanted: ReadonlySet<string>, found: ReadonlySet<string>): number | null {
  if (wanted.size === 0) return null;
  let hits = 0;
  for (const pair of wanted) if (found.has(pair)) hits += 1;
  return hits / wanted.size;
}

/** Sentences of a message that ask something (a question, a request, a suggestion). */
export function askSentences(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/(?<=[。！!？?；;\n])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => contentLength(sentence) >= 4 && ASK.test(sentence));
}

const ASK = /[？?]|请问|是否|能否|可否|能不能|可不可以|为什么|为何|怎么|如何|多少|哪里|哪些|何时|什么时候|有没有|希望|建议|要求|请求|恳请|呼吁|盼望|请.{0,12}(?:解决|处理|查处|整治|督促|尽快|落实|核实|调查|关注|取缔|拆除|答复|协调)/;
