import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPLY_QUALITY_WEIGHTS, scoreReply, timelinessOf, type ReplyCueCode, type ReplyQuality } from './reply-quality.ts';

// Invented messages and replies in the style of a city's online petition desk.
const MESSAGE = {
  title: '南泉小区门口路灯不亮',
  body: '南泉小区门口的路灯坏了两个月，晚上很黑，老人出门不安全。请问什么时候能修好？',
};
const GOOD_REPLY =
  '网友您好！您的留言已收悉。现将有关情况回复如下：经市路灯管理所现场核实，南泉小区门口两盏路灯因线路老化损坏。' +
  '根据《城市照明管理规定》第十条，路灯由我所负责养护。我所已于5月12日更换线路，路灯已恢复照明。' +
  '今后如发现路灯故障，可拨打0000-12345678报修。感谢您对我们工作的支持、理解与监督！2019年5月13日';

const codes = (quality: ReplyQuality, dimension: 'relevance' | 'completeness' | 'explainability'): ReplyCueCode[] =>
  quality[dimension].cues.map((cue) => cue.code);

test('an acknowledgement of receipt scores nothing on content', () => {
  const quality = scoreReply({ ...MESSAGE, reply: '网友：您好！您的留言已收悉。感谢您对我们工作的支持！2019年5月13日' });
  assert.equal(quality.relevance.score, 0);
  assert.equal(quality.completeness.score, 0);
  assert.equal(quality.explainability.score, 0);
  assert.ok(codes(quality, 'relevance').includes('acknowledgement_only'));
  assert.equal(quality.timeliness, null);
  assert.equal(quality.overall, 0);
});

test('a reply that only forwards the matter scores a little more when it names the office', () => {
  const named = scoreReply({ ...MESSAGE, reply: '您的留言已收悉。关于您反映的问题，已转市路灯管理所调查处理。' });
  const general = scoreReply({ ...MESSAGE, reply: '您好，您所反映的问题已转交相关部门调查处置。' });
  assert.ok(codes(named, 'relevance').includes('forwarded_only'));
  assert.ok(codes(general, 'relevance').includes('forwarded_only'));
  assert.equal(named.relevance.score, 0.1);
  assert.equal(general.relevance.score, 0.05);
  assert.equal(named.completeness.score, 0, 'the forwarding notice itself is not an answer');
});

test('a specific answer with unit, date, method, result and a cited rule scores high on every content dimension', () => {
  const quality = scoreReply({ ...MESSAGE, reply: GOOD_REPLY });
  // A short message's incidental words (老人, 晚上) are not repeated by a good reply: relevance is moderate, not full.
  assert.ok(quality.relevance.score >= 0.45, `relevance ${quality.relevance.score}`);
  assert.deepEqual(codes(quality, 'completeness'), ['who', 'what', 'when', 'how', 'result', 'contact']);
  assert.ok(quality.completeness.score >= 0.9);
  assert.ok(codes(quality, 'explainability').includes('named_document'));
  assert.ok(codes(quality, 'explainability').includes('document_number'));
  assert.ok(codes(quality, 'explainability').includes('rule_reference'));
  assert.ok(quality.explainability.score >= 0.7);
  assert.equal(quality.relevance.cues.find((cue) => cue.code === 'asks_addressed')?.total, 1);
});

test('quoting the message title back is not relevance, nor is it a cited document', () => {
  const echo = scoreReply({ ...MESSAGE, reply: '关于您反映的《南泉小区门口路灯不亮》的问题，已收悉。' });
  assert.equal(echo.relevance.score, 0);
  assert.ok(!codes(echo, 'explainability').includes('named_document'));
  // A document the citizen names in the title is still a document when the reply cites it.
  const cited = scoreReply({
    title: '关于《差别化购房措施的通知》的咨询',
    body: '签订拆迁协议一年后还算刚需吗？',
    reply: '根据《差别化购房措施的通知》，签订拆迁安置协议一年后未购房的不属于刚需群体。',
  });
  assert.ok(codes(cited, 'explainability').includes('named_document'));
});

test('declining as outside the remit, without saying who is responsible, is not relevant', () => {
  const quality = scoreReply({ ...MESSAGE, reply: '您反映的问题不属于我单位职责范围，感谢您的留言。' });
  assert.ok(codes(quality, 'relevance').includes('not_our_remit'));
  assert.ok(quality.relevance.score <= 0.05);
});

test('an off-topic reply of the same length scores lower relevance than the on-topic one', () => {
  const offTopic =
    '经区教育局核实，今年秋季学期公办小学招生按照划片招生、免试就近入学原则进行，新生入学需提供户口本、房产证和出生证明，' +
    '具体学区范围已在教育局网站公布，家长可到就近学校咨询报名事宜，报名时间为六月中旬。';
  const on = scoreReply({ ...MESSAGE, reply: GOOD_REPLY });
  const off = scoreReply({ ...MESSAGE, reply: offTopic });
  assert.ok(off.relevance.score < on.relevance.score - 0.05, `${off.relevance.score} vs ${on.relevance.score}`);
  assert.ok(off.relevance.cues.find((cue) => cue.code === 'message_overlap')!.share! < on.relevance.cues.find((cue) => cue.code === 'message_overlap')!.share!);
});

test('timeliness: full within a third of the limit, 0.7 at it, 0.3 at twice it, 0 from four times', () => {
  const at = (elapsed: number): number => timelinessOf({ elapsed, limit: 15, unit: 'working_days' }).score;
  assert.equal(at(0), 1);
  assert.equal(at(5), 1);
  assert.equal(at(15), 0.7);
  assert.equal(at(30), 0.3);
  assert.equal(at(60), 0);
  assert.equal(at(600), 0);
  assert.ok(at(10) < 1 && at(10) > 0.7);
  assert.deepEqual(timelinessOf({ elapsed: 20, limit: 15, unit: 'working_days' }).cues, [{ code: 'late', count: 20, total: 15 }]);
  assert.deepEqual(timelinessOf({ elapsed: 3, limit: 24, unit: 'hours' }).cues, [{ code: 'within_limit', count: 3, total: 24 }]);
  assert.throws(() => timelinessOf({ elapsed: -1, limit: 15, unit: 'working_days' }), RangeError);
  assert.throws(() => timelinessOf({ elapsed: 1, limit: 0, unit: 'working_days' }), RangeError);
  assert.throws(() => timelinessOf({ elapsed: Number.NaN, limit: 15, unit: 'working_days' }), RangeError);
});

test('overall is the weighted mean of the dimensions present, re-weighed without a delay', () => {
  const withDelay = scoreReply({ ...MESSAGE, reply: GOOD_REPLY, delay: { elapsed: 25, limit: 15, unit: 'working_days' } });
  const w = REPLY_QUALITY_WEIGHTS;
  const expected =
    w.relevance * withDelay.relevance.score +
    w.completeness * withDelay.completeness.score +
    w.explainability * withDelay.explainability.score +
    w.timeliness * withDelay.timeliness!.score;
  assert.ok(Math.abs(withDelay.overall - expected) < 1e-4);
  const without = scoreReply({ ...MESSAGE, reply: GOOD_REPLY });
  const rest = w.relevance + w.completeness + w.explainability;
  const expectedWithout = (w.relevance * without.relevance.score + w.completeness * without.completeness.score + w.explainability * without.explainability.score) / rest;
  assert.ok(Math.abs(without.overall - expectedWithout) < 1e-4);
  assert.ok(without.overall > withDelay.overall, 'a late reply scores lower overall');
  assert.equal(Object.values(w).reduce((sum, weight) => sum + weight, 0).toFixed(10), (1).toFixed(10));
});

test('scoring is deterministic and tolerates empty, odd and long input', () => {
  assert.deepEqual(scoreReply({ ...MESSAGE, reply: GOOD_REPLY }), scoreReply({ ...MESSAGE, reply: GOOD_REPLY }));
  const empty = scoreReply({ title: '', body: '', reply: '' });
  assert.equal(empty.overall, 0);
  const english = scoreReply({ title: 'Broken street light', body: 'The light outside has been out for weeks.', reply: 'Thank you, the light was repaired on 12 May.' });
  assert.ok(english.overall >= 0 && english.overall <= 1);
  const long = scoreReply({ ...MESSAGE, reply: GOOD_REPLY.repeat(30) });
  for (const score of [long.relevance.score, long.completeness.score, long.explainability.score, long.overall]) assert.ok(score >= 0 && score <= 1);
});
