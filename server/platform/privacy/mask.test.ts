import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MASK_FIXTURES, readCorpusTexts } from './mask.fixtures.ts';
import { maskPersonalData, maskText, PERSONAL_DATA_KINDS, type PersonalDataKind } from './index.ts';

/** The kinds found in `text`, with the stretch of input each covers. */
function foundIn(text: string): string[] {
  return maskPersonalData(text).found.map(({ kind, start, end }) => `${kind}:${text.slice(start, end)}`);
}

const EVERY_KIND: Record<PersonalDataKind, { text: string; expected: string }[]> = {
  mobile: [
    { text: '手机13812345678', expected: '手机138****5678' },
    { text: 'call +86 138 1234 5678', expected: 'call +86 138 **** 5678' },
    { text: '0086-15912345678', expected: '0086-159****5678' },
  ],
  landline: [
    { text: '电话0532-83331234', expected: '电话0532-******34' },
    { text: 'Tel: 5248049', expected: 'Tel: *****49' },
    { text: '座机：（010）62345678转123', expected: '座机：（010）******78转123' },
  ],
  id_number: [
    { text: '身份证号：440304198506152010', expected: '身份证号：44****************' },
    { text: 'ID No. 11010519491231002X', expected: 'ID No. 11****************' },
    { text: '身份证 440304 19850615 2010', expected: '身份证 44**** ******** ****' },
    { text: '老身份证110105491231002', expected: '老身份证11*************' },
    { text: 'passport no. G12345678', expected: 'passport no. G********' },
  ],
  email: [
    { text: '邮箱：li.ming+gov@qd.gov.cn', expected: '邮箱：l***@qd.gov.cn' },
    { text: 'mail a@b.co now', expected: 'mail a***@b.co now' },
  ],
  plate: [
    { text: '车牌鲁B12345', expected: '车牌鲁B***45' },
    { text: '车牌鲁BD12345', expected: '车牌鲁B****45' },
    { text: '车牌京A·12345', expected: '车牌京A·***45' },
    { text: '教练车粤B1234学', expected: '教练车粤B**34学' },
  ],
  bank_card: [{ text: '卡号 6217 0012 3456 7893', expected: '卡号 **** **** **** 7893' }],
  name: [
    { text: '我叫张三', expected: '我叫张*' },
    { text: '我叫诸葛孔明', expected: '我叫诸葛**' },
    { text: '张三丰先生', expected: '张**先生' },
    { text: 'Dr. Jane Doe', expected: 'Dr. J*** D***' },
    { text: "I'm called Anna.", expected: "I'm called A***." },
  ],
  address_detail: [
    { text: '香港中路10号3单元501', expected: '香港中路**号*单元***' },
    { text: '幸福路8号院2号楼1单元302室', expected: '幸福路*号院*号楼*单元***室' },
    { text: '小区3栋501', expected: '小区*栋***' },
  ],
};

test('every kind is found and masked, in Chinese and in English', () => {
  for (const kind of PERSONAL_DATA_KINDS) {
    for (const { text, expected } of EVERY_KIND[kind]) {
      const result = maskPersonalData(text);
      assert.equal(result.text, expected, text);
      assert.deepEqual(
        result.found.map((found) => found.kind),
        [kind],
        `${text} holds exactly one ${kind}`,
      );
    }
  }
});

test('offsets point into the input, in reading order', () => {
  const text = '联系人：王芳，电话13812345678，邮箱wf@163.com，车牌鲁B12345';
  assert.deepEqual(foundIn(text), ['name:王芳', 'mobile:13812345678', 'email:wf@163.com', 'plate:鲁B12345']);
  const starts = maskPersonalData(text).found.map((found) => found.start);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
});

test('full-width punctuation right next to the data does not hide it or get eaten', () => {
  assert.equal(maskText('（13812345678）'), '（138****5678）');
  assert.equal(maskText('电话：13812345678。'), '电话：138****5678。');
  assert.equal(maskText('“鲁B12345”，'), '“鲁B***45”，');
  assert.equal(maskText('我叫张三，'), '我叫张*，');
  assert.equal(maskText('邮箱：a.b@c.com；'), '邮箱：a***@c.com；');
  assert.equal(maskText('身份证号：440304198506152010。'), '身份证号：44****************。');
  assert.equal(maskText('住香港中路10号。'), '住香港中路**号。');
});

test('overlapping candidates are masked once, as the stronger kind', () => {
  // 18 digits that are both a valid identity number and a Luhn-valid card number.
  assert.deepEqual(foundIn('证件410105199302201129'), ['id_number:410105199302201129']);
  // An 11-digit run inside an identity number is not a second, phone-shaped match.
  assert.deepEqual(foundIn('身份证130102199003071233'), ['id_number:130102199003071233']);
  // A mailbox named after a phone number is one e-mail address.
  assert.deepEqual(foundIn('13812345678@139.com'), ['email:13812345678@139.com']);
  // A mobile is never also read as a landline, and a listed number is found once.
  assert.deepEqual(foundIn('电话：13812345678、83331234'), ['mobile:13812345678', 'landline:83331234']);
});

test('masking twice is masking once, and the second pass finds nothing', () => {
  const texts = [
    ...MASK_FIXTURES.map((fixture) => fixture.text),
    ...Object.values(EVERY_KIND)
      .flat()
      .map((example) => example.text),
  ];
  for (const text of texts) {
    const once = maskText(text);
    const twice = maskPersonalData(once);
    assert.equal(twice.text, once, text);
    assert.deepEqual(twice.found, [], `nothing left to find in ${once}`);
  }
});

test('HTML and script stay text: masking never adds or removes markup', () => {
  const markup = (text: string): string => text.replace(/[^<>&"'/=]/g, '');
  const texts = [
    '<script>fetch("/x?phone=13812345678")</script>',
    '<img src=x onerror="alert(\'鲁B12345\')">',
    '&lt;b&gt;我叫张三&lt;/b&gt; <a href="mailto:a@b.cn">a@b.cn</a>',
  ];
  for (const text of texts) {
    const masked = maskText(text);
    assert.equal(markup(masked), markup(text), text);
    assert.notEqual(masked, text, `${text} did hold personal data`);
  }
  assert.equal(maskText('<script>alert("13812345678")</script>'), '<script>alert("138****5678")</script>');
});

test('options choose the kinds and keep public contact details readable', () => {
  const reply = '请致电市住建局0735-2178591或2178595，或发邮件至zjj@j.gov.cn；业主张三，电话13812345678';
  assert.equal(
    maskPersonalData(reply, { keep: ['0735-2178591', '0735 2178595', 'ZJJ@j.gov.cn'] }).text,
    '请致电市住建局0735-2178591或2178595，或发邮件至zjj@j.gov.cn；业主张*，电话138****5678',
  );
  assert.equal(
    maskPersonalData(reply, { kinds: ['mobile'] }).text,
    '请致电市住建局0735-2178591或2178595，或发邮件至zjj@j.gov.cn；业主张三，电话138****5678',
  );
  assert.deepEqual(maskPersonalData('我叫张三', { kinds: [] }), { text: '我叫张三', found: [] });
});

test('empty and data-free text come back unchanged', () => {
  assert.deepEqual(maskPersonalData(''), { text: '', found: [] });
  assert.deepEqual(maskPersonalData('路灯不亮'), { text: '路灯不亮', found: [] });
});

test('masking the whole replies corpus completes', (t) => {
  const texts = readCorpusTexts('replies.jsonl');
  if (!texts) return t.skip('../shared/data/civic/teddy2020 is absent');
  let found = 0;
  for (const { text } of texts) found += maskPersonalData(text).found.length;
  t.diagnostic(`${texts.length} texts, ${found} personal data masked`);
  assert.ok(found > 0);
});
