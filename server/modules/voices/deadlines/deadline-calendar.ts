import shippedCalendar from './calendar/cn-workdays.json' with { type: 'json' };
import { DeadlineError, MAX_HOURS, MAX_WORKING_DAYS, checkAmount, checkRange, instantMs } from './deadline-error.ts';

/** A named holiday as a notice prints it: an inclusive range of local dates (`YYYY-MM-DD`). */
export interface CalendarHoliday {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** One year of the calendar file. */
export interface CalendarYearData {
  /** The State Council notice the days come from; null only while the year is provisional. */
  readonly notice: string | null;
  /** True while the official notice is not out and the days are only the statutory ones. */
  readonly provisional?: boolean;
  /** Where provisional days come from (the law and the lunar dates). */
  readonly basis?: string;
  /** What a user should be told about this year, shown next to provisional deadlines. */
  readonly note?: string;
  readonly holidays: readonly CalendarHoliday[];
  /** Saturdays and Sundays declared working days (调休上班). */
  readonly makeUpWorkdays: readonly string[];
}

/** The calendar as data (`calendar/cn-workdays.json`): a city extends it by adding years. */
export interface WorkCalendarData {
  readonly about?: string;
  readonly years: Readonly<Record<string, CalendarYearData>>;
}

/** Mainland China's calendar as shipped: 2025 and 2026 from the notices, 2027 provisional. */
export const CN_WORKDAYS: WorkCalendarData = deepFreeze(shippedCalendar);

/**
 * How far a year can be trusted: `published` (from the notice), `provisional`
 * (statutory holidays only, awaiting the notice) or `missing` (no entry: only
 * weekends are days off, which is surely wrong around the festivals).
 */
export type CalendarYearStatus = 'published' | 'provisional' | 'missing';

/** What the calendar knows about one year, for a warning next to a deadline. */
export interface CalendarYearInfo {
  readonly year: number;
  readonly status: CalendarYearStatus;
  readonly notice: string | null;
  readonly note: string | null;
}

/** The city's time zone; mainland China keeps one zone, UTC+8 with no daylight saving. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Working-day arithmetic in one city's time zone. Dates are local calendar
 * dates written `YYYY-MM-DD`; instants are `Date`s, read in `timeZone`
 * whatever zone the machine runs in. Every method is pure, and throws only a
 * `DeadlineError` for malformed input (`invalid_date`, `invalid_instant`,
 * `invalid_amount`, `out_of_range`). Instants must lie in 1970–9999.
 */
export interface WorkCalendar {
  /** The IANA zone (or fixed offset such as `+08:00`) the calendar reads instants in. */
  readonly timeZone: string;

  /** The local date of an instant: `2026-01-01T17:00Z` is `'2026-01-02'` in Shanghai. */
  localDate(instant: Date): string;

  /** The last millisecond of a local date (23:59:59.999 where the day is 24 hours long). */
  endOfDay(date: string): Date;

  /** True for a make-up workday, or a Monday–Friday that is not a holiday. */
  isWorkingDay(date: string): boolean;

  /**
   * True when the date's year is provisional or missing in the data, so what
   * the calendar says about it may change: the UI should warn next to it.
   */
  isProvisional(date: string): boolean;

  /** The status, notice and note of one calendar year. */
  yearInfo(year: number): CalendarYearInfo;

  /**
   * The deadline of a limit of `days` working days for something received at
   * `start`: the end (23:59:59.999 local) of the `days`-th working day
   * *after* the day of receipt.
   *
   * The day of receipt never counts, whatever it is, as in the Civil Code's
   * rule for periods (民法典 第二百零一条: 开始的当日不计入): a message that
   * arrives at 17:55 gives the department no real day, so it gets `days`
   * whole working days. The same rule is why receiving on a weekend or holiday
   * counts from the next working day (a message received on Friday evening
   * and one received on Saturday both have Monday as day 1), and why a
   * deadline is the end of its day rather than the hour of receipt.
   * `days = 0` means "by the end of the working day of receipt", or of the
   * next working day when received on a day off.
   *
   * `days` is a whole number from 0 to 10,000. O(days).
   *
   * @example calendar.addWorkingDays(new Date('2025-09-26T19:00+08:00'), 5)
   * // → 2025-10-10T23:59:59.999+08:00 (Sep 28, 29, 30, Oct 9, 10: the golden week is skipped)
   */
  addWorkingDays(start: Date, days: number): Date;

  /** `start` plus `hours` of elapsed time (urgent cases count calendar hours). `hours` ≥ 0. */
  addHours(start: Date, hours: number): Date;

  /**
   * Whole working days elapsed from `a` to `b`: working days after the day of
   * `a` that have ended by `b` (a day ends at its last millisecond, so
   * `workingDaysBetween(t, addWorkingDays(t, n)) === n` for n ≥ 1). Negative
   * when `b` is before `a`. For reports ("handled in 3 working days") and
   * extension requests. O(log holidays).
   */
  workingDaysBetween(a: Date, b: Date): number;

  /**
   * Working days after local date `from` up to and including `to` (the
   * receipt rule again: `from` itself never counts); negative when `to` is
   * before `from`. `countWorkingDays(localDate(t), localDate(addWorkingDays(t, n))) === n`.
   * O(log holidays).
   */
  countWorkingDays(from: string, to: string): number;
}

/** Options of {@link createWorkCalendar}. */
export interface WorkCalendarOptions {
  /** IANA zone name or fixed offset; default `Asia/Shanghai`. */
  readonly timeZone?: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_HOLIDAY_SPAN_DAYS = 31;

/**
 * Builds a calendar from data such as {@link CN_WORKDAYS}. The data is checked
 * as a whole and every problem is listed in one `DeadlineError` with reason
 * `invalid_calendar` (code `config_invalid`): it is edited by hand, and is
 * read once at boot.
 *
 * @example const calendar = createWorkCalendar(CN_WORKDAYS, { timeZone: 'Asia/Shanghai' });
 */
export function createWorkCalendar(data: WorkCalendarData, options: WorkCalendarOptions = {}): WorkCalendar {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const zone = createZone(timeZone);
  const days = readCalendarData(data);

  const isWorking = (day: number): boolean =>
    days.makeUps.has(day) || (isWeekday(day) && !days.weekdayHolidays.has(day));

  const yearInfo = (year: number): CalendarYearInfo => {
    const entry = Number.isInteger(year) ? days.years.get(year) : undefined;
    if (!entry) return { year, status: 'missing', notice: null, note: null };
    return {
      year,
      status: entry.provisional === true ? 'provisional' : 'published',
      notice: entry.notice,
      note: entry.note ?? null,
    };
  };

  // Working days in (from, to], from ≤ to: weekdays, minus holidays on weekdays, plus make-up days.
  const countAfter = (from: number, to: number): number =>
    weekdaysThrough(to) -
    weekdaysThrough(from) -
    (upperBound(days.sortedHolidays, to) - upperBound(days.sortedHolidays, from)) +
    (upperBound(days.sortedMakeUps, to) - upperBound(days.sortedMakeUps, from));

  const countSigned = (from: number, to: number): number => (to >= from ? countAfter(from, to) : -countAfter(to, from));

  const endOf = (day: number): Date => new Date(checkRange(zone.startOfDay(day + 1) - 1));

  const calendar: WorkCalendar = {
    timeZone,
    localDate: (instant) => formatDay(zone.dayOf(instantMs(instant, 'instant'))),
    endOfDay: (date) => endOf(parseDate(date)),
    isWorkingDay: (date) => isWorking(parseDate(date)),
    isProvisional: (date) => yearInfo(yearOfDay(parseDate(date))).status !== 'published',
    yearInfo,
    addWorkingDays(start, count) {
      const receivedOn = zone.dayOf(instantMs(start, 'start'));
      checkAmount(count, 'days', { integer: true, max: MAX_WORKING_DAYS });
      let day = receivedOn;
      if (count === 0) {
        while (!isWorking(day)) day += 1;
      } else {
        for (let left = count; left > 0;) {
          day += 1;
          if (isWorking(day)) left -= 1;
        }
      }
      return endOf(day);
    },
    addHours(start, hours) {
      const from = instantMs(start, 'start');
      checkAmount(hours, 'hours', { integer: false, max: MAX_HOURS });
      return new Date(checkRange(from + Math.round(hours * HOUR_MS)));
    },
    workingDaysBetween(a, b) {
      const from = instantMs(a, 'a');
      const to = instantMs(b, 'b');
      if (to < from) return -calendar.workingDaysBetween(b, a);
      // Days after a's day that have ended by b: those before the day b + 1 ms falls on.
      const lastWhole = zone.dayOf(to + 1) - 1;
      const first = zone.dayOf(from);
      return lastWhole <= first ? 0 : countAfter(first, lastWhole);
    },
    countWorkingDays: (from, to) => countSigned(parseDate(from), parseDate(to)),
  };
  return Object.freeze(calendar);
}

interface CalendarDays {
  readonly years: ReadonlyMap<number, CalendarYearData>;
  readonly weekdayHolidays: ReadonlySet<number>;
  readonly makeUps: ReadonlySet<number>;
  readonly sortedHolidays: readonly number[];
  readonly sortedMakeUps: readonly number[];
}

/** Validates the data and turns it into day-number sets; lists every problem at once. */
function readCalendarData(data: WorkCalendarData): CalendarDays {
  const problems: string[] = [];
  const years = new Map<number, CalendarYearData>();
  const holidays = new Set<number>();
  const makeUps = new Set<number>();
  const rawYears: unknown = isRecord(data) ? data.years : undefined;
  if (!isRecord(rawYears)) {
    throw new DeadlineError('invalid_calendar', 'the calendar needs a "years" object', {
      problems: ['years: missing'],
    });
  }

  for (const [key, entry] of Object.entries(rawYears)) {
    const where = `years.${key}`;
    if (!/^\d{4}$/.test(key) || Number(key) < 1970) {
      problems.push(`${where}: a year is written with four digits, 1970 or later`);
      continue;
    }
    if (!isRecord(entry)) {
      problems.push(`${where}: expected an object`);
      continue;
    }
    const year = Number(key);
    // A notice may reach into the neighbouring year (元旦 from Dec 31, a make-up Sunday in late December).
    const inReach = (day: number): boolean => Math.abs(yearOfDay(day) - year) <= 1;
    const provisional = entry.provisional;
    if (provisional !== undefined && typeof provisional !== 'boolean') {
      problems.push(`${where}.provisional: true or false`);
    }
    if (entry.notice !== null && typeof entry.notice !== 'string') problems.push(`${where}.notice: a string or null`);
    if (provisional !== true && (typeof entry.notice !== 'string' || entry.notice.trim() === '')) {
      problems.push(`${where}.notice: a published year names its notice (or is marked "provisional": true)`);
    }
    for (const field of ['note', 'basis'] as const) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') problems.push(`${where}.${field}: a string`);
    }

    const yearHolidays: unknown[] = Array.isArray(entry.holidays) ? entry.holidays : [];
    if (!Array.isArray(entry.holidays)) problems.push(`${where}.holidays: expected a list`);
    for (const [index, holiday] of yearHolidays.entries()) {
      const at = `${where}.holidays[${index}]`;
      if (!isRecord(holiday)) {
        problems.push(`${at}: expected { name, from, to }`);
        continue;
      }
      if (typeof holiday.name !== 'string' || holiday.name.trim() === '') problems.push(`${at}.name: required`);
      const from = tryParseDate(holiday.from);
      const to = tryParseDate(holiday.to);
      if (from === undefined) problems.push(`${at}.from: not a date YYYY-MM-DD`);
      if (to === undefined) problems.push(`${at}.to: not a date YYYY-MM-DD`);
      if (from === undefined || to === undefined) continue;
      if (to < from) problems.push(`${at}: "to" is before "from"`);
      else if (to - from >= MAX_HOLIDAY_SPAN_DAYS) problems.push(`${at}: longer than ${MAX_HOLIDAY_SPAN_DAYS} days`);
      else if (!inReach(from) || !inReach(to)) problems.push(`${at}: outside ${year} and its neighbours`);
      else for (let day = from; day <= to; day += 1) holidays.add(day);
    }

    const yearMakeUps: unknown[] = Array.isArray(entry.makeUpWorkdays) ? entry.makeUpWorkdays : [];
    if (!Array.isArray(entry.makeUpWorkdays)) problems.push(`${where}.makeUpWorkdays: expected a list`);
    for (const [index, date] of yearMakeUps.entries()) {
      const at = `${where}.makeUpWorkdays[${index}]`;
      const day = tryParseDate(date);
      if (day === undefined) problems.push(`${at}: not a date YYYY-MM-DD`);
      else if (isWeekday(day)) problems.push(`${at}: ${String(date)} is a weekday already`);
      else if (!inReach(day)) problems.push(`${at}: outside ${year} and its neighbours`);
      else makeUps.add(day);
    }
    years.set(year, entry as unknown as CalendarYearData);
  }

  for (const day of makeUps) {
    if (holidays.has(day)) problems.push(`${formatDay(day)} is both a holiday and a make-up workday`);
  }
  if (problems.length > 0) {
    throw new DeadlineError('invalid_calendar', `the working-day calendar has problems: ${problems.join('; ')}`, {
      problems,
    });
  }
  const weekdayHolidays = new Set([...holidays].filter(isWeekday));
  return {
    years,
    weekdayHolidays,
    makeUps,
    sortedHolidays: [...weekdayHolidays].sort((x, y) => x - y),
    sortedMakeUps: [...makeUps].sort((x, y) => x - y),
  };
}

/** Local dates ↔ instants in one zone, through Intl (so daylight saving elsewhere is right too). */
interface Zone {
  /** The local day number (days since 1970-01-01) an instant falls on. */
  dayOf(ms: number): number;
  /** The first instant of a local day. */
  startOfDay(day: number): number;
}

function createZone(timeZone: string): Zone {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new DeadlineError('invalid_time_zone', `unknown time zone "${timeZone}"`, { timeZone });
  }

  // Local wall time minus UTC at an instant, in ms.
  const offsetAt = (ms: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return wall - (ms - mod(ms, 1000));
  };
  const dayOf = (ms: number): number => Math.floor((ms + offsetAt(ms)) / DAY_MS);

  const computeStartOfDay = (day: number): number => {
    const wall = day * DAY_MS;
    // The instant is within ±14 h of the wall time read as UTC, so offsets a day either side bracket it.
    const before = offsetAt(wall - DAY_MS);
    const after = offsetAt(wall + DAY_MS);
    if (before === after) return wall - before;
    // A change of offset nearby: the day starts at the earliest candidate that is on this day while
    // the millisecond before it is not (a skipped midnight starts the day at the change itself).
    const guess = wall - offsetAt(wall);
    const candidates = [wall - before, wall - after, guess, wall - offsetAt(guess)].sort((x, y) => x - y);
    const start = candidates.find((ms) => dayOf(ms) === day && dayOf(ms - 1) < day);
    return start ?? candidates.find((ms) => dayOf(ms) >= day) ?? guess;
  };

  // Deadlines cluster on a few hundred days, and finding a day's start costs several Intl calls.
  const starts = new Map<number, number>();
  return {
    dayOf,
    startOfDay(day) {
      let start = starts.get(day);
      if (start === undefined) {
        if (starts.size >= 10_000) starts.clear();
        start = computeStartOfDay(day);
        starts.set(day, start);
      }
      return start;
    },
  };
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function tryParseDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  if (year < 1970 || new Date(ms).toISOString().slice(0, 10) !== value) return undefined;
  return ms / DAY_MS;
}

function parseDate(value: string): number {
  const day = tryParseDate(value);
  if (day === undefined) throw new DeadlineError('invalid_date', `"${String(value)}" is not a date YYYY-MM-DD`);
  return day;
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Day 0 (1970-01-01) was a Thursday. */
function isWeekday(day: number): boolean {
  const weekday = mod(day + 4, 7); // 0 = Sunday
  return weekday >= 1 && weekday <= 5;
}

/** Weekdays up to and including `day`, counted from a fixed Monday; only differences matter. */
function weekdaysThrough(day: number): number {
  const sinceMonday = day - 4; // day 4 (1970-01-05) was a Monday
  const weeks = Math.floor(sinceMonday / 7);
  return 5 * weeks + Math.min(sinceMonday - 7 * weeks + 1, 5);
}

/** How many sorted values are ≤ `value`. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
