import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  detectEncoding,
  detectFormat,
  openTabular,
  readTabular,
  readTabularFile,
  TabularError,
  validateColumns,
  type TabularErrorCode,
  type TabularRow,
} from './index.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minxin-tabular-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(rows: AsyncIterable<TabularRow>): Promise<TabularRow[]> {
  const all: TabularRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const readText = (text: string, filename = 'people.csv') =>
  collect(readTabular({ bytes: Buffer.from(text), filename }));

/** Asserts that reading fails with a TabularError of this code, line and column. */
async function rejects(
  read: () => Promise<unknown>,
  expected: { code: TabularErrorCode; line?: number; column?: number; message?: RegExp },
): Promise<void> {
  await assert.rejects(read, (error: unknown) => {
    assert.ok(error instanceof TabularError, `expected a TabularError, got ${String(error)}`);
    assert.equal(error.code, expected.code, error.message);
    assert.equal(error.line, expected.line, error.message);
    assert.equal(error.column, expected.column, error.message);
    if (expected.message) assert.match(error.message, expected.message);
    return true;
  });
}

// Header with a BOM-free " Home Address " to normalise; a quoted comma; a quoted
// field over three lines; a blank line; CRLF throughout.
const PEOPLE_CSV =
  [
    '姓名, 电话 , Home  Address',
    '张三,13800138000,"北京市,朝阳区"',
    '李四,"139 0000 0000","第一行',
    '第二行',
    '第三行"',
    '',
    '王五,,杭州',
  ].join('\r\n') + '\r\n';

const PEOPLE_ROWS: TabularRow[] = [
  { line: 2, values: { 姓名: '张三', 电话: '13800138000', home_address: '北京市,朝阳区' } },
  { line: 3, values: { 姓名: '李四', 电话: '139 0000 0000', home_address: '第一行\r\n第二行\r\n第三行' } },
  { line: 7, values: { 姓名: '王五', 电话: '', home_address: '杭州' } },
];

test('a UTF-8 CSV with BOM and CRLF keeps its lines through quoted commas and multi-line fields', async () => {
  const table = await openTabular({ bytes: Buffer.from('\uFEFF' + PEOPLE_CSV), filename: 'people.csv' });
  assert.equal(table.format, 'csv');
  assert.deepEqual(table.columns, ['姓名', '电话', 'home_address']);
  assert.equal(table.headerLine, 1);
  assert.deepEqual(await collect(table.rows), PEOPLE_ROWS);
});

test('the same CSV saved by Excel in GBK decodes identically', async () => {
  const gbk = iconv.encode(PEOPLE_CSV, 'gbk');
  assert.equal(detectEncoding(gbk), 'gb18030');
  assert.deepEqual(await collect(readTabular({ bytes: gbk, filename: 'people.csv' })), PEOPLE_ROWS);
});

test('detectEncoding: BOM, valid UTF-8, a character cut at the sample end, GBK, overlong forms', () => {
  assert.equal(detectEncoding(Buffer.from('\uFEFFabc')), 'utf-8');
  assert.equal(detectEncoding(Buffer.from('plain ascii')), 'utf-8');
  assert.equal(detectEncoding(new Uint8Array()), 'utf-8');
  assert.equal(detectEncoding(Buffer.from('name,城市\n')), 'utf-8');
  // 3-byte characters: the 64 KiB window ends inside one, and so does this prefix.
  assert.equal(detectEncoding(Buffer.from('中'.repeat(30_000))), 'utf-8');
  assert.equal(detectEncoding(Buffer.from('中文').subarray(0, 4)), 'utf-8');
  assert.equal(detectEncoding(iconv.encode('name,城市\n', 'gbk')), 'gb18030');
  // English header and numbers first, Chinese (GBK) only further down.
  assert.equal(detectEncoding(iconv.encode('id,n\n' + '1,2\n'.repeat(50_000) + '3,北京\n', 'gbk')), 'gb18030');
  assert.equal(detectEncoding(Uint8Array.of(0xc0, 0x80)), 'gb18030', 'overlong NUL');
  assert.equal(detectEncoding(Uint8Array.of(0xed, 0xa0, 0x80)), 'gb18030', 'surrogate');
});

test('detectFormat goes by signature, then extension, then content', () => {
  const text = Buffer.from('a,b\n');
  const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14);
  assert.equal(detectFormat('a.CSV', text), 'csv');
  assert.equal(detectFormat('a.txt', text), 'csv');
  assert.equal(detectFormat('a.tsv', text), 'csv');
  assert.equal(detectFormat('a.xlsx', text), 'xlsx');
  assert.equal(detectFormat('a.jsonl', text), 'jsonl');
  assert.equal(detectFormat('a.ndjson', text), 'jsonl');
  assert.equal(detectFormat('upload', zip), 'xlsx');
  assert.equal(detectFormat('renamed.csv', zip), 'xlsx');
  assert.equal(detectFormat('upload', Buffer.from('\uFEFF {"a":1}\n')), 'jsonl');
  assert.equal(detectFormat('upload', text), 'csv');
  assert.throws(
    () => detectFormat('old.xls', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1)),
    (error: unknown) => error instanceof TabularError && error.code === 'unsupported_file',
  );
});

test('the delimiter is detected from the header line, or taken as given', async () => {
  assert.deepEqual(await readText('a\tb\n1,5\t2\n', 'x.tsv'), [{ line: 2, values: { a: '1,5', b: '2' } }]);
  assert.deepEqual(await readText('a;"b;c";d\n1,5;2;3\n'), [{ line: 2, values: { a: '1,5', 'b;c': '2', d: '3' } }]);
  assert.deepEqual(await readText('\n\nsingle\nvalue\n'), [{ line: 4, values: { single: 'value' } }]);
  const given = readTabular({ bytes: Buffer.from('a|b\n1|2\n'), filename: 'x.csv', delimiter: '|' });
  assert.deepEqual(await collect(given), [{ line: 2, values: { a: '1', b: '2' } }]);
});

test('blank rows are skipped, short rows padded, trailing empty cells and unnamed empty columns tolerated', async () => {
  const rows = await readText('a,,b,\n1,,2,\n,,,\n3\n  \n4,,5,,,\n');
  assert.deepEqual(rows, [
    { line: 2, values: { a: '1', b: '2' } },
    { line: 4, values: { a: '3', b: '' } },
    { line: 6, values: { a: '4', b: '5' } },
  ]);
});

test('a column named __proto__ is an ordinary key', async () => {
  const [csv] = await readText('__proto__,b\n1,2\n');
  assert.deepEqual(Object.keys(csv!.values), ['__proto__', 'b']);
  assert.equal(Object.getPrototypeOf(csv!.values), Object.prototype);
  const [jsonl] = await readText('{"__proto__":"x"}\n', 'x.jsonl');
  assert.deepEqual(Object.entries(jsonl!.values), [['__proto__', 'x']]);
});

test('CSV errors name the file, line and column', async () => {
  await rejects(() => readText(''), { code: 'empty_file', message: /^people\.csv: the file is empty$/ });
  await rejects(() => readText('\uFEFF\r\n \r\n'), { code: 'empty_file' });
  await rejects(() => readText(',,\n , ,\n'), { code: 'no_header' });
  await rejects(() => readText('\nName,phone,NAME\n'), {
    code: 'duplicate_column',
    line: 2,
    column: 3,
    message: /column "name" twice \(columns 1 and 3\)/,
  });
  await rejects(() => readText('a,b\n1,2\n"x\ny",2,3\n'), {
    code: 'extra_cell',
    line: 3,
    column: 3,
    message: /^people\.csv, line 3, column 3: the row has 3 cells but the header has 2 columns$/,
  });
  await rejects(() => readText('a,,b\n1,2,3\n'), { code: 'extra_cell', line: 2, column: 2 });
  await rejects(() => readText('a,b\r\n1,2\r\n\r\n3,"never\r\nclosed\r\n'), { code: 'unterminated_quote', line: 4 });
  await rejects(() => readText('a,b\n1,"' + 'x'.repeat(1_100_000)), { code: 'unterminated_quote', line: 2 });
  await rejects(() => collect(readTabular({ bytes: iconv.encode('\uFEFFa\tb\n', 'utf-16le'), filename: 'x.txt' })), {
    code: 'unsupported_file',
  });
});

test('an error mid-file comes after the rows before it', async () => {
  const seen: number[] = [];
  await rejects(
    async () => {
      for await (const row of readTabular({ bytes: Buffer.from('a\n1\n2\n"3\n'), filename: 'x.csv' })) {
        seen.push(row.line);
      }
    },
    { code: 'unterminated_quote', line: 4 },
  );
  assert.deepEqual(seen, [2, 3]);
});

test('JSONL: one object per line, values as strings, blank lines counted', async () => {
  const text = [
    '{"Name":" 张三 ","age":30,"active":true,"tags":["a"],"address":{"city":"北京"},"note":null}',
    '',
    '{"name":"李四","extra":"x"}',
  ].join('\n');
  const table = await openTabular({ bytes: Buffer.from(text), filename: 'people.jsonl' });
  assert.deepEqual(table.columns, ['name', 'age', 'active', 'tags', 'address', 'note']);
  assert.deepEqual(await collect(table.rows), [
    {
      line: 1,
      values: { name: '张三', age: '30', active: 'true', tags: '["a"]', address: '{"city":"北京"}', note: '' },
    },
    { line: 3, values: { name: '李四', age: '', active: '', tags: '', address: '', note: '', extra: 'x' } },
  ]);
});

test('JSONL errors name the line', async () => {
  await rejects(() => readText('{"a":1}\r\n\r\n{"a":2}\r\n{"a": oops}\r\n', 'x.jsonl'), {
    code: 'invalid_json',
    line: 4,
    message: /^x\.jsonl, line 4: the line is not valid JSON$/,
  });
  await rejects(() => readText('{"a":1}\n[1,2]\n', 'x.jsonl'), {
    code: 'invalid_json',
    line: 2,
    message: /not a JSON object/,
  });
  await rejects(() => readText('{"a":1,"A":2}\n', 'x.jsonl'), { code: 'duplicate_column', line: 1 });
});

test('JSONL from a file: a CRLF split between two read chunks counts as one line break', async () => {
  const path = join(dir, 'split.jsonl');
  const first = `{"a":"${'x'.repeat(65_527)}"}`; // 65,535 bytes, so the CR ends the first 64 KiB chunk
  assert.equal(first.length, 65_535);
  await writeFile(path, `${first}\r\n{"a":"y"}\r\n\r\n{"a":"z"}`);
  const rows = await collect(readTabularFile(path));
  assert.deepEqual(
    rows.map((row) => [row.line, row.values['a']!.length]),
    [
      [1, 65_527],
      [2, 1],
      [4, 1],
    ],
  );
});

/** A workbook as an export tool or a clerk would make it, plus a second sheet to be ignored. */
async function buildWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('人员');
  sheet.addRow(['姓名', '电话', '入职日期', '打卡时间', '合计', '备注', '满意']);
  sheet.addRow([
    ' 张三 ',
    13800138000,
    new Date(Date.UTC(2024, 2, 5)),
    new Date(Date.UTC(2024, 2, 5, 14, 30)),
    { formula: 'B2*0+1+2', result: 3 },
    { richText: [{ text: '加粗', font: { bold: true } }, { text: '普通' }] },
    true,
  ]);
  sheet.getRow(4).values = ['李四', 0.1, null, null, { formula: 'C2+1', result: new Date(Date.UTC(2024, 2, 6)) }, 1e-7];
  workbook.addWorksheet('代码表').addRow(['ignored']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const WORKBOOK_ROWS: TabularRow[] = [
  {
    line: 2,
    values: {
      姓名: '张三',
      电话: '13800138000',
      入职日期: '2024-03-05',
      打卡时间: '2024-03-05T14:30:00',
      合计: '3',
      备注: '加粗普通',
      满意: 'TRUE',
    },
  },
  // Row 3 is empty; Excel's row numbers are kept.
  {
    line: 4,
    values: { 姓名: '李四', 电话: '0.1', 入职日期: '', 打卡时间: '', 合计: '2024-03-06', 备注: '0.0000001', 满意: '' },
  },
];

test('XLSX from bytes and from a path: first sheet, Excel row numbers, cells as shown', async () => {
  const bytes = await buildWorkbook();
  const path = join(dir, 'people.xlsx');
  await writeFile(path, bytes);

  const table = await openTabular({ bytes, filename: 'people.xlsx' });
  assert.equal(table.format, 'xlsx');
  assert.deepEqual(table.columns, ['姓名', '电话', '入职日期', '打卡时间', '合计', '备注', '满意']);
  assert.deepEqual(await collect(table.rows), WORKBOOK_ROWS);
  assert.deepEqual(await collect(readTabularFile(path)), WORKBOOK_ROWS);
});

test('XLSX: the first sheet is the first tab, not the first part of the archive', async () => {
  const workbook = new ExcelJS.Workbook();
  const added = workbook.addWorksheet('added first');
  added.addRow(['sheet']);
  added.addRow(['added first']);
  const shown = workbook.addWorksheet('shown first');
  shown.addRow(['sheet']);
  shown.addRow(['shown first']);
  // exceljs' tab position; not in its type declarations.
  Object.assign(added, { orderNo: 1 });
  Object.assign(shown, { orderNo: 0 });
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  assert.deepEqual(await collect(readTabular({ bytes, filename: 'x.xlsx' })), [
    { line: 2, values: { sheet: 'shown first' } },
  ]);
});

test('XLSX errors: not a workbook, a value under no header', async () => {
  await rejects(() => readText('a,b\n', 'fake.xlsx'), {
    code: 'invalid_workbook',
    message: /not a valid XLSX workbook/,
  });
  await rejects(() => collect(readTabular({ bytes: Buffer.from('PK\x03\x04 truncated'), filename: 'x.xlsx' })), {
    code: 'invalid_workbook',
  });

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('s');
  sheet.getRow(2).values = ['a', 'b'];
  sheet.getRow(5).values = ['1', '2', '3'];
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  await rejects(() => collect(readTabular({ bytes, filename: 'x.xlsx' })), { code: 'extra_cell', line: 5, column: 3 });
});

test('openTabular gives the header before rows, and close() releases an unread table', async () => {
  const path = join(dir, 'small.csv');
  await writeFile(path, 'code,name\n110000,北京市\n120000,天津市\n');
  const table = await openTabular({ path, filename: 'regions.csv' });
  assert.deepEqual(validateColumns(table.columns, { required: ['code', 'name'], optional: ['parent'] }), []);
  await table.close();
  assert.equal((await table.rows.next()).done, true);

  {
    await using scoped = await openTabular({ path });
    assert.equal((await scoped.rows.next()).value?.line, 2);
  }

  // Stopping early with break releases the file too.
  for await (const row of readTabularFile(path)) {
    assert.equal(row.line, 2);
    break;
  }
  await writeFile(join(dir, 'empty.csv'), '');
  await rejects(() => collect(readTabularFile(join(dir, 'empty.csv'))), {
    code: 'empty_file',
    message: /empty\.csv: the file is empty$/,
  });
});

test('validateColumns lists every missing and unknown column', () => {
  assert.deepEqual(validateColumns(['Name', 'phone', 'fax'], { required: ['name', 'code'], optional: ['phone'] }), [
    'Missing required column "code".',
    'Unknown column "fax"; expected: name, code, phone.',
  ]);
});

test('a 200k-row CSV file streams from disk', async () => {
  const path = join(dir, 'hotline.csv');
  const out = createWriteStream(path);
  const rows = 200_000;
  out.write(iconv.encode('工单编号,来电号码,诉求内容\r\n', 'gbk'));
  for (let start = 0; start < rows; start += 10_000) {
    let chunk = '';
    for (let i = start; i < start + 10_000; i++)
      chunk += `GD${i},1380013${String(i).padStart(4, '0')},"路灯不亮, 第${i}号"\r\n`;
    out.write(iconv.encode(chunk, 'gbk'));
  }
  await new Promise((resolve, reject) => out.end(resolve).on('error', reject));

  let count = 0;
  let last: TabularRow | undefined;
  for await (const row of readTabularFile(path)) {
    count++;
    last = row;
  }
  assert.equal(count, rows);
  assert.deepEqual(last, {
    line: rows + 1,
    values: { 工单编号: `GD${rows - 1}`, 来电号码: `1380013${rows - 1}`, 诉求内容: `路灯不亮, 第${rows - 1}号` },
  });
});
