/**
 * The cues a reply is judged by, as regular expressions over its substance
 * (boilerplate removed). Written by hand from reading government replies;
 * each names what a careful reader looks for. They are deliberately plain so
 * a handler can see why a reply scored as it did.
 */

/** Who: a named responsible unit (镇政府, 交警大队, 市不动产登记中心) or the replying unit itself (我局, 我镇). */
export const UNIT =
  /(?:我|本)(?:局|委|办|处|司|公司|中心|镇|乡|街道|单位|校|院|队|所|站|厅|部门|区|县|市)|[\p{Script=Han}A-Z0-9]{1,14}?(?:局|委员会|办公室|办事处|街道|社区|居委会|村委会|人民政府|政府|公司|大队|中队|支队|派出所|中心|管理处|所|站|医院|学校|中学|小学|幼儿园|协会|银行|法院|检察院|集团|物业|城管|交警)/u;

/** What: an action the office took or orders (调查核实, 责令整改, 约谈, 维修, 查封 …). */
export const ACTION =
  /调查|核实|核查|查处|查实|整改|督促|责令|约谈|协调|召开|检查|勘查|勘察|察看|走访|巡查|维修|修复|更换|清理|清运|拆除|安装|处罚|罚款|查封|暂停|停工|制定|申报|纳入|启动|部署|处置|执法|取缔|疏通|回访|沟通|对接|开展|组织|实施|整治|复核|审核|审批|登记|补发|发放|退还|立案|抽查|监测|检测|测量|现场|研究决定|会议|批复|施工|建设|改造|硬化|划线|销毁|劝离|劝导|教育|约见|答复说明|鉴定/;

/** When: dates, times of day and time frames (2019年5月, 10月24日, 近期, 年底前, 10个工作日内). */
export const WHEN =
  /\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}\s*月(?:份|底|初|中旬|上旬|下旬)|\d{1,2}[:：]\d{2}|(?:近期|近日|日前|月底|年底|年内|年初|年前|限期|即日起|今年|明年|本月|下月|本周|下周|上午|下午|凌晨|晚上|当天|当日|次日|随后|之前|以来|目前|下一步|后期|后续|尽快|第一时间)|\d+\s*个?(?:工作日|日|天|周|月|年)(?:内|以内|之内|前|后)/;

/** How: method, procedure or steps (通过, 采取, 携带…到…办理, 一是…二是, 流程, 现场). */
export const METHOD =
  /通过|采取|采用|按照[^。；]{0,12}(?:程序|流程|方式|步骤)|流程|程序|步骤|手续|携带|提交|申请|办理|材料|窗口|网点|现场|实地|联合|方式|措施|方案|一是|二是|首先|其次|第一|第二|(?:^|[^\d])[1-9]\s*[、.．]\s*[^\d]|[（(][一二三四五六七八九1-9][)）]|[一二三四五六七八九]\s*、/;

/** Contact for follow-up: a phone number or a named channel (可拨打…, 联系电话 …). */
export const CONTACT = /(?:电话|热线|联系方式|拨打|致电)[^。]{0,12}\d|\d{3,4}\s*[-—]\s*\d{7,8}|12345|11185|12315|12123/;

/** Result: an outcome or a definite answer (已修复, 整改到位, 不符合, 暂不, 将于…, 属实). */
export const RESULT =
  /已(?:经)?[^，。；,;！!]{0,6}?(?:完成|解决|整改|修复|恢复|拆除|办结|到位|落实|更换|清理|查处|关停|停止|取缔|安装|建成|开通|退还|处理|纠正|撤除|清除|疏通|销毁|查封|纳入|列入|启动|要求|责令|督促|安排|联系|通知|发放|补发|停业|停工|暂停)|现已|目前已|整改到位|不符合|符合|可以|不能|无法|不得|不予|暂不|暂无|尚未|将于|将在|计划|预计|争取|结果|属实|不属实|情况不实|没有|未发现|不存在|恢复供|已于|如需|即可|可享受|可申请|可到|可向|暂缓|取消|调解|道歉|达成|同意|批准|驳回|不予受理/;

/** Named documents: 《…》 titles (the platform's name and quoted message titles are removed before). */
export const NAMED_DOCUMENT = /《[^》]{2,80}》/g;

/** Document numbers and articles: 〔2018〕53号, [2013]12号, 第三十条. */
export const DOCUMENT_NUMBER = /[〔［[【(（]\s*\d{4}\s*[〕］\]】)）]\s*(?:第)?\s*\d+\s*号|\d{4}\s*\d*\s*号文|字\s*[〔［[]\s*\d{4}|第[一二三四五六七八九十百零〇\d]+条/g;

/** A rule referred to by its kind (根据…规定, 按照…政策, 依法, 违反…), without necessarily naming it. */
export const RULE_REFERENCE =
  /(?:根据|依据|按照|依照|遵照|参照|按)[^。，,；;]{0,30}?(?:规定|法律|法规|条例|办法|政策|文件|标准|规范|要求|精神|细则|通知|意见|方案|程序|制度|规划|合同|协议)|依法|依规|违法|违规|违反|合法|法定|有关规定|相关规定|明确规定|政策规定|法律规定/g;

/** Reasoning: because, therefore, given that (因为, 由于, 因此, 鉴于, 原因是, 考虑到 …). */
export const REASONING = /因为|由于|因此|所以|鉴于|导致|原因|为了|考虑到|以免|否则|从而|因而|一方面|另一方面|故(?![事障意])|经(?:调查|核实|查|了解|核查|测算|研究)|属于|不属于|视为/g;
