/**
 * Level 2 and 3 of the taxonomy, below a predicted level 1. The labelled
 * data names only level 1, so nothing below it can be learned; instead each
 * level-2/3 category gets cue terms — its own name and the parts of it split
 * at 和/与/及/、 (generic ones such as 管理 or 其他 dropped) plus the typical
 * wording citizens use for it, written by hand below — and a message gets a
 * deeper path only when its text holds enough of such cues. No evidence, no
 * path: the classifier never invents a level 2 or 3.
 */
/** A level-2 category (`path` of one name) or level-3 (two names) with its cue terms. */
export interface TaxonomyCue {
  readonly path: string[];
  readonly cues: string[];
}

/** Words in category names that do not point at any one category. */
const GENERIC = new Set([
  '其他', '管理', '问题', '建设', '政策', '工作', '监管', '服务', '行业', '事务', '权益', '纠纷', '待遇', '处理',
  '人员', '发展', '标准', '改革', '体制', '事业', '市场', '规划', '设计', '方案', '机构', '公共', '城市', '城镇',
  '居民', '职工', '社会', '保险', '安全', '质量', '执法', '监督', '资金', '使用', '手续', '审批', '设施', '维护',
]);

/**
 * How citizens tend to say it, by category name (level 2 or 3). Our own
 * list, from reading messages; it applies wherever the taxonomy has a
 * category of that name.
 */
const TYPICAL_WORDING: Readonly<Record<string, readonly string[]>> = {
  物业服务: ['物业', '业委会', '业主委员会', '物业费'],
  小区管理: ['小区', '业主'],
  违章建筑: ['违建', '违章', '私搭乱建', '乱搭乱建', '违规搭建', '加盖'],
  房屋拆迁: ['拆迁', '强拆', '征收'],
  安置补偿: ['安置', '补偿款', '补偿标准', '赔偿款'],
  回迁房: ['回迁', '还建'],
  棚户区和城中村改造: ['棚改', '棚户区', '城中村'],
  住房公积金: ['公积金'],
  保障性住房: ['公租房', '廉租房', '保障房', '经适房', '经济适用房', '人才公寓'],
  '房产证登记、办理': ['房产证', '不动产证', '产权证', '不动产登记'],
  房地产开发管理: ['开发商', '楼盘', '交房', '延期交房', '售楼'],
  房屋租赁: ['租房', '房租', '出租屋', '租金'],
  修缮装修: ['装修', '漏水', '维修基金', '维修资金'],
  拖欠工程款: ['工程款', '包工头'],
  施工安全: ['工地', '施工现场', '脚手架'],
  城管执法: ['城管', '占道经营', '摆摊', '流动摊贩'],
  园林绿化: ['绿化', '树木', '砍树', '草坪'],
  环境卫生: ['垃圾', '环卫', '公厕', '卫生死角'],
  园林绿化环卫: ['绿化带', '环卫'],
  燃气供应: ['燃气', '天然气', '煤气'],
  电力供应: ['停电', '供电', '电压', '电表', '电网'],
  自来水供应: ['自来水', '停水', '供水', '水压', '水质'],
  冬季采暖: ['暖气', '供暖', '采暖'],
  地铁城铁: ['地铁', '轻轨', '城铁'],
  公共汽车: ['公交车', '公交线路', '公交站', '公交'],
  城市公共设施: ['路灯', '井盖', '下水道', '排水', '积水'],
  基础设施: ['道路', '路面', '管网'],
  公园管理: ['公园'],
  新农村建设: ['新农村', '美丽乡村'],
  规划方案: ['规划', '控规', '容积率'],
  容积挡光: ['挡光', '采光', '日照', '楼间距'],
  安全隐患: ['隐患', '危险', '坍塌'],
  噪音污染: ['噪音', '噪声', '扰民', '吵'],
  大气污染: ['废气', '烟尘', '粉尘', '扬尘', '臭味', '异味', '油烟', '焚烧', '雾霾'],
  水污染: ['污水', '排污', '废水', '河水', '水体', '黑臭'],
  固体污染: ['固废', '垃圾场', '填埋', '渣土'],
  土壤污染: ['土壤', '重金属'],
  电磁污染: ['辐射', '基站', '变电站', '高压线'],
  危险化学品污染: ['化工', '化学品'],
  生态破坏: ['砍伐', '采砂', '挖山', '毁林'],
  环境执法: ['环保局', '环保部门', '偷排'],
  未批先建: ['环评'],
  出租车管理: ['出租车', '的士', '拒载'],
  网约车问题: ['网约车', '滴滴', '专车'],
  运价监管: ['打表', '车费'],
  公路收费: ['收费站', '过路费', 'ETC'],
  规费征稽: ['规费'],
  设施维护: ['路面破损', '坑洼', '红绿灯', '信号灯', '护栏'],
  规划建设: ['修路', '通车', '公路', '高速'],
  旅客运输: ['客运', '班车', '大巴', '火车站', '汽车站'],
  货物运输: ['货车', '货运', '超载'],
  快递市场管理: ['快递'],
  运输安全: ['超速', '非法营运', '黑车'],
  教师队伍和待遇: ['教师', '老师'],
  工资福利: ['工资', '绩效', '津贴', '补贴'],
  原民办代课教师: ['民办教师', '代课教师', '代课'],
  招生录取: ['招生', '招考', '特长生', '入学', '学位', '划片', '录取'],
  异地升学: ['异地中考', '异地高考', '借读'],
  乱收费: ['乱收费', '补课费', '资料费', '收费'],
  学生负担: ['作业', '补课', '减负'],
  校园安全: ['校车', '校门口', '学生安全'],
  民办学校: ['民办学校', '私立学校'],
  校外机构管理: ['培训机构', '辅导班', '托管'],
  学历学位学籍管理: ['学籍', '学历', '毕业证', '学位证'],
  教育资源配置: ['学校建设', '新建学校', '班额', '大班额'],
  考场考纪: ['考场', '作弊'],
  文物保护: ['文物', '古建筑', '遗址', '故居'],
  公共文化: ['图书馆', '文化馆', '广场舞'],
  文化市场与文化执法: ['网吧', 'KTV', '演出'],
  体育事业: ['体育', '健身', '运动场', '球场'],
  职工养老保险: ['养老保险', '养老金'],
  职工医疗保险: ['医保', '医疗保险'],
  职工工伤保险: ['工伤', '工伤认定', '工伤鉴定'],
  职工生育保险: ['生育保险', '生育津贴'],
  职工失业保险: ['失业金', '失业保险'],
  城乡居民养老保险: ['城乡居民养老', '农村养老'],
  新农村合作医疗: ['新农合', '农合', '合作医疗'],
  城镇居民医疗保险: ['居民医保'],
  工资发放: ['拖欠工资', '欠薪', '发工资', '工资发放'],
  最低工资标准: ['最低工资'],
  劳动合同纠纷: ['劳动合同', '合同'],
  农民工权益: ['农民工'],
  劳务派遣纠纷: ['劳务派遣', '派遣'],
  辞职辞退: ['辞退', '开除', '离职', '辞职'],
  非法用工: ['童工', '非法用工'],
  工作时间和休息休假: ['加班', '加班费', '休假', '年假', '双休', '调休'],
  就业和再就业: ['就业', '招聘', '创业'],
  职业培训: ['培训'],
  职业技能鉴定: ['技能鉴定', '职业资格'],
  退休金发放: ['退休金', '退休工资'],
  退休人员待遇: ['退休人员', '退休职工'],
  病退及提前退休人员待遇: ['提前退休', '病退'],
  社保基金管理: ['社保基金', '社保卡', '社保'],
  景区管理: ['景区', '景点', '门票'],
  旅游市场管理: ['旅行社', '导游', '旅游团'],
  商品质量: ['假冒', '伪劣', '质量问题'],
  物价监督: ['物价', '涨价', '价格', '收费'],
  传销: ['传销'],
  广告监管: ['广告'],
  特种设备管理: ['电梯', '锅炉'],
  不正当竞争: ['垄断', '不正当竞争'],
  中介机构管理: ['中介'],
  食品安全: ['食品', '过期', '餐馆', '饭店', '外卖', '变质'],
  药品和医疗器械管理: ['药品', '药店', '医疗器械', '药'],
  保健品化妆品管理: ['保健品', '化妆品'],
  医疗收费: ['医疗费', '药费', '乱收费'],
  非法行医: ['黑诊所', '无证行医', '非法行医'],
  医疗事故争议: ['医疗事故', '医疗纠纷', '误诊', '手术失败', '植物人', '医疗过错'],
  医疗机构管理: ['医院', '卫生院', '诊所'],
  医务人员管理: ['医生', '护士', '医务人员'],
  疾病预防控制: ['疫苗', '传染病', '疾控', '防疫'],
  计划生育服务管理: ['计生', '计划生育', '准生证', '生育证'],
  违法生育: ['超生', '社会抚养费'],
  独生子女父母奖励政策: ['独生子女'],
  失独家庭: ['失独'],
};

function namePieces(name: string): string[] {
  return name.split(/[和与及、]/).filter((piece) => piece.length >= 2);
}

function cuesOf(name: string): string[] {
  const cues = new Set<string>();
  if (name.length >= 2 && !GENERIC.has(name)) cues.add(name);
  for (const piece of namePieces(name)) if (!GENERIC.has(piece)) cues.add(piece);
  for (const cue of TYPICAL_WORDING[name] ?? []) cues.add(cue);
  return [...cues];
}

/**
 * Cue terms for every level-2 and level-3 category under each of `labels`,
 * from `paths` (rows of [level 1, level 2, level 3]). Categories named 其他
 * ("other") get no cues: a message is never put there on evidence.
 */
export function buildTaxonomyCues(paths: readonly (readonly string[])[], labels: readonly string[]): Record<string, TaxonomyCue[]> {
  const result: Record<string, TaxonomyCue[]> = {};
  for (const label of labels) {
    const cues: TaxonomyCue[] = [];
    const seenLevel2 = new Set<string>();
    for (const [level1, level2, level3] of paths) {
      if (level1 !== label || !level2 || level2 === '其他') continue;
      if (!seenLevel2.has(level2)) {
        seenLevel2.add(level2);
        cues.push({ path: [level2], cues: cuesOf(level2) });
      }
      if (level3 && level3 !== '其他') cues.push({ path: [level2, level3], cues: cuesOf(level3) });
    }
    result[label] = cues.filter((cue) => cue.cues.length > 0);
  }
  return result;
}

/**
 * Least evidence for a deeper path: summed length of the cues found, a title
 * hit counting twice — a two-character cue in the title, two in the body, or
 * one of four characters. One passing mention is not enough.
 */
export const MIN_EVIDENCE = 4;

/**
 * The cues under one level-1 label, indexed by their first character so a
 * text is scanned once however many cues there are.
 */
export interface PathFinder {
  readonly nodes: readonly TaxonomyCue[];
  /** First code unit → [cue, node index] pairs starting with it. */
  readonly byFirstUnit: ReadonlyMap<number, readonly (readonly [string, number])[]>;
  /** 1 where some cue starts with that code unit: most characters are skipped on one byte read. */
  readonly starts: Uint8Array;
}

/** Compiles the cues of one label for `findPath`. */
export function compilePathFinder(nodes: readonly TaxonomyCue[] | undefined): PathFinder {
  const byFirstUnit = new Map<number, [string, number][]>();
  const starts = new Uint8Array(65536);
  (nodes ?? []).forEach((node, index) => {
    for (const cue of node.cues) {
      starts[cue.charCodeAt(0)] = 1;
      const list = byFirstUnit.get(cue.charCodeAt(0)) ?? [];
      list.push([cue, index]);
      byFirstUnit.set(cue.charCodeAt(0), list);
    }
  });
  return { nodes: nodes ?? [], byFirstUnit, starts };
}

/** Adds to `scores[node]` the length × `weight` of each cue found in `text`, each cue once. */
function scan(finder: PathFinder, text: string, weight: number, scores: Float64Array, seen: Set<string>): void {
  const starts = finder.starts;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (starts[unit] === 0) continue;
    const candidates = finder.byFirstUnit.get(unit);
    if (!candidates) continue;
    for (const [cue, node] of candidates) {
      if (seen.has(cue) || !text.startsWith(cue, i)) continue;
      seen.add(cue);
      scores[node]! += weight * cue.length;
    }
  }
}

/**
 * The level-2/3 names under a label that the text supports best, or
 * undefined when nothing does. Evidence for a category is the summed length
 * of its cues found in the text (title hits count twice). A level-3
 * category needs at least MIN_EVIDENCE of its own; half its level 2's adds to
 * its score. Failing that, a level 2 with MIN_EVIDENCE gives a two-level
 * path. Ties go to the category listed first. O(text length × cues per first character).
 *
 * @example findPath(compilePathFinder(cues['城乡建设']), '小区物业不作为', '…') // ['住房保障与房地产', '物业服务']
 */
export function findPath(finder: PathFinder, title: string, body: string): string[] | undefined {
  if (finder.nodes.length === 0) return undefined;
  const scores = new Float64Array(finder.nodes.length);
  // A cue in the title and the body counts once, as a title hit: the body scan skips what the title found.
  const seen = new Set<string>();
  scan(finder, title, 2, scores, seen);
  scan(finder, body, 1, scores, seen);
  const level2Score = new Map<string, number>();
  finder.nodes.forEach((node, n) => {
    if (node.path.length === 1) level2Score.set(node.path[0]!, scores[n]!);
  });
  let best: readonly string[] | undefined;
  let bestScore = 0;
  finder.nodes.forEach((node, n) => {
    if (node.path.length !== 2 || scores[n]! < MIN_EVIDENCE) return;
    const score = scores[n]! + 0.5 * (level2Score.get(node.path[0]!) ?? 0);
    if (score > bestScore) {
      best = node.path;
      bestScore = score;
    }
  });
  if (best) return [...best];
  for (const [level2, score] of level2Score) {
    if (score >= MIN_EVIDENCE && score > bestScore) {
      best = [level2];
      bestScore = score;
    }
  }
  return best ? [...best] : undefined;
}
