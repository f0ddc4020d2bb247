/**
 * Hand-labelled sentences with the exact text a public page must show. They
 * are written the way citizens and departments write (many adapted from the
 * shared 12345 corpus), and half of them are traps: dates, money, counts,
 * document numbers, service numbers, numbered roads and lines, floor plans,
 * addresses without a door, and words that merely start with a surname.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MaskFixture {
  text: string;
  /** What the public page shows; equal to `text` when nothing is personal. */
  expected: string;
  /** Why the case is here. */
  why: string;
}

export const MASK_FIXTURES: readonly MaskFixture[] = [
  // Personal data that must go.
  {
    why: 'every kind at once (the ID’s check digit is mistyped, but 身份证 says what it is)',
    text: '我叫张三，电话13812345678，身份证370202199001011234，车牌鲁B12345，住在市南区香港中路10号3单元501',
    expected: '我叫张*，电话138****5678，身份证37****************，车牌鲁B***45，住在市南区香港中路**号*单元***',
  },
  {
    why: 'English: a name after "contact", an e-mail and a formatted +86 mobile',
    text: 'Contact John Smith at john.smith@example.com or +86 138-1234-5678',
    expected: 'Contact J*** S*** at j***@example.com or +86 138-****-5678',
  },
  {
    why: 'a valid ID ending in X with no cue, and a mobile written in groups',
    text: '本人李建国，11010519491231002X，手机 139 0000 1111。',
    expected: '本人李**，11****************，手机 139 **** 1111。',
  },
  {
    why: 'role cue with a full-width colon, landline with area code',
    text: '联系人：王芳，联系电话：0532-83331234。',
    expected: '联系人：王*，联系电话：0532-******34。',
  },
  {
    why: 'area code in full-width brackets, local number in two groups',
    text: '座机（0532）8333 1234，传真0532-83335678',
    expected: '座机（0532）**** **34，传真0532-******78',
  },
  {
    why: 'three-digit area codes for Beijing and Guangzhou',
    text: '请致电 010-62345678 或 020 87654321 联系我',
    expected: '请致电 010-******78 或 020 ******21 联系我',
  },
  {
    why: 'local numbers only count after a phone word, and the list after it',
    text: '市教育体育局联系电话：8805667，8805670。',
    expected: '市教育体育局联系电话：*****67，*****70。',
  },
  {
    why: 'a list joined by 或者',
    text: '欢迎拨打7710052或者7179355，工作人员将认真听取',
    expected: '欢迎拨打*****52或者*****55，工作人员将认真听取',
  },
  {
    why: 'surname plus honorific is not a name to mask; the landline is',
    text: '联系方式：李先生、朱先生0736-7699021',
    expected: '联系方式：李先生、朱先生0736-*****21',
  },
  {
    why: 'e-mail between full-width punctuation',
    text: '邮箱：zhangsan@163.com。',
    expected: '邮箱：z***@163.com。',
  },
  {
    why: 'an e-mail typed with full-width characters',
    text: 'ＱＱ邮箱１２３４５６７８９＠ｑｑ．ｃｏｍ',
    expected: 'ＱＱ邮箱１***＠ｑｑ．ｃｏｍ',
  },
  {
    why: 'a mobile typed with full-width digits',
    text: '电话：１３９１２３４５６７８',
    expected: '电话：１３９****５６７８',
  },
  {
    why: 'an e-mail whose mailbox is a phone number is masked once, as an e-mail',
    text: '发到13812345678@139.com就行',
    expected: '发到1***@139.com就行',
  },
  {
    why: 'plate with the middle dot',
    text: '我的车是京A·12345，昨天被刮了',
    expected: '我的车是京A·***45，昨天被刮了',
  },
  {
    why: 'new-energy plate, six characters',
    text: '新能源车鲁BD12345停在消防通道',
    expected: '新能源车鲁B****45停在消防通道',
  },
  {
    why: 'trailer plate',
    text: '货车牌照鄂AP185挂乱停',
    expected: '货车牌照鄂A**85挂乱停',
  },
  {
    why: 'plate with a space, under the corpus’s pseudonymised province 楚',
    text: '车牌号为楚B NB305的皮卡多次倾倒垃圾',
    expected: '车牌号为楚B ***05的皮卡多次倾倒垃圾',
  },
  {
    why: 'lower-case plate, and an anonymised name (王某喜) left as it is',
    text: '的士牌号:楚at9459，司机:王某喜',
    expected: '的士牌号:楚a***59，司机:王某喜',
  },
  {
    why: 'bank card run together',
    text: '工资卡号6222021234567890128一直没有到账',
    expected: '工资卡号***************0128一直没有到账',
  },
  {
    why: 'bank card in groups of four',
    text: '退款请打到 6228 4800 1234 5671 这张卡',
    expected: '退款请打到 **** **** **** 5671 这张卡',
  },
  {
    why: 'Hong Kong identity card with its check character',
    text: '香港身份证A123456(3)已提交',
    expected: '香港身份证A******(*)已提交',
  },
  {
    why: 'passport number after the word 护照',
    text: '护照号码：E12345678',
    expected: '护照号码：E********',
  },
  {
    why: 'English: "my name is" and a mobile',
    text: 'My name is Li Wei and my phone is 13700001111.',
    expected: 'My name is L*** W*** and my phone is 137****1111.',
  },
  {
    why: 'English: a title before a surname',
    text: 'Mr. Zhang from the property company never replied.',
    expected: 'Mr. Z*** from the property company never replied.',
  },
  {
    why: 'English: O’Brien and a landline after "tel"',
    text: "Ms. O'Brien (tel: 0532-8333 1234) called twice.",
    expected: 'Ms. O*** (tel: 0532-**** **34) called twice.',
  },
  {
    why: 'a full name before 先生 keeps the surname',
    text: '致李明先生：您反映的问题已转交',
    expected: '致李*先生：您反映的问题已转交',
  },
  {
    why: 'a three-character name before 女士, and a door number after a road',
    text: '刘晓明女士家住汇金路777号汇金城',
    expected: '刘**女士家住汇金路***号汇金城',
  },
  {
    why: 'compound surname',
    text: '联系人：欧阳娜娜',
    expected: '联系人：欧阳**',
  },
  {
    why: 'a role word without a colon, the name ending at a verb',
    text: '小区内v3栋别墅业主仇校进行违法建设',
    expected: '小区内v3栋别墅业主仇*进行违法建设',
  },
  {
    why: 'a title word before a name, and a count that is not a phone',
    text: '执行董事长兼总经理罗平卫，纠集20余名社会闲散人员',
    expected: '执行董事长兼总经理罗**，纠集20余名社会闲散人员',
  },
  {
    why: 'a name after a role word, cut at 未',
    text: '出租车驾驶员王强益未耐心向您解释收费标准',
    expected: '出租车驾驶员王**未耐心向您解释收费标准',
  },
  {
    why: '我叫 with age after it',
    text: '我叫李娜，今年35岁，家住B2区白关镇',
    expected: '我叫李*，今年35岁，家住B2区白关镇',
  },
  {
    why: 'form-like fields',
    text: '姓名：陈红，性别：女，联系电话：15912345678',
    expected: '姓名：陈*，性别：女，联系电话：159****5678',
  },
  {
    why: 'a complainant’s signature line',
    text: '投诉人：王林红 联系方式：13512345678',
    expected: '投诉人：王** 联系方式：135****5678',
  },
  {
    why: 'building and flat in an estate, with no road',
    text: '我住在恒大雅苑35栋2407号，楼上天天漏水',
    expected: '我住在恒大雅苑**栋****号，楼上天天漏水',
  },
  {
    why: 'building and room',
    text: '其夫妻所住的楚绣苑公租房4栋202室是单位租的',
    expected: '其夫妻所住的楚绣苑公租房*栋***室是单位租的',
  },
  {
    why: 'a lone room number with 室 and a letter',
    text: '地址：A5区政府大院内区教育局b220室',
    expected: '地址：A5区政府大院内区教育局****室',
  },
  {
    why: 'building-unit-flat written with dashes',
    text: '住3-2-501的邻居每晚装修到12点',
    expected: '住*-*-***的邻居每晚装修到12点',
  },
  {
    why: 'a village house number',
    text: '本人张三，家住幸福村12号，电话0731-84567890',
    expected: '本人张*，家住幸福村**号，电话0731-******90',
  },
  {
    why: 'HTML stays text: only the number inside changes',
    text: '<script>alert("13812345678")</script><b>业主</b>',
    expected: '<script>alert("138****5678")</script><b>业主</b>',
  },

  // Traps: nothing here is personal.
  {
    why: 'dates and times',
    text: '2019年4月25日上午9:30，A市A2区景蓉华苑停水',
    expected: '2019年4月25日上午9:30，A市A2区景蓉华苑停水',
  },
  {
    why: 'ISO dates and times',
    text: '2018-12-05 14:30:00 收到回复，2019/1/5 复查',
    expected: '2018-12-05 14:30:00 收到回复，2019/1/5 复查',
  },
  {
    why: 'prices and amounts',
    text: '水4.23一吨，电0.64一度，每户交1000元保证金',
    expected: '水4.23一吨，电0.64一度，每户交1000元保证金',
  },
  {
    why: 'an eleven-digit amount that starts like a mobile',
    text: '共计征地补偿款15200000000元，其中活期存款4952609.59元',
    expected: '共计征地补偿款15200000000元，其中活期存款4952609.59元',
  },
  {
    why: 'document numbers',
    text: '根据国办发〔2024〕12号文件和长政函〔2015〕2号文件精神',
    expected: '根据国办发〔2024〕12号文件和长政函〔2015〕2号文件精神',
  },
  {
    why: 'a tracking code',
    text: '请凭跟踪码MX-7K3D-9QH2-W查询办理进度',
    expected: '请凭跟踪码MX-7K3D-9QH2-W查询办理进度',
  },
  {
    why: 'service numbers',
    text: '如有疑问请拨打12345热线或110报警，环保投诉拨12369',
    expected: '如有疑问请拨打12345热线或110报警，环保投诉拨12369',
  },
  {
    why: 'a national business number',
    text: '投诉到恒大总部400-889-3333以及城管单位',
    expected: '投诉到恒大总部400-889-3333以及城管单位',
  },
  {
    why: 'counts of buildings, households and rooms',
    text: '小区共有10栋460户，其中3室2厅户型100户',
    expected: '小区共有10栋460户，其中3室2厅户型100户',
  },
  {
    why: 'a building and unit without a flat',
    text: '世景华庭9栋1单元的消防栓有一年多没水了',
    expected: '世景华庭9栋1单元的消防栓有一年多没水了',
  },
  {
    why: 'a floor in a building',
    text: '先锋东外滩4栋1单元25层的汽车租赁公司',
    expected: '先锋东外滩4栋1单元25层的汽车租赁公司',
  },
  {
    why: 'numbered lines and roads',
    text: '地铁2号线和星沙204路公交车都经过107国道',
    expected: '地铁2号线和星沙204路公交车都经过107国道',
  },
  {
    why: 'a road-number title',
    text: '关于G4京港澳高速A市段和319国道改造的建议',
    expected: '关于G4京港澳高速A市段和319国道改造的建议',
  },
  {
    why: 'a numbered road is a road',
    text: '科技园3号路与5号路交叉口路灯不亮',
    expected: '科技园3号路与5号路交叉口路灯不亮',
  },
  {
    why: 'a service window number',
    text: '在政务中心18号窗口领取小餐饮许可证',
    expected: '在政务中心18号窗口领取小餐饮许可证',
  },
  {
    why: 'a government web address',
    text: '详见 https://www.gov.cn/zhengce/content/2019-04/25/content_13812345678.htm',
    expected: '详见 https://www.gov.cn/zhengce/content/2019-04/25/content_13812345678.htm',
  },
  {
    why: 'ranges and areas',
    text: '项目1-3期总净用面积为92291.94㎡，住宅面积246130.5平方',
    expected: '项目1-3期总净用面积为92291.94㎡，住宅面积246130.5平方',
  },
  { why: 'opening hours', text: '营业时间：9:00-17:00、18:00-21:00', expected: '营业时间：9:00-17:00、18:00-21:00' },
  {
    why: '业主 before ordinary words',
    text: '业主委员会和业主大会由全体业主选举产生，业主方面意见很大',
    expected: '业主委员会和业主大会由全体业主选举产生，业主方面意见很大',
  },
  { why: '业主 inside 行业主管', text: '行业主管部门应当加强监督', expected: '行业主管部门应当加强监督' },
  {
    why: '姓名 followed by an ordinary word',
    text: '因您未留下真实姓名和联系方式，无法进一步核实',
    expected: '因您未留下真实姓名和联系方式，无法进一步核实',
  },
  {
    why: '本人 followed by a date',
    text: '本人于2017年5月在A6区购买富吉世纪公园房产',
    expected: '本人于2017年5月在A6区购买富吉世纪公园房产',
  },
  {
    why: 'names already anonymised',
    text: '张某某和黄某在现场与业主发生争执',
    expected: '张某某和黄某在现场与业主发生争执',
  },
  {
    why: 'honorifics without a name',
    text: '一位老先生在路边摔倒，这位女士报了警',
    expected: '一位老先生在路边摔倒，这位女士报了警',
  },
  {
    why: 'a year before 房产',
    text: '关于A市2017房产限购新政的不合理之处',
    expected: '关于A市2017房产限购新政的不合理之处',
  },
  {
    why: 'a lift number in a building',
    text: '最近，业主发现8栋1号电梯地坑积水严重',
    expected: '最近，业主发现8栋1号电梯地坑积水严重',
  },
  {
    why: 'a range of village groups',
    text: '原小开村小洞片（现大开村17-19组）实施人饮工程建设',
    expected: '原小开村小洞片（现大开村17-19组）实施人饮工程建设',
  },
  { why: 'a road without a door', text: 'A3区潇楚南路洋湖段怎么还没修', expected: 'A3区潇楚南路洋湖段怎么还没修' },
  {
    why: 'pseudonymised user ids are not plates',
    text: '网友“A00023583”：您好！您的留言已收悉',
    expected: '网友“A00023583”：您好！您的留言已收悉',
  },
  {
    why: '"contact" before an office',
    text: 'Please contact Customer Service at 12345 or visit www.qingdao.gov.cn.',
    expected: 'Please contact Customer Service at 12345 or visit www.qingdao.gov.cn.',
  },
];

/**
 * The shared 2020 Teddy Cup corpus of real citizen messages and replies
 * (`../shared/data/civic/teddy2020` beside the repository; see its SOURCES.txt).
 */
export const TEDDY_CORPUS_DIR = path.resolve(import.meta.dirname, '../../..', '../shared/data/civic/teddy2020');

/** Every title, body and reply of one JSON Lines file of the corpus, or undefined when it is absent. */
export function readCorpusTexts(file: string): { id: number; field: string; text: string }[] | undefined {
  const location = path.join(TEDDY_CORPUS_DIR, file);
  if (!existsSync(location)) return undefined;
  return readFileSync(location, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      return ['title', 'body', 'reply']
        .filter((field) => typeof record[field] === 'string')
        .map((field) => ({ id: Number(record.id), field, text: record[field] as string }));
    });
}
