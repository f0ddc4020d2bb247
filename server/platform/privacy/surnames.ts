/**
 * What it takes to recognise a Chinese personal name without a dictionary:
 * the surnames, the characters that end a name because they start the next
 * word, and the everyday words that merely begin with a surname character.
 * Names are only looked for after a cue (我叫, 联系人：, …先生), so these lists
 * decide where a name ends and whether a cue was followed by a name at all.
 */

/** Two-character surnames, tried before the single ones so 欧阳娜娜 keeps 欧阳. */
// prettier-ignore
export const COMPOUND_SURNAMES = [
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯', '宇文', '长孙', '轩辕',
  '端木', '西门', '南宫', '独孤', '闻人', '钟离', '呼延', '百里', '澹台', '公冶', '太史', '申屠', '拓跋', '赫连', '第五',
];

/** About 400 single-character surnames, roughly by frequency: enough for well over 95 % of people. */
export const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭',
);

/**
 * Surnames that are far more often an ordinary word (于是, 和, 向, 方面, 高度,
 * 马上, 全体 …). After a weak cue — a role word with no colon, or an
 * honorific — they are not taken as the start of a name; after a strong cue
 * (我叫, 姓名：) they still are.
 */
export const WEAK_CONTEXT_NON_SURNAMES = new Set(
  '于和向从在对将为以及同也都就还又才是有无不没非很太更最已曾再仍便所其此该这那各每某本今现来去上下中内外前后大小多少高新老全成安时方平关常双单原正明文海国强商官车路房党公师宫应边干但由信相初门云容敬区南乐利居展智幸富衣束斯阴满楼位谈封计索宣解农古吉连景费冷席米沙班燕闻伊豆盖练井祖巴支普戈伏薄羊阿乌母修那宿鲜印隆战危玉银哈宾揭奉植衡曲谷钱金万马白石江田华龙包甘宁尚符简项麦柏宗全查楚花权帅丰国都浦晋武',
);

/**
 * Characters that end a name: function words, verbs and nouns that follow a
 * name (反映, 投诉, 电话, 家住 …), honorifics (先生, 女士, 经理) and the
 * anonymiser's 某. Given names use a few of them (家, 小, 老); those names are
 * still found after a strong cue, where only the stricter `NOT_A_FIRST_GIVEN_CHARACTER` applies.
 */
export const NOT_A_GIVEN_CHARACTER = new Set(
  '的了是在和与及或等于向对从把被将为以让给跟也都就还又才再已曾未不没无非很太更最所其此该这那各每今现说称讲问答反投举报诉要想请叫住家电手身联系先女士姐老师傅经理总主任局处科书记长市区县镇乡村街路号栋楼室年月日时分点岁个位名们您你我他她它吗呢吧呀啊哦某驾驶同事委员工作人进实院部医',
);

/** The few characters that cannot even begin a given name right after a strong cue. */
export const NOT_A_FIRST_GIVEN_CHARACTER = new Set(
  '某的了是在和与及或等于向对从把被将为以让给跟也都就还又才再已曾未不没无非很太更最所其此该这那各每今现说称讲要想请住电手身先女主经局处科院书总部医',
);

/**
 * The most common surnames, used to read `张先生` as a surname with an
 * honorific (nothing to mask) rather than as the end of a longer name. Common
 * given-name endings (林, 江, 龙, 明 …) are left out on purpose.
 */
export const LEADING_SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪廖贾韦付傅邹孟熊秦邱尹薛闫阎段雷侯史陶黎贺顾毛郝龚邵钱严覃戴莫孔汤',
);

/**
 * Everyday words that begin with a surname character that is otherwise
 * trusted after a weak cue, so that 业主陆续…, 司机何时…, 本人毕业… are not
 * read as names.
 */
// prettier-ignore
export const WORDS_NOT_NAMES = new Set([
  '陆续', '周边', '周末', '周围', '周期', '程序', '任何', '任务', '余额', '严重', '严格', '申请', '申报', '经常', '黄金', '谢谢',
  '孙子', '孙女', '毛病', '毛坯', '温度', '林业', '焦虑', '洪水', '夏天', '杨树', '柳树', '顾客', '顾问', '钟点', '韩国', '史上',
  '左右', '左边', '左侧', '右边', '罗列', '许多', '许可', '胡乱', '何时', '何况', '何处', '何人', '何种', '何必', '董事', '丁点',
  '施工', '施行', '牛奶', '齐全', '齐心', '易于', '庞大', '章程', '欧洲', '祝福', '舒适', '纪律', '纪念', '毕业', '季度', '涂料',
  '苗木', '蓝色', '游客', '游戏', '辛苦', '管理', '管道', '柴油', '屈服', '尤其', '阳光', '阳台', '卓越', '卫生', '仇恨', '刁难',
  '荣誉', '甄别', '仲裁', '巩固', '池塘', '迟到', '迟迟', '惠民', '郁闷', '储存', '劳动', '劳务', '皮肤', '皮卡', '厉害', '廉政',
  '呼吁', '元旦', '陈述', '申领', '任职', '勾结', '蒙受', '管部',
]);
