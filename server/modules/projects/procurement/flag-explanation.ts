/**
 * Plain words for a red flag: what the indicator measured, the threshold it
 * crossed and where the peers sit, in zh-CN and English. Pure: the flag's
 * stored numbers in, two sentences out.
 */

/** What each indicator measures, in words a citizen or an auditor reads without the methodology. */
const MEASURES: Record<string, { zh: string; en: string }> = {
  R003: { zh: '招标期（发布到截标的天数）', en: 'the tender period (days from publication to the bid deadline)' },
  R018: { zh: '仅有一家投标人的竞争性采购', en: 'a competitive procedure that received a single bid' },
  R024: { zh: '次低有效报价高出中标价的比例（过于接近即可疑）', en: 'how much the next lowest valid bid exceeds the winning bid, as a share of it (suspicious when very close)' },
  R025: { zh: '投标人在其有效投标的采购中中标的比例（投得多、中得少）', en: 'the share of the processes with a valid bid of this tenderer that it won (many bids, few wins)' },
  R028: { zh: '相同的投标报价', en: 'identical bid prices' },
  R030: { zh: '截标后才提交的投标中标', en: 'a bid submitted after the tender deadline won' },
  R035: { zh: '除中标人外其他投标人均被取消资格', en: 'all bidders but the winner were disqualified' },
  R036: { zh: '报价最低的投标被取消资格', en: 'the lowest bid was disqualified' },
  R038: { zh: '被取消资格的投标比例', en: 'the share of bids that were disqualified' },
  R044: { zh: '投标人之间地址或联系人相同', en: 'bidders that share an address or a contact point' },
  R048: { zh: '供应商中标项目的品目种类数（经营范围异常宽泛）', en: 'how many different kinds of items the supplier won awards for (an unusually broad range)' },
  R058: { zh: '次低有效报价高出中标价的比例（中标价异常低）', en: 'how much the next lowest valid bid exceeds the winning bid, as a share of it (a heavily discounted winning bid)' },
  PAY: { zh: '已付款金额超过合同金额', en: 'payments larger than the contract value' },
};

const SUBJECTS: Record<string, { zh: string; en: string }> = {
  process: { zh: '本采购项目', en: 'this procurement' },
  buyer: { zh: '采购人', en: 'the buyer' },
  procuring_entity: { zh: '采购代理/采购实体', en: 'the procuring entity' },
  tenderer: { zh: '投标人/供应商', en: 'the tenderer' },
};

const format = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 1 ? 3 : 2));

/** Reads a number out of the flag's peer record, which the indicators fill with quartiles, fences or counts. */
const peerNumber = (peers: Record<string, unknown>, ...keys: string[]): number | undefined => {
  for (const key of keys) {
    const value = peers[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
};

/**
 * Explains one flag. Missing numbers are left out of the sentence rather than
 * invented: a flag without a threshold says only what was measured.
 *
 * @example explainFlag({ indicator: 'R018', subjectKind: 'process', value: 1, threshold: null, peers: {} }).en
 */
export function explainFlag(flag: { indicator: string; subjectKind: string; subjectName?: string | null; value: number | null; threshold: number | null; peers: Record<string, unknown> }): { zh: string; en: string } {
  const measure = MEASURES[flag.indicator] ?? { zh: `指标 ${flag.indicator}`, en: `indicator ${flag.indicator}` };
  const subject = SUBJECTS[flag.subjectKind] ?? SUBJECTS.process!;
  const who = flag.subjectName ? `${subject.zh}“${flag.subjectName}”` : subject.zh;
  const whoEn = flag.subjectName ? `${subject.en} “${flag.subjectName}”` : subject.en;
  const zh: string[] = [`${who}触发红旗 ${flag.indicator}：测量的是${measure.zh}`];
  const en: string[] = [`${flag.indicator} flags ${whoEn}: it measures ${measure.en}`];
  if (flag.value !== null) {
    zh.push(`测得值为 ${format(flag.value)}`);
    en.push(`the measured value is ${format(flag.value)}`);
  }
  if (flag.threshold !== null) {
    zh.push(`阈值为 ${format(flag.threshold)}`);
    en.push(`the threshold is ${format(flag.threshold)}`);
  }
  const q1 = peerNumber(flag.peers, 'q1', 'lowerQuartile', 'p25');
  const median = peerNumber(flag.peers, 'median', 'q2', 'p50');
  const q3 = peerNumber(flag.peers, 'q3', 'upperQuartile', 'p75');
  const count = peerNumber(flag.peers, 'count', 'n', 'peers');
  if (median !== undefined) {
    const spread = q1 !== undefined && q3 !== undefined ? `，四分位区间 ${format(q1)}–${format(q3)}` : '';
    const spreadEn = q1 !== undefined && q3 !== undefined ? `, interquartile range ${format(q1)}–${format(q3)}` : '';
    zh.push(`同类${count !== undefined ? ` ${format(count)} 个` : ''}对象的中位数为 ${format(median)}${spread}`);
    en.push(`among ${count !== undefined ? `${format(count)} ` : ''}peers the median is ${format(median)}${spreadEn}`);
  } else if (count !== undefined) {
    zh.push(`共与 ${format(count)} 个同类对象比较`);
    en.push(`compared with ${format(count)} peers`);
  }
  return { zh: `${zh.join('；')}。`, en: `${en.join('; ')}.` };
}
