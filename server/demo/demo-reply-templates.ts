/**
 * The demo city's reply templates (答复模板): a general one, one per common
 * complaint area, one per kind that needs its own tone, and one of the city
 * housing bureau's own. Written for the demo; placeholders as documented in
 * docs/voices.md.
 */
import type { CaseKind } from '../modules/voices/index.ts';

export interface DemoReplyTemplate {
  readonly categoryPathPrefix: string | null;
  readonly kind: CaseKind | null;
  /** A department code for a department's own template; null for the city's. */
  readonly departmentCode: string | null;
  readonly title: string;
  readonly body: string;
}

const CLOSING = '感谢您对我们工作的关心和支持。如对答复有疑问，可凭查询码查看办理进度或再次来电。';

export const DEMO_REPLY_TEMPLATES: readonly DemoReplyTemplate[] = [
  {
    categoryPathPrefix: null,
    kind: null,
    departmentCode: null,
    title: '通用答复',
    body: `尊敬的{诉求人称呼}：您好！您于{受理日期}反映的“{诉求标题}”（编号{案件编号}）已收悉，由{承办单位}办理。经核实，（请填写核查情况）。处理结果：（请填写）。${CLOSING}`,
  },
  {
    categoryPathPrefix: '城乡建设/城乡规划/违章建筑',
    kind: 'complaint',
    departmentCode: null,
    title: '违章建筑投诉答复',
    body: `尊敬的{诉求人称呼}：您好！您于{受理日期}反映的违章建筑问题（编号{案件编号}）已收悉。{承办单位}执法人员已到现场勘查，经核实，该建筑（请填写是否取得规划许可及面积）。我们已依法下达《责令限期改正通知书》，要求当事人于（日期）前自行拆除，逾期未拆除的将依法强制拆除。${CLOSING}`,
  },
  {
    categoryPathPrefix: '城乡建设/城市建设和市政管理',
    kind: 'request_for_help',
    departmentCode: null,
    title: '市政设施维修答复',
    body: `尊敬的{诉求人称呼}：您好！您反映的“{诉求标题}”（编号{案件编号}）已转{承办单位}处理。维修人员已于（日期）到现场检修，（请填写维修内容，如更换路灯灯具、修补路面、疏通管道）。目前设施已恢复正常使用。${CLOSING}`,
  },
  {
    categoryPathPrefix: '城乡建设/住房保障与房地产/物业服务',
    kind: 'complaint',
    departmentCode: null,
    title: '物业服务投诉答复',
    body: `尊敬的{诉求人称呼}：您好！您于{受理日期}反映的物业服务问题（编号{案件编号}）已收悉。{承办单位}已约谈小区物业服务企业，责成其（请填写整改事项及期限），并将在整改期满后回访核查。如物业服务企业仍未履行合同约定，您可向所在街道物业管理部门或业主委员会反映。${CLOSING}`,
  },
  {
    categoryPathPrefix: '环境保护/环境污染',
    kind: 'complaint',
    departmentCode: null,
    title: '环境污染投诉答复',
    body: `尊敬的{诉求人称呼}：您好！您反映的“{诉求标题}”（编号{案件编号}）已收悉。{承办单位}执法人员于（日期）赴现场检查，（请填写监测或检查结果）。对发现的问题，已依法责令（单位）立即整改，并将持续跟踪监管。${CLOSING}`,
  },
  {
    categoryPathPrefix: '交通运输',
    kind: null,
    departmentCode: null,
    title: '交通运输类答复',
    body: `尊敬的{诉求人称呼}：您好！您于{受理日期}反映的{诉求类别}问题（编号{案件编号}）已收悉，由{承办单位}办理。经调查，（请填写调查情况）。我们已（请填写处理措施，如调整公交线路、查处违规车辆、设置交通标志）。${CLOSING}`,
  },
  {
    categoryPathPrefix: '劳动和社会保障/劳动关系',
    kind: 'complaint',
    departmentCode: null,
    title: '劳动关系投诉答复',
    body: `尊敬的{诉求人称呼}：您好！您反映的“{诉求标题}”（编号{案件编号}）已收悉。{承办单位}劳动保障监察机构已约谈用人单位，（请填写核查结果及处理情况）。如仍有争议，您可向劳动人事争议仲裁委员会申请仲裁。${CLOSING}`,
  },
  {
    categoryPathPrefix: null,
    kind: 'consultation',
    departmentCode: null,
    title: '政策咨询答复',
    body: `尊敬的{诉求人称呼}：您好！关于您咨询的“{诉求标题}”（编号{案件编号}），经{承办单位}答复如下：（请填写政策依据、办理条件、所需材料和办理地点）。${CLOSING}`,
  },
  {
    categoryPathPrefix: null,
    kind: 'suggestion',
    departmentCode: null,
    title: '建议答复',
    body: `尊敬的{诉求人称呼}：您好！您于{受理日期}提出的“{诉求标题}”建议（编号{案件编号}）已收悉，{承办单位}已认真研究。（请填写采纳情况：已采纳并纳入工作计划 / 将在下一步工作中参考 / 暂不具备实施条件及原因）。感谢您为城市发展建言献策。`,
  },
  {
    categoryPathPrefix: null,
    kind: 'praise',
    departmentCode: null,
    title: '表扬答复',
    body: '尊敬的{诉求人称呼}：您好！感谢您对{承办单位}工作的肯定（编号{案件编号}）。您的表扬已转达相关工作人员，我们将继续努力，为市民提供更好的服务。',
  },
  {
    categoryPathPrefix: '城乡建设/住房保障与房地产',
    kind: null,
    departmentCode: 'city-housing',
    title: '住建局住房保障答复',
    body: `尊敬的{诉求人称呼}：您好！您反映的“{诉求标题}”（编号{案件编号}）已由{承办单位}受理。根据《公共租赁住房管理办法》等规定，（请填写申请条件、审核进度或处理结果）。具体事宜可咨询所在区住房保障服务窗口。${CLOSING}`,
  },
];
