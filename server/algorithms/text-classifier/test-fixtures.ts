/**
 * A small labelled set for fast tests: short messages of three level-1
 * categories, in raw and tokenised form, made from a few phrases each.
 */
import type { TrainingExample } from './train.ts';

export const TAXONOMY: readonly (readonly string[])[] = [
  ['城乡建设', '住房保障与房地产', '物业服务'],
  ['城乡建设', '城市建设和市政管理', '城市公共设施'],
  ['环境保护', '环境污染', '噪音污染'],
  ['环境保护', '环境污染', '水污染'],
  ['交通运输', '出租车管理', '网约车问题'],
  ['交通运输', '客货运输', '旅客运输'],
  ['教育文体', '考试招生', '招生录取'],
];

const PHRASES: Readonly<Record<string, readonly string[]>> = {
  城乡建设: ['小区物业不管事', '路灯坏了没人修', '物业费乱涨', '井盖丢失很危险', '楼道堆满杂物', '电梯经常停运'],
  环境保护: ['工厂夜间噪音扰民', '河水被污水染黑', '烧烤油烟熏人', '化工厂排放废气', '工地噪声太大', '排污口直排河道'],
  交通运输: ['出租车拒载绕路', '公交班次太少', '网约车乱收费', '客运班车超载', '的士司机态度差', '长途汽车站秩序乱'],
};

const PLACES = ['A市A1区', 'A市A3区', 'B市', 'A7县', 'K9县'];

/** `perLabel` raw messages per label, the last `tokenised` of them as tokens instead. */
export function smallTrainingSet(perLabel = 12, tokenised = 4): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const [label, phrases] of Object.entries(PHRASES)) {
    for (let i = 0; i < perLabel; i++) {
      const a = phrases[i % phrases.length]!;
      const b = phrases[(i * 5 + 1) % phrases.length]!;
      const place = PLACES[i % PLACES.length]!;
      const title = `${place}${a}`;
      const body = `我们是${place}的居民，${a}，而且${b}，希望有关部门尽快处理。`;
      examples.push(i >= perLabel - tokenised ? { input: { tokens: [place, a, b, '希望', '部门', '处理'] }, label } : { input: { title, body }, label });
    }
  }
  return examples;
}
