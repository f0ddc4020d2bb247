/** The encodings Chinese CSV exports come in; GB18030 is a superset of GBK and GB2312. */
export type TextEncoding = 'utf-8' | 'gb18030';

/** How many bytes after the first non-ASCII byte decide the encoding. */
const WINDOW = 64 * 1024;
/** Leading pure-ASCII bytes (often an English header and numeric columns) are skipped up to this. */
const SCAN_LIMIT = 1024 * 1024;

/**
 * Guesses the encoding of a text file from its first bytes: a UTF-8 BOM or valid
 * UTF-8 means UTF-8, anything else is taken as GB18030 (Excel's default "CSV"
 * on Chinese Windows). GBK text is almost never valid UTF-8, so a window of
 * 64 KiB starting at the first non-ASCII byte settles it; pure ASCII is UTF-8.
 * `bytes` may be a prefix of the file: a character cut at its end is accepted.
 * O(min(n, 1 MiB)).
 *
 * @example detectEncoding(iconv.encode('姓名', 'gbk')) // 'gb18030'
 */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  if (hasUtf8Bom(bytes)) return 'utf-8';
  const limit = Math.min(bytes.length, SCAN_LIMIT);
  let start = 0;
  while (start < limit && bytes[start]! < 0x80) start++;
  return isUtf8(bytes, start, Math.min(bytes.length, start + WINDOW)) ? 'utf-8' : 'gb18030';
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Excel's "Unicode text" export; worth a clear refusal rather than mojibake. */
export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/**
 * Strict UTF-8 check of bytes[start, end) (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). A sequence cut off by `end` counts as
 * valid, because `end` is usually where a sample stops, not where the file does.
 */
function isUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    // The second byte's range is narrower than 80..BF for a few leads; that is
    // what rules out overlong forms, surrogates and code points past U+10FFFF.
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return false;

    for (let k = 1; k < length; k++) {
      if (i + k >= end) return true;
      const byte = bytes[i + k]!;
      if (k === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return false;
    }
    i += length;
  }
  return true;
}
