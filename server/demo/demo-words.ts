/**
 * Facts and word lists behind the demo city. District names, codes and roads are
 * real Qingdao facts; street, community and people names are built from these
 * lists, so every demo place reads plausibly without describing a real one.
 * Every place word carries its pinyin/English form so English names can be built too.
 */

/** A word and its English (or pinyin) form: `['湛山', 'Zhanshan']`. */
export type Word = readonly [zh: string, en: string];

/** The 15 level-1 areas of the complaint taxonomy, each owned by at least one city bureau. */
export const COMPLAINT_AREAS = [
  '城乡建设',
  '农村农业',
  '政法',
  '教育文体',
  '劳动和社会保障',
  '民政',
  '党务政务',
  '经济管理',
  '卫生计生',
  '商贸旅游',
  '环境保护',
  '交通运输',
  '纪检监察',
  '国土资源',
  '科技与信息产业',
] as const;
export type ComplaintArea = (typeof COMPLAINT_AREAS)[number];

// --- the city and its districts ---------------------------------------------------------

export const CITY = { code: 'qingdao', name: '青岛市', nameEn: 'Qingdao', centroid: [120.38, 36.07] } as const;

/** urban: all subdistricts and communities; suburban: some towns; county: a county-level city, mostly towns and villages. */
export type DistrictKind = 'urban' | 'suburban' | 'county';

export interface DistrictFact {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  /** The name without 区/市, as used in branch names such as 青岛市公安局市南分局. */
  readonly short: Word;
  readonly kind: DistrictKind;
  readonly centroid: readonly [lng: number, lat: number];
  /** Real main roads, for office addresses. */
  readonly roads: readonly string[];
}

/** Qingdao's seven districts and three county-level cities, in administrative-code order. */
export const DISTRICTS: readonly DistrictFact[] = [
  {
    code: '370202',
    name: '市南区',
    nameEn: 'Shinan District',
    short: ['市南', 'Shinan'],
    kind: 'urban',
    centroid: [120.41, 36.07],
    roads: ['香港中路', '东海西路', '福州南路', '南京路', '延安三路', '澳门路'],
  },
  {
    code: '370203',
    name: '市北区',
    nameEn: 'Shibei District',
    short: ['市北', 'Shibei'],
    kind: 'urban',
    centroid: [120.37, 36.09],
    roads: ['辽宁路', '敦化路', '抚顺路', '哈尔滨路', '重庆南路', '黑龙江南路'],
  },
  {
    code: '370211',
    name: '黄岛区',
    nameEn: 'Huangdao District',
    short: ['黄岛', 'Huangdao'],
    kind: 'suburban',
    centroid: [120.2, 35.96],
    roads: ['长江中路', '江山中路', '井冈山路', '嘉陵江路', '滨海大道', '黄河东路'],
  },
  {
    code: '370212',
    name: '崂山区',
    nameEn: 'Laoshan District',
    short: ['崂山', 'Laoshan'],
    kind: 'urban',
    centroid: [120.47, 36.11],
    roads: ['海尔路', '株洲路', '松岭路', '深圳路', '秦岭路', '苗岭路'],
  },
  {
    code: '370213',
    name: '李沧区',
    nameEn: 'Licang District',
    short: ['李沧', 'Licang'],
    kind: 'urban',
    centroid: [120.43, 36.15],
    roads: ['京口路', '九水东路', '书院路', '金水路', '黑龙江中路', '振华路'],
  },
  {
    code: '370214',
    name: '城阳区',
    nameEn: 'Chengyang District',
    short: ['城阳', 'Chengyang'],
    kind: 'suburban',
    centroid: [120.4, 36.31],
    roads: ['正阳路', '长城路', '春阳路', '文阳路', '崇阳路'],
  },
  {
    code: '370215',
    name: '即墨区',
    nameEn: 'Jimo District',
    short: ['即墨', 'Jimo'],
    kind: 'suburban',
    centroid: [120.45, 36.39],
    roads: ['蓝鳌路', '鹤山路', '烟青路', '振华街', '文化路'],
  },
  {
    code: '370281',
    name: '胶州市',
    nameEn: 'Jiaozhou City',
    short: ['胶州', 'Jiaozhou'],
    kind: 'county',
    centroid: [120.03, 36.26],
    roads: ['扬州路', '杭州路', '福州路', '广州南路', '常州路'],
  },
  {
    code: '370283',
    name: '平度市',
    nameEn: 'Pingdu City',
    short: ['平度', 'Pingdu'],
    kind: 'county',
    centroid: [119.99, 36.78],
    roads: ['红旗路', '胜利路', '人民路', '杭州路', '扬州路'],
  },
  {
    code: '370285',
    name: '莱西市',
    nameEn: 'Laixi City',
    short: ['莱西', 'Laixi'],
    kind: 'county',
    centroid: [120.52, 36.89],
    roads: ['烟台路', '威海路', '上海路', '石岛路', '青岛路'],
  },
];

// --- streets (街道 / 镇) ---------------------------------------------------------------------

/** Road and neighbourhood stems in the style of Qingdao's subdistricts (街道). */
export const SUBDISTRICT_STEMS: readonly Word[] = [
  ['香港中路', 'Xianggang Middle Road'],
  ['湛山', 'Zhanshan'],
  ['八大关', 'Badaguan'],
  ['金门路', 'Jinmen Road'],
  ['珠海路', 'Zhuhai Road'],
  ['江苏路', 'Jiangsu Road'],
  ['中山路', 'Zhongshan Road'],
  ['云南路', 'Yunnan Road'],
  ['八大峡', 'Badaxia'],
  ['八大湖', 'Badahu'],
  ['台东', 'Taidong'],
  ['辽宁路', 'Liaoning Road'],
  ['延安路', "Yan'an Road"],
  ['登州路', 'Dengzhou Road'],
  ['宁夏路', 'Ningxia Road'],
  ['敦化路', 'Dunhua Road'],
  ['合肥路', 'Hefei Road'],
  ['浮山新区', 'Fushan Xinqu'],
  ['湖岛', 'Hudao'],
  ['水清沟', 'Shuiqinggou'],
  ['镇江路', 'Zhenjiang Road'],
  ['四方', 'Sifang'],
  ['兴隆路', 'Xinglong Road'],
  ['阜新路', 'Fuxin Road'],
  ['洛阳路', 'Luoyang Road'],
  ['振华路', 'Zhenhua Road'],
  ['沧口', 'Cangkou'],
  ['虎山路', 'Hushan Road'],
  ['九水', 'Jiushui'],
  ['楼山', 'Loushan'],
  ['李村', 'Licun'],
  ['湘潭路', 'Xiangtan Road'],
  ['中韩', 'Zhonghan'],
  ['沙子口', 'Shazikou'],
  ['金家岭', 'Jinjialing'],
  ['北宅', 'Beizhai'],
  ['流亭', 'Liuting'],
  ['夏庄', 'Xiazhuang'],
  ['棘洪滩', 'Jihongtan'],
  ['上马', 'Shangma'],
  ['河套', 'Hetao'],
  ['红岛', 'Hongdao'],
  ['长江路', 'Changjiang Road'],
  ['薛家岛', 'Xuejiadao'],
  ['辛安', "Xin'an"],
  ['灵珠山', 'Lingzhushan'],
  ['隐珠', 'Yinzhu'],
  ['珠山', 'Zhushan'],
  ['灵山卫', 'Lingshanwei'],
  ['滨海', 'Binhai'],
  ['通济', 'Tongji'],
  ['环秀', 'Huanxiu'],
  ['潮海', 'Chaohai'],
  ['北安', "Bei'an"],
  ['龙山', 'Longshan'],
  ['三里河', 'Sanlihe'],
  ['中云', 'Zhongyun'],
  ['阜安', "Fu'an"],
  ['胶东', 'Jiaodong'],
  ['胶西', 'Jiaoxi'],
  ['九龙', 'Jiulong'],
  ['凤台', 'Fengtai'],
  ['李园', 'Liyuan'],
  ['同和', 'Tonghe'],
  ['东阁', 'Dongge'],
  ['水集', 'Shuiji'],
  ['望城', 'Wangcheng'],
];

/** Market-town stems in the style of the Jiaodong countryside (镇). */
export const TOWN_STEMS: readonly Word[] = [
  ['王台', 'Wangtai'],
  ['六汪', 'Liuwang'],
  ['宝山', 'Baoshan'],
  ['大村', 'Dacun'],
  ['海青', 'Haiqing'],
  ['大场', 'Dachang'],
  ['泊里', 'Boli'],
  ['琅琊', 'Langya'],
  ['张家楼', 'Zhangjialou'],
  ['蓝村', 'Lancun'],
  ['灵山', 'Lingshan'],
  ['田横', 'Tianheng'],
  ['金口', 'Jinkou'],
  ['段泊岚', 'Duanbolan'],
  ['移风店', 'Yifengdian'],
  ['大信', 'Daxin'],
  ['铺集', 'Puji'],
  ['里岔', 'Licha'],
  ['胶莱', 'Jiaolai'],
  ['李哥庄', 'Ligezhuang'],
  ['洋河', 'Yanghe'],
  ['白沙河', 'Baishahe'],
  ['南村', 'Nancun'],
  ['明村', 'Mingcun'],
  ['田庄', 'Tianzhuang'],
  ['新河', 'Xinhe'],
  ['蓼兰', 'Liaolan'],
  ['崔家集', 'Cuijiaji'],
  ['大泽山', 'Dazeshan'],
  ['旧店', 'Jiudian'],
  ['云山', 'Yunshan'],
  ['古岘', 'Guxian'],
  ['仁兆', 'Renzhao'],
  ['店子', 'Dianzi'],
  ['姜山', 'Jiangshan'],
  ['夏格庄', 'Xiagezhuang'],
  ['院上', 'Yuanshang'],
  ['日庄', 'Rizhuang'],
  ['南墅', 'Nanshu'],
  ['河头店', 'Hetoudian'],
  ['店埠', 'Dianbu'],
  ['马连庄', 'Malianzhuang'],
  ['沽河', 'Guhe'],
  ['王哥庄', 'Wanggezhuang'],
  ['惜福', 'Xifu'],
];

// --- communities (社区) and villages (村) --------------------------------------------------

/**
 * Auspicious first and second syllables of residential-community names (金湖, 福安, 海滨…).
 * Their product, minus doubled syllables, gives about 1,700 names.
 */
// prettier-ignore
export const COMMUNITY_FIRST: readonly Word[] = [
  ['金', 'jin'], ['银', 'yin'], ['福', 'fu'], ['安', 'an'], ['康', 'kang'], ['宁', 'ning'],
  ['兴', 'xing'], ['华', 'hua'], ['新', 'xin'], ['海', 'hai'], ['山', 'shan'], ['泉', 'quan'],
  ['湖', 'hu'], ['青', 'qing'], ['翠', 'cui'], ['春', 'chun'], ['和', 'he'], ['祥', 'xiang'],
  ['瑞', 'rui'], ['嘉', 'jia'], ['丰', 'feng'], ['明', 'ming'], ['阳', 'yang'], ['东', 'dong'],
  ['西', 'xi'], ['南', 'nan'], ['北', 'bei'], ['中', 'zhong'], ['长', 'chang'], ['永', 'yong'],
  ['德', 'de'], ['佳', 'jia'], ['悦', 'yue'], ['景', 'jing'], ['龙', 'long'], ['凤', 'feng'],
  ['松', 'song'], ['柏', 'bai'], ['桃', 'tao'], ['云', 'yun'], ['文', 'wen'], ['乐', 'le'],
  ['平', 'ping'], ['泰', 'tai'], ['盛', 'sheng'], ['鑫', 'xin'], ['宏', 'hong'], ['润', 'run'],
];

// prettier-ignore
export const COMMUNITY_SECOND: readonly Word[] = [
  ['山', 'shan'], ['海', 'hai'], ['港', 'gang'], ['湾', 'wan'], ['岭', 'ling'], ['泉', 'quan'],
  ['河', 'he'], ['湖', 'hu'], ['苑', 'yuan'], ['园', 'yuan'], ['庭', 'ting'], ['城', 'cheng'],
  ['里', 'li'], ['台', 'tai'], ['华', 'hua'], ['安', 'an'], ['康', 'kang'], ['宁', 'ning'],
  ['兴', 'xing'], ['源', 'yuan'], ['林', 'lin'], ['景', 'jing'], ['阳', 'yang'], ['馨', 'xin'],
  ['和', 'he'], ['泰', 'tai'], ['福', 'fu'], ['居', 'ju'], ['府', 'fu'], ['坊', 'fang'],
  ['桥', 'qiao'], ['岛', 'dao'], ['滨', 'bin'], ['溪', 'xi'], ['峰', 'feng'], ['庄', 'zhuang'],
];

/** Village names follow the Shandong pattern [direction] + surname + 家庄/戈庄/疃…: 东王家庄, 小于戈庄. */
// prettier-ignore
export const VILLAGE_PREFIXES: readonly Word[] = [
  ['', ''], ['东', 'dong'], ['西', 'xi'], ['南', 'nan'], ['北', 'bei'], ['前', 'qian'],
  ['后', 'hou'], ['大', 'da'], ['小', 'xiao'], ['上', 'shang'], ['下', 'xia'],
];

// prettier-ignore
export const VILLAGE_SURNAMES: readonly Word[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'],
  ['赵', 'zhao'], ['孙', 'sun'], ['周', 'zhou'], ['吴', 'wu'], ['徐', 'xu'], ['马', 'ma'],
  ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'], ['高', 'gao'], ['林', 'lin'], ['于', 'yu'],
  ['姜', 'jiang'], ['崔', 'cui'], ['宋', 'song'], ['孟', 'meng'], ['薛', 'xue'], ['韩', 'han'],
];

// prettier-ignore
export const VILLAGE_SUFFIXES: readonly Word[] = [
  ['家庄', 'jiazhuang'], ['家疃', 'jiatuan'], ['家屯', 'jiatun'], ['家沟', 'jiagou'],
  ['家营', 'jiaying'], ['家埠', 'jiabu'], ['家洼', 'jiawa'], ['家岭', 'jialing'],
  ['家台', 'jiatai'], ['庄', 'zhuang'], ['疃', 'tuan'], ['戈庄', 'gezhuang'],
];

// --- people ------------------------------------------------------------------------------

/** Common surnames with rough weights; 于, 姜, 曲 and 隋 are typical of Jiaodong. */
// prettier-ignore
export const SURNAMES: readonly (readonly [surname: string, weight: number])[] = [
  ['王', 8], ['李', 7], ['张', 7], ['刘', 5], ['陈', 3], ['杨', 3], ['赵', 2], ['黄', 2],
  ['周', 2], ['吴', 2], ['徐', 2], ['孙', 3], ['于', 3], ['姜', 2], ['胡', 1], ['朱', 1],
  ['高', 2], ['林', 1], ['何', 1], ['郭', 1], ['马', 2], ['崔', 1], ['宋', 1], ['孟', 1],
  ['韩', 1], ['曲', 1], ['薛', 1], ['隋', 1],
];

/** Common given names across generations: one character or two. */
// prettier-ignore
export const GIVEN_NAMES: readonly string[] = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超',
  '霞', '平', '刚', '鹏', '辉', '琳', '颖', '斌', '秀英', '桂英', '建华', '建国', '志强', '海燕',
  '晓东', '晓燕', '丽娟', '红梅', '玉兰', '俊杰', '子涵', '浩然', '欣怡', '雨轩', '佳怡', '宇航',
  '梓萱', '博文', '思远', '晨阳', '文静', '海涛', '立新', '春梅', '国庆', '凤英', '志刚', '秀兰',
  '海波', '晓丽', '婷婷', '雪梅', '家豪', '一鸣', '诗琪', '明轩',
];

// --- government bureaus -------------------------------------------------------------------

/** A bureau kind: its city-level name and, where districts have one, the district counterpart. */
export interface BureauTemplate {
  /** ASCII key used in department codes: `city-housing`, `370202-housing`. */
  readonly key: string;
  readonly areas: readonly ComplaintArea[];
  readonly city: Word;
  /**
   * District counterpart; `{district}`/`{districtEn}` are replaced by the district's
   * name, `{short}`/`{shortEn}` by its name without 区/市.
   */
  readonly district?: Word;
  /** Counterpart in a county-level city, when it is named differently from a district's. */
  readonly countyCity?: Word;
}

/** Twenty city bureaus; between them they own every complaint area. */
export const BUREAUS: readonly BureauTemplate[] = [
  {
    key: 'housing',
    areas: ['城乡建设'],
    city: ['青岛市住房和城乡建设局', 'Qingdao Municipal Bureau of Housing and Urban-Rural Development'],
    district: ['{district}住房和城乡建设局', '{districtEn} Bureau of Housing and Urban-Rural Development'],
  },
  {
    key: 'urban-management',
    areas: ['城乡建设', '环境保护'],
    city: ['青岛市城市管理局', 'Qingdao Municipal Urban Management Bureau'],
    district: ['{district}城市管理局', '{districtEn} Urban Management Bureau'],
  },
  {
    key: 'agriculture',
    areas: ['农村农业'],
    city: ['青岛市农业农村局', 'Qingdao Municipal Bureau of Agriculture and Rural Affairs'],
    district: ['{district}农业农村局', '{districtEn} Bureau of Agriculture and Rural Affairs'],
  },
  {
    key: 'public-security',
    areas: ['政法'],
    city: ['青岛市公安局', 'Qingdao Municipal Public Security Bureau'],
    district: ['青岛市公安局{short}分局', 'Qingdao Public Security Bureau {shortEn} Branch'],
    countyCity: ['{district}公安局', '{districtEn} Public Security Bureau'],
  },
  {
    key: 'education',
    areas: ['教育文体'],
    city: ['青岛市教育局', 'Qingdao Municipal Education Bureau'],
  },
  {
    key: 'culture-tourism',
    areas: ['商贸旅游', '教育文体'],
    city: ['青岛市文化和旅游局', 'Qingdao Municipal Bureau of Culture and Tourism'],
  },
  {
    key: 'hrss',
    areas: ['劳动和社会保障'],
    city: ['青岛市人力资源和社会保障局', 'Qingdao Municipal Bureau of Human Resources and Social Security'],
  },
  {
    key: 'healthcare-security',
    areas: ['劳动和社会保障', '卫生计生'],
    city: ['青岛市医疗保障局', 'Qingdao Municipal Healthcare Security Administration'],
  },
  {
    key: 'civil-affairs',
    areas: ['民政'],
    city: ['青岛市民政局', 'Qingdao Municipal Civil Affairs Bureau'],
    district: ['{district}民政局', '{districtEn} Civil Affairs Bureau'],
  },
  {
    key: 'general-office',
    areas: ['党务政务'],
    city: ['青岛市人民政府办公厅', "General Office of the Qingdao Municipal People's Government"],
  },
  {
    key: 'development-reform',
    areas: ['经济管理'],
    city: ['青岛市发展和改革委员会', 'Qingdao Municipal Development and Reform Commission'],
  },
  {
    key: 'market-regulation',
    areas: ['经济管理', '商贸旅游'],
    city: ['青岛市市场监督管理局', 'Qingdao Municipal Administration for Market Regulation'],
  },
  {
    key: 'health',
    areas: ['卫生计生'],
    city: ['青岛市卫生健康委员会', 'Qingdao Municipal Health Commission'],
  },
  {
    key: 'commerce',
    areas: ['商贸旅游'],
    city: ['青岛市商务局', 'Qingdao Municipal Bureau of Commerce'],
  },
  {
    key: 'ecology-environment',
    areas: ['环境保护'],
    city: ['青岛市生态环境局', 'Qingdao Municipal Bureau of Ecology and Environment'],
  },
  {
    key: 'transport',
    areas: ['交通运输'],
    city: ['青岛市交通运输局', 'Qingdao Municipal Transport Bureau'],
  },
  {
    key: 'discipline',
    areas: ['纪检监察'],
    city: ['青岛市纪委监委', 'Qingdao Municipal Commission for Discipline Inspection and Supervision'],
  },
  {
    key: 'natural-resources',
    areas: ['国土资源'],
    city: ['青岛市自然资源和规划局', 'Qingdao Municipal Bureau of Natural Resources and Planning'],
  },
  {
    key: 'science-technology',
    areas: ['科技与信息产业'],
    city: ['青岛市科学技术局', 'Qingdao Municipal Science and Technology Bureau'],
  },
  {
    key: 'big-data',
    areas: ['科技与信息产业', '党务政务'],
    city: ['青岛市大数据发展管理局', 'Qingdao Big Data Development Administration'],
  },
];

/** Which bureaus each district has its own counterpart of: four each, forty in all. */
export const DISTRICT_BUREAUS: Readonly<Record<DistrictKind, readonly string[]>> = {
  urban: ['housing', 'urban-management', 'civil-affairs', 'public-security'],
  suburban: ['housing', 'agriculture', 'civil-affairs', 'public-security'],
  county: ['housing', 'agriculture', 'civil-affairs', 'public-security'],
};
