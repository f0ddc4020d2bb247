/**
 * Place terms in a message's text: the named estates, villages, schools,
 * shops and roads a citizen writes ("润芳园小区", "金鼎村", "看云路"). No
 * gazetteer is needed: a place is a suffix a Chinese place name ends with,
 * plus the two characters before it. The cut is crude but the same text is
 * always cut the same way, so two messages naming the same estate share its
 * term ("青山新村社区青青家园小区" and "青青家园" both give 青青家园).
 */

/**
 * What kind of place a term names: a `site` (estate, village, school, shop:
 * the unit a complaint is usually about), an `area` (a street office, town or
 * township: many sites), a `road`, or a `district`. Only sites are index keys.
 */
export type PlaceKind = 'site' | 'area' | 'road' | 'district';

/** One place named in a text. */
export interface PlaceTerm {
  readonly term: string;
  readonly kind: PlaceKind;
}

/** Suffixes of estates, villages, institutions and shops. */
const SITE_SUFFIXES = [
  '幼儿园', '卫生院', '派出所', '批发市场', '农贸市场', '菜市场', '产业园', '工业园', '物流园', '商业街',
  '小区', '花园', '家园', '公寓', '大厦', '广场', '新村', '新城', '社区', '学校', '学院', '中学', '小学', '大学',
  '医院', '诊所', '市场', '公园', '宾馆', '酒店', '超市', '驿站', '工地', '楼盘',
  '苑', '园', '城', '府', '郡', '湾', '村', '组', '厂', '馆', '站',
];
const AREA_SUFFIXES = ['街道', '片区', '镇', '乡'];
const ROAD_SUFFIXES = ['大道', '路口', '高速', '隧道', '大桥', '路', '街', '巷', '桥'];
const SUFFIXES = [
  ...SITE_SUFFIXES.map((suffix) => ({ suffix, kind: 'site' as const })),
  ...AREA_SUFFIXES.map((suffix) => ({ suffix, kind: 'area' as const })),
  ...ROAD_SUFFIXES.map((suffix) => ({ suffix, kind: 'road' as const })),
].sort((a, b) => b.suffix.length - a.suffix.length);
const SUFFIX_CHARS = new Set(SUFFIXES.map(({ suffix }) => suffix[suffix.length - 1]!));

/** Characters that never end or start a place name: function words, pronouns, directions, numerals in words. */
const STOP = new Set('的了在是有无个我们你他她它这那该此本其和与及或对到从向往于把被让给就都也还又很太更最已将要会能可想请求问说为因所以而但旁边里外内前后附近间门口之各每某些几多少全整个号栋楼层室单元期区'.split(''));

/**
 * Two-character names too common to tell places apart ("国际社区", "实验学校",
 * "安置小区") or that are not names at all ("影响小区"): four characters are
 * taken instead ("中海国际社区"), or the match is dropped when there are none.
 */
const GENERIC_NAMES = new Set([
  '国际', '时代', '中央', '实验', '人民', '安置', '配套', '公办', '民办', '居民', '住宅', '建设', '工程', '改造', '建筑', '服务', '政务',
  '培训', '职业', '技术', '理工', '经济', '农村', '城市', '文明', '卫生', '影响', '导致', '进入', '周边', '所在', '新建', '在建', '拟建',
  '公交', '汽车', '火车', '高铁', '地铁', '客运', '垃圾', '首末', '终点', '收费', '公共', '社会', '商业', '步行', '老年', '活动', '综合',
  '附属', '第一', '第二', '第三', '小区', '社区', '学校', '医院', '街道', '附近', '对面', '旁边', '隔壁', '整个', '一个', '这个', '那个',
  '严重', '进出', '大型', '老旧', '惠性', '公立', '私立', '工作', '巡视', '网站', '门口', '周围', '楼下', '新农',
]);

/** A single-character suffix after one of these is a common word, not a place (农村, 县城, 小组, 车站 …). */
const NOT_BEFORE: Readonly<Record<string, string>> = { 城: '县市省京都', 村: '农', 组: '小民作视', 站: '车网' };

/** A single-character suffix followed by one of these is part of a word, not a place (城市, 城区, 村民, 园区 …). */
const NOT_AFTER: Readonly<Record<string, string>> = {
  城: '市区管乡际铁建', 村: '民委干长集', 组: '长织员建成', 园: '区长', 站: '长台', 厂: '家长区商', 馆: '长', 府: '办', 湾: '区', 苑: '区',
};

/** Names that are institutions of government, not places people complain about. */
const GENERIC = /政府|委员会|办事处$/;

const HAN = /\p{Script=Han}/u;
const NAME_CHAR = /[\p{Script=Han}a-z0-9]/u;

/**
 * District codes and names: the pseudonymised "a3区", "a7县", or two or three
 * Han characters before 区/县 right after a city or province (or at the start),
 * that are not an estate ("小区") or an area ("城区").
 */
const DISTRICT = /(?:^|[^a-z0-9])([a-z]\d{0,2}(?:区|县))|(?<=^|[市省])(\p{Script=Han}{2,3}(?:区|县))/gu;
const NOT_DISTRICT = /(小|社|片|园|城|景|校|厂|街|新|市|老|该|本|全|各|辖|山|矿|禁|湖|港|商|工|开发|保护|示范|核心|中心|服务|功能|建成|城市|农村|城区|区域|住宅)(区|县)$/u;

/** The district names in `normalised` text (empty when none is written). */
function districtsOf(normalised: string): Set<string> {
  const found = new Set<string>();
  for (const match of normalised.matchAll(DISTRICT)) {
    const code = match[1] ?? match[2];
    if (code && !NOT_DISTRICT.test(code)) found.add(code);
  }
  return found;
}

/**
 * The place terms of a normalised text (see `normaliseText`), in order of
 * first appearance, without repeats. For each position where a place suffix
 * ends, the longest suffix wins and the two characters before it are its
 * name; the match is dropped when the name holds a stop character, has no
 * Han character, or itself ends in a suffix (then the suffix continues a name
 * already taken, as 小区 in 润芳园小区).
 *
 * @example extractPlaces('a3区梅溪湖看云路一师润芳园小区临街门面') // → a3区 (district), 看云路 (road), 润芳园 (site)
 */
export function extractPlaces(normalised: string): PlaceTerm[] {
  const terms = new Map<string, PlaceKind>();
  for (const district of districtsOf(normalised)) terms.set(district, 'district');
  for (let end = 3; end <= normalised.length; end += 1) {
    const found = SUFFIXES.find(({ suffix }) => normalised.endsWith(suffix, end) && end - suffix.length >= 2);
    if (!found) continue;
    const start = end - found.suffix.length;
    if (found.suffix.length === 1 && (NOT_AFTER[found.suffix]?.includes(normalised[end] ?? '') || NOT_BEFORE[found.suffix]?.includes(normalised[start - 1]!))) continue;
    let name = normalised.slice(start - 2, start);
    if (GENERIC_NAMES.has(name)) name = start >= 4 ? normalised.slice(start - 4, start) : '';
    if (name === '' || ![...name].every((char) => NAME_CHAR.test(char) && !STOP.has(char))) continue;
    if (!HAN.test(name) || GENERIC_NAMES.has(name.slice(0, 2))) continue;
    if (SUFFIX_CHARS.has(name[name.length - 1]!) && SUFFIXES.some(({ suffix }) => normalised.endsWith(suffix, start))) continue;
    const term = name + found.suffix;
    if (GENERIC.test(term) || terms.has(term)) continue;
    terms.set(term, found.kind);
  }
  return [...terms].map(([term, kind]) => ({ term, kind }));
}
