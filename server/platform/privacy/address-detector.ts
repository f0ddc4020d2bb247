/**
 * The door of an address. Public pages may say which district and road a
 * case is about (that is what makes the map and the statistics useful), but
 * not which house or flat: `香港中路10号3单元501` is shown as
 * `香港中路**号*单元***`.
 *
 * An address is read as a chain of numbered parts — `10号`, `3栋`, `2单元`,
 * `501室`, a bare room number `501` or a dashed `3-2-501` — and masked whole
 * when either
 * - it follows a road, street, lane or village name (the house number there
 *   is a door, `香港中路10号`), or
 * - it reaches down to a flat (`4栋202室`, `8栋2单元102号`, `1307室`).
 * A building or unit alone (`9栋1单元的消防栓`, `25层`) serves dozens of
 * households and stays, as do numbered roads, bus and metro lines (`3号路`,
 * `204路`, `2号线`), floor plans (`3室2厅`) and document numbers (`〔2015〕2号`).
 */
import { candidate, starAlphanumerics, type Candidate, type Source } from './personal-data.ts';

type PartKind = 'house' | 'building' | 'flat';

/**
 * One numbered part. `号` is a house number unless it names a line, a road, a
 * window, a lift, a gate or a document (`2号线`, `3号路`, `18号窗口`, `1号电梯`,
 * `53号文`); `室`/`房` is a flat unless it counts rooms (`3室2厅`) or starts a
 * word (`2017房产`, `房价`, `房东`).
 */
const PART =
  /(?:[A-Za-z]?\d{1,5}[A-Za-z]?|[A-Za-z])(号院|号楼|号(?![线路街道巷文令窗码机车电门井岗台位])|栋|幢|座|单元|楼|层|(?:室|房)(?!\d?厅|[一二两三四五六]厅|[产价租东贷源地型管改]))/y;
/** `3-2-501`, `6-27`; not a range of floors, flats, phases or groups (`6-27层`, `4-8套`, `1-3期`, `17-19组`). */
const DASHED = /\d{1,4}(?:-\d{1,4}){1,2}(?:号|室|房)?(?![\d-]|层|楼|套|户|期|组|个|人|年|月|日|米|元)/y;
/** A room number written bare after a building part; never a count (`10栋460户`) or an amount. */
const BARE_ROOM = /\d{3,4}(?![\dA-Za-z户人个元米平㎡辆套栋层年月日天次位名家间条只台件万千百亿多余%.])/y;

// prettier-ignore
const KIND_OF_UNIT: Record<string, PartKind> = {
  号院: 'house', 号楼: 'house', 号: 'house', 栋: 'building', 幢: 'building', 座: 'building',
  单元: 'building', 楼: 'building', 层: 'building', 室: 'flat', 房: 'flat',
};

interface Chain {
  end: number;
  parts: { kind: PartKind; digits: number }[];
}

function readChain(ascii: string, start: number): Chain | undefined {
  const parts: Chain['parts'] = [];
  let position = start;
  for (;;) {
    const last = parts.at(-1);
    const part = readAt(PART, ascii, position);
    if (part) {
      parts.push({ kind: KIND_OF_UNIT[part[1]!]!, digits: part[0].replace(/\D/g, '').length });
      position += part[0].length;
      continue;
    }
    const dashed = readAt(DASHED, ascii, position);
    if (dashed) {
      parts.push({ kind: last ? 'flat' : kindOfDashed(dashed[0]), digits: dashed[0].replace(/\D/g, '').length });
      position += dashed[0].length;
      break;
    }
    const bare = last?.kind === 'building' || last?.kind === 'house' ? readAt(BARE_ROOM, ascii, position) : undefined;
    if (bare) {
      parts.push({ kind: 'flat', digits: bare[0].length });
      position += bare[0].length;
    }
    break;
  }
  return parts.length > 0 ? { end: position, parts } : undefined;
}

/**
 * A dashed number on its own is building-unit-flat only in the `3-2-501`
 * shape: a short building, a unit of one or two digits, a room number last;
 * so a date (`2019-04-25`), a range (`1-3期`) or a service number
 * (`400-889-3333`) is not one.
 */
function kindOfDashed(dashed: string): PartKind {
  const pieces = dashed.replace(/\D+$/, '').split('-');
  return pieces.length === 3 && pieces[0]!.length <= 3 && pieces[1]!.length <= 2 && pieces[2]!.length >= 3
    ? 'flat'
    : 'house';
}

function readAt(pattern: RegExp, text: string, position: number): RegExpExecArray | null {
  pattern.lastIndex = position;
  return pattern.exec(text);
}

/** Where a road name ends: 路, 街, 道 (大道, 街道), 巷, 弄, 胡同, 村, after a Han character (so `204路` is a bus). */
const ROAD_END = /(?<=\p{Script=Han})(?:路|街|道|巷|弄|胡同|村)(?=\d)/gu;
/** Where a numbered part may begin: a digit, or one letter and a digit (`b4栋`), not inside a longer code. */
const PART_START = /(?<![A-Za-z\d-])[A-Za-z]?\d/g;

/** Door numbers and flats, masked digit by digit with their unit words kept (`**号*单元***`). */
export function detectAddressDetails(source: Source): Candidate[] {
  const { ascii } = source;
  const found: Candidate[] = [];
  const mask = (start: number, end: number): Candidate =>
    candidate(source, 'address_detail', start, end, (written) => starAlphanumerics(written, 0));

  for (const road of ascii.matchAll(ROAD_END)) {
    const start = road.index + road[0].length;
    const chain = readChain(ascii, start);
    if (chain && chain.parts[0]!.kind !== 'building') found.push(mask(start, chain.end));
  }
  for (const part of ascii.matchAll(PART_START)) {
    const chain = readChain(ascii, part.index);
    if (chain && reachesAFlat(chain)) found.push(mask(part.index, chain.end));
  }
  return found;
}

/**
 * A flat: anything flat-like after another part, a lone `室`/`房` with a
 * three- or four-digit number (`1307室`; a lone `3室` is a room count), a
 * lone `3-2-501`, or a house number after a building (`5栋306号`).
 */
function reachesAFlat(chain: Chain): boolean {
  return chain.parts.some((part, index) => {
    if (part.kind === 'flat') return index > 0 || part.digits >= 3;
    return part.kind === 'house' && chain.parts[index - 1]?.kind === 'building';
  });
}
