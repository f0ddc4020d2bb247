import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CN_WORKDAYS, createWorkCalendar, type WorkCalendarData } from './deadline-calendar.ts';
import { DeadlineError, type DeadlineErrorReason } from './deadline-error.ts';
import { seededRandom } from '../../../algorithms/seeded-random.ts';

const calendar = createWorkCalendar(CN_WORKDAYS);

/** A Shanghai wall time, `'2025-09-26 19:00'`, as an instant. */
function local(wallTime: string): Date {
  const [date, time = '00:00'] = wallTime.split(' ');
  return new Date(`${date}T${time}+08:00`);
}

/** An instant as a Shanghai wall time `'2025-10-10 23:59:59.999'`. */
function show(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 23);
}

function throwsReason(run: () => unknown, reason: DeadlineErrorReason): void {
  assert.throws(run, (error: unknown) => error instanceof DeadlineError && error.reason === reason);
}

test('working days around the 2025 National Day golden week and the 2026 Spring Festival', () => {
  const table: [string, boolean, string][] = [
    ['2025-09-26', true, 'Friday'],
    ['2025-09-27', false, 'Saturday'],
    ['2025-09-28', true, 'Sunday made a workday'],
    ['2025-09-30', true, 'Tuesday'],
    ['2025-10-01', false, 'National Day'],
    ['2025-10-06', false, 'Mid-Autumn inside the golden week'],
    ['2025-10-08', false, 'last day of the golden week, a Wednesday'],
    ['2025-10-09', true, 'Thursday after'],
    ['2025-10-11', true, 'Saturday made a workday'],
    ['2025-10-12', false, 'Sunday'],
    ['2026-01-01', false, "New Year's Day"],
    ['2026-01-04', true, 'Sunday made a workday'],
    ['2026-02-14', true, 'Saturday made a workday before the Spring Festival'],
    ['2026-02-15', false, 'first day of the Spring Festival'],
    ['2026-02-23', false, 'last day, a Monday'],
    ['2026-02-24', true, 'back to work'],
    ['2026-02-28', true, 'Saturday made a workday after'],
    ['2026-03-01', false, 'Sunday'],
    ['2027-02-08', false, '2027 provisional: 正月初三'],
    ['2027-02-09', true, '2027 provisional: no bridging day yet'],
    ['2028-01-03', true, 'a year with no data: a Monday'],
    ['2028-01-01', false, 'a year with no data: a Saturday'],
  ];
  for (const [date, expected, why] of table) assert.equal(calendar.isWorkingDay(date), expected, `${date} (${why})`);
});

test('addWorkingDays ends at 23:59:59.999 on the N-th working day after the day of receipt', () => {
  const table: [string, string, number, string][] = [
    ['received Friday evening before the golden week', '2025-09-26 19:00', 5, '2025-10-10'],
    ['… one day: the Sunday make-up workday', '2025-09-26 19:00', 1, '2025-09-28'],
    ['received on the Sunday make-up workday', '2025-09-28 10:00', 5, '2025-10-11'],
    ['received on the Saturday make-up workday', '2025-10-11 10:00', 1, '2025-10-13'],
    ['received on a holiday counts from the next working day', '2025-10-03 10:00', 1, '2025-10-09'],
    ['… three days', '2025-10-03 10:00', 3, '2025-10-11'],
    ['received the day before the golden week', '2025-09-30 15:00', 1, '2025-10-09'],
    ['received a second after midnight still skips the day of receipt', '2025-09-30 00:00:01', 1, '2025-10-09'],
    ['received Friday evening before the Spring Festival 2026', '2026-02-13 18:00', 5, '2026-02-27'],
    ['… six days: the Saturday make-up workday', '2026-02-13 18:00', 6, '2026-02-28'],
    ['… seven days', '2026-02-13 18:00', 7, '2026-03-02'],
    ['received on the Saturday make-up workday before the Spring Festival', '2026-02-14 10:00', 1, '2026-02-24'],
    ['received during the Spring Festival', '2026-02-18 10:00', 10, '2026-03-06'],
    ["received on New Year's Eve", '2025-12-31 16:00', 1, '2026-01-04'],
    ['into provisional 2027', '2026-12-30 10:00', 3, '2027-01-05'],
    ['zero days: the same working day', '2026-03-02 09:00', 0, '2026-03-02'],
    ['zero days on a Saturday: the next working day', '2026-03-07 09:00', 0, '2026-03-09'],
    ['zero days on a holiday: the first day back', '2025-10-01 09:00', 0, '2025-10-09'],
  ];
  for (const [why, receivedAt, days, dueDate] of table) {
    const due = calendar.addWorkingDays(local(receivedAt), days);
    assert.equal(show(due), `${dueDate} 23:59:59.999`, why);
  }
});

test('the city time zone decides the day, not the machine', () => {
  assert.equal(calendar.localDate(new Date('2026-01-01T17:00Z')), '2026-01-02');
  assert.equal(show(new Date('2026-01-01T17:00Z')), '2026-01-02 01:00:00.000');
  const utc = createWorkCalendar(CN_WORKDAYS, { timeZone: 'UTC' });
  assert.equal(utc.localDate(new Date('2026-01-01T17:00Z')), '2026-01-01');

  // Thursday 17:00 UTC is already Friday 01:00 in Shanghai, so day 1 is the next Monday there.
  const thursdayEvening = new Date('2026-01-08T17:00Z');
  assert.equal(calendar.addWorkingDays(thursdayEvening, 1).toISOString(), '2026-01-12T15:59:59.999Z');
  assert.equal(utc.addWorkingDays(thursdayEvening, 1).toISOString(), '2026-01-09T23:59:59.999Z');
  const fixed = createWorkCalendar(CN_WORKDAYS, { timeZone: '+08:00' });
  assert.equal(fixed.addWorkingDays(thursdayEvening, 1).toISOString(), '2026-01-12T15:59:59.999Z');

  const machineZone = process.env.TZ;
  try {
    process.env.TZ = 'America/Los_Angeles';
    assert.equal(calendar.localDate(new Date('2026-01-01T17:00Z')), '2026-01-02');
    assert.equal(calendar.addWorkingDays(thursdayEvening, 1).toISOString(), '2026-01-12T15:59:59.999Z');
  } finally {
    if (machineZone === undefined) delete process.env.TZ;
    else process.env.TZ = machineZone;
  }
  throwsReason(() => createWorkCalendar(CN_WORKDAYS, { timeZone: 'Mars/Olympus_Mons' }), 'invalid_time_zone');
});

test('days are as long as the zone makes them: daylight saving elsewhere', () => {
  const newYork = createWorkCalendar(CN_WORKDAYS, { timeZone: 'America/New_York' });
  // 2026-03-08 has 23 hours there, 2026-11-01 has 25.
  assert.equal(newYork.endOfDay('2026-03-07').toISOString(), '2026-03-08T04:59:59.999Z');
  assert.equal(newYork.endOfDay('2026-03-08').toISOString(), '2026-03-09T03:59:59.999Z');
  assert.equal(newYork.endOfDay('2026-11-01').toISOString(), '2026-11-02T04:59:59.999Z');
  // Santiago skips its midnight: 2026-09-06 begins at 01:00.
  const santiago = createWorkCalendar(CN_WORKDAYS, { timeZone: 'America/Santiago' });
  assert.equal(santiago.endOfDay('2026-09-05').toISOString(), '2026-09-06T03:59:59.999Z');
  assert.equal(santiago.localDate(new Date('2026-09-06T04:00Z')), '2026-09-06');
});

test('addHours counts elapsed hours, across midnight and holidays alike', () => {
  const table: [string, number, string][] = [
    ['2026-03-02 23:00', 2, '2026-03-03 01:00:00.000'],
    ['2025-09-30 20:00', 24, '2025-10-01 20:00:00.000'],
    ['2026-02-14 22:30', 0.5, '2026-02-14 23:00:00.000'],
    ['2026-02-14 22:30', 0, '2026-02-14 22:30:00.000'],
  ];
  for (const [start, hours, expected] of table) assert.equal(show(calendar.addHours(local(start), hours)), expected);
});

test('workingDaysBetween counts whole working days elapsed after the day of the first instant', () => {
  const table: [string, string, number][] = [
    ['2025-09-26 19:00', '2025-10-10 23:59:59.999', 5],
    ['2025-09-26 19:00', '2025-10-10 23:59:59.998', 4],
    ['2025-09-26 19:00', '2025-10-10 12:00', 4],
    ['2025-09-26 19:00', '2025-09-26 23:59:59.999', 0],
    ['2025-09-26 19:00', '2025-09-27 12:00', 0],
    ['2025-10-10 23:59:59.999', '2025-09-26 19:00', -5],
    ['2026-02-13 18:00', '2026-03-01 12:00', 6],
    ['2026-02-15 00:00', '2026-02-23 23:59:59.999', 0],
  ];
  for (const [a, b, expected] of table) {
    assert.equal(calendar.workingDaysBetween(local(a), local(b)), expected, `${a} → ${b}`);
  }
  assert.equal(calendar.countWorkingDays('2025-09-30', '2025-10-09'), 1);
  assert.equal(calendar.countWorkingDays('2025-10-09', '2025-09-30'), -1);
  assert.equal(calendar.countWorkingDays('2026-02-13', '2026-02-28'), 6);
  assert.equal(calendar.countWorkingDays('2026-02-13', '2026-02-13'), 0);
});

test('2027 is provisional until its notice: flagged, statutory days only, no make-up workdays', () => {
  assert.equal(calendar.isProvisional('2027-03-01'), true);
  assert.equal(calendar.isProvisional('2026-12-31'), false);
  assert.equal(calendar.isProvisional('2025-01-01'), false);
  assert.equal(calendar.isProvisional('2028-06-01'), true, 'a missing year is no better than a provisional one');

  const info = calendar.yearInfo(2027);
  assert.equal(info.status, 'provisional');
  assert.equal(info.notice, null);
  assert.match(info.note ?? '', /暂定/);
  assert.match(info.note ?? '', /Provisional/);
  assert.equal(calendar.yearInfo(2028).status, 'missing');
  assert.equal(calendar.yearInfo(2025).status, 'published');
  assert.match(calendar.yearInfo(2025).notice ?? '', /国办发明电〔2024〕12号/);

  const year2027 = CN_WORKDAYS.years['2027']!;
  assert.deepEqual(year2027.makeUpWorkdays, []);
  const days = expand(year2027.holidays);
  assert.deepEqual(days, [
    '2027-01-01', // 元旦
    '2027-02-05', // 除夕
    '2027-02-06', // 正月初一
    '2027-02-07',
    '2027-02-08', // 初三
    '2027-04-05', // 清明
    '2027-05-01',
    '2027-05-02',
    '2027-06-09', // 五月初五
    '2027-09-15', // 八月十五
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ]);
});

const sharedCalendar = new URL('../../../../../shared/data/calendar/cn-workdays.json', import.meta.url);

test(
  'the shipped 2025 and 2026 agree with the State Council data in ../shared',
  { skip: !existsSync(sharedCalendar) },
  () => {
    const shared = JSON.parse(readFileSync(sharedCalendar, 'utf8')) as {
      years: Record<string, { notice: string; holidays: { dates: string[] }[]; makeUpWorkdays: string[] }>;
    };
    for (const year of ['2025', '2026']) {
      const ours = CN_WORKDAYS.years[year]!;
      const theirs = shared.years[year]!;
      assert.equal(ours.notice, theirs.notice);
      assert.deepEqual(expand(ours.holidays), theirs.holidays.flatMap((holiday) => holiday.dates).sort());
      assert.deepEqual([...ours.makeUpWorkdays].sort(), [...theirs.makeUpWorkdays].sort());
    }
  },
);

test('a broken calendar file is refused at once with every problem listed', () => {
  const data = {
    years: {
      '2030': {
        notice: null,
        holidays: [
          { name: '', from: '2030-02-30', to: '2030-03-01' },
          { name: '国庆节', from: '2030-10-07', to: '2030-10-01' },
          { name: '元旦', from: '2030-01-01', to: '2030-01-01' },
        ],
        makeUpWorkdays: ['2030-01-02', '2030-01-05', '2035-01-06'],
      },
      '2031': {
        notice: 'x',
        holidays: [{ name: '元旦', from: '2031-01-04', to: '2031-01-04' }],
        makeUpWorkdays: ['2031-01-04'],
      },
      '31': { notice: 'x', holidays: [], makeUpWorkdays: [] },
    },
  } as unknown as WorkCalendarData;
  assert.throws(
    () => createWorkCalendar(data),
    (error: unknown) => {
      assert.ok(error instanceof DeadlineError);
      assert.equal(error.reason, 'invalid_calendar');
      assert.equal(error.code, 'config_invalid');
      assert.deepEqual(error.details?.problems, [
        'years.31: a year is written with four digits, 1970 or later',
        'years.2030.notice: a published year names its notice (or is marked "provisional": true)',
        'years.2030.holidays[0].name: required',
        'years.2030.holidays[0].from: not a date YYYY-MM-DD',
        'years.2030.holidays[1]: "to" is before "from"',
        'years.2030.makeUpWorkdays[0]: 2030-01-02 is a weekday already',
        'years.2030.makeUpWorkdays[2]: outside 2030 and its neighbours',
        '2031-01-04 is both a holiday and a make-up workday',
      ]);
      return true;
    },
  );
  throwsReason(() => createWorkCalendar({} as WorkCalendarData), 'invalid_calendar');
});

test('malformed input is a typed error, never a wrong answer', () => {
  throwsReason(() => calendar.isWorkingDay('2025-02-30'), 'invalid_date');
  throwsReason(() => calendar.isWorkingDay('2025-2-3'), 'invalid_date');
  throwsReason(() => calendar.addWorkingDays(new Date(Number.NaN), 1), 'invalid_instant');
  throwsReason(() => calendar.addWorkingDays(new Date('1969-12-31T00:00Z'), 1), 'invalid_instant');
  throwsReason(() => calendar.addWorkingDays(local('2025-09-26 19:00'), -1), 'invalid_amount');
  throwsReason(() => calendar.addWorkingDays(local('2025-09-26 19:00'), 1.5), 'invalid_amount');
  throwsReason(() => calendar.addWorkingDays(local('2025-09-26 19:00'), 10_001), 'invalid_amount');
  throwsReason(() => calendar.addHours(local('2025-09-26 19:00'), -2), 'invalid_amount');
  throwsReason(() => calendar.addHours(local('2025-09-26 19:00'), Number.POSITIVE_INFINITY), 'invalid_amount');
  throwsReason(() => calendar.addHours(new Date('9999-12-30T12:00Z'), 48), 'out_of_range');
});

/** Every date of a list of inclusive ranges, sorted. */
function expand(ranges: readonly { from: string; to: string }[]): string[] {
  const dates: string[] = [];
  for (const { from, to } of ranges) {
    for (let ms = Date.parse(from); ms <= Date.parse(to); ms += 86_400_000)
      dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates.sort();
}

/** The definition, written the slow and obvious way from the raw file, to check the fast one against. */
function referenceIsWorkingDay(date: string): boolean {
  const year = CN_WORKDAYS.years[date.slice(0, 4)];
  if (year?.makeUpWorkdays.includes(date)) return true;
  const weekday = new Date(`${date}T00:00Z`).getUTCDay();
  return (
    weekday !== 0 && weekday !== 6 && !Object.values(CN_WORKDAYS.years).some((y) => expand(y.holidays).includes(date))
  );
}

test('the calendar agrees with a day-by-day reference for 2025–2027', () => {
  const days: string[] = [];
  for (let ms = Date.UTC(2024, 11, 1); ms <= Date.UTC(2028, 0, 31); ms += 86_400_000) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  const working = days.map(referenceIsWorkingDay);
  days.forEach((date, index) => assert.equal(calendar.isWorkingDay(date), working[index], date));
  const random = seededRandom(12345);
  for (let run = 0; run < 2000; run += 1) {
    const i = Math.floor(random() * days.length);
    const j = Math.floor(random() * days.length);
    const [low, high] = i <= j ? [i, j] : [j, i];
    const expected = working.slice(low + 1, high + 1).filter(Boolean).length;
    assert.equal(
      calendar.countWorkingDays(days[i]!, days[j]!),
      i <= j ? expected : -expected,
      `${days[i]} → ${days[j]}`,
    );
  }
});

for (const [timeZone, seed, runs] of [
  ['Asia/Shanghai', 20251001, 3000],
  ['Europe/Berlin', 20260215, 500],
] as const) {
  test(`property: N working days after a random instant (${timeZone}, seed ${seed})`, () => {
    const zoned = createWorkCalendar(CN_WORKDAYS, { timeZone });
    const random = seededRandom(seed);
    const from = Date.UTC(2024, 11, 25);
    const span = Date.UTC(2027, 0, 1) - from;
    for (let run = 0; run < runs; run += 1) {
      const start = new Date(from + Math.floor(random() * span));
      const n = 1 + Math.floor(random() * 40);
      const due = zoned.addWorkingDays(start, n);
      const context = `start ${start.toISOString()}, n ${n}`;
      const dueDate = zoned.localDate(due);
      assert.equal(zoned.isWorkingDay(dueDate), true, `${context}: lands on a working day`);
      assert.notEqual(zoned.localDate(new Date(due.getTime() + 1)), dueDate, `${context}: at the end of its day`);
      assert.ok(zoned.addWorkingDays(start, n + 1) > due, `${context}: monotonic in n`);
      assert.equal(zoned.workingDaysBetween(start, due), n, `${context}: workingDaysBetween gives n back`);
      assert.equal(
        zoned.workingDaysBetween(start, new Date(due.getTime() - 1)),
        n - 1,
        `${context}: not whole until its end`,
      );
      assert.equal(zoned.countWorkingDays(zoned.localDate(start), dueDate), n, `${context}: countWorkingDays`);
    }
  });
}
