/**
 * What an uploaded file really is, read from its first bytes (its "magic
 * number"), never from the name or the declared Content-Type: a PDF or an
 * HTML page labelled `image/jpeg` must not reach a handler's browser as a
 * photo. Pure: bytes in, a verdict out; no I/O.
 */

/** The photo types Minxin keeps; HEIC/HEIF are what iPhones shoot when an app sends the camera's file as is. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** What the bytes say: the type, and the pixel size when the header gives it cheaply. */
export interface SniffedImage {
  readonly contentType: PhotoType;
  readonly width: number | null;
  readonly height: number | null;
}

const ascii = (bytes: Uint8Array, at: number, length: number): string =>
  at + length <= bytes.length ? String.fromCharCode(...bytes.subarray(at, at + length)) : '';
const u16be = (bytes: Uint8Array, at: number): number => (bytes[at]! << 8) | bytes[at + 1]!;
const u32be = (bytes: Uint8Array, at: number): number =>
  ((bytes[at]! << 24) >>> 0) + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
const u24le = (bytes: Uint8Array, at: number): number => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
const size = (width: number, height: number): { width: number | null; height: number | null } =>
  width > 0 && height > 0 ? { width, height } : { width: null, height: null };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function sniffPng(bytes: Uint8Array): SniffedImage | undefined {
  if (bytes.length < 24 || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) return undefined;
  // The first chunk of every PNG is IHDR: width and height as big-endian 32-bit numbers.
  if (ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  return { contentType: 'image/png', ...size(u32be(bytes, 16), u32be(bytes, 20)) };
}

/** Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not. */
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function sniffJpeg(bytes: Uint8Array): SniffedImage | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return undefined;
  // Walk the marker segments up to the first frame header, without decoding anything.
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, start of scan: no frame header before it
    const length = u16be(bytes, at + 2);
    if (isStartOfFrame(marker))
      return { contentType: 'image/jpeg', ...size(u16be(bytes, at + 7), u16be(bytes, at + 5)) };
    if (length < 2) break;
    at += 2 + length;
  }
  return { contentType: 'image/jpeg', width: null, height: null };
}

function sniffWebp(bytes: Uint8Array): SniffedImage | undefined {
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X' && bytes.length >= 30)
    return { contentType: 'image/webp', ...size(u24le(bytes, 24) + 1, u24le(bytes, 27) + 1) };
  if (chunk === 'VP8 ' && bytes.length >= 30 && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return {
      contentType: 'image/webp',
      ...size((bytes[26]! | (bytes[27]! << 8)) & 0x3fff, (bytes[28]! | (bytes[29]! << 8)) & 0x3fff),
    };
  }
  if (chunk === 'VP8L' && bytes.length >= 25 && bytes[20] === 0x2f) {
    const bits = (bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24)) >>> 0;
    return { contentType: 'image/webp', ...size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1) };
  }
  if (chunk === 'VP8 ' || chunk === 'VP8L' || chunk === 'VP8X')
    return { contentType: 'image/webp', width: null, height: null };
  return undefined;
}

/** HEVC-coded HEIF brands (what phones write); `mif1`/`msf1` are the generic image brands, also used by AVIF. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);

/**
 * HEIF files open with an ISO-BMFF `ftyp` box naming their brands. A major
 * brand of HEVC images is HEIC; a generic `mif1`/`msf1` is HEIF only when its
 * compatible brands name HEVC images too, so AVIF (same container, another
 * codec) is not mistaken for it.
 */
function sniffHeif(bytes: Uint8Array): SniffedImage | undefined {
  if (ascii(bytes, 4, 4) !== 'ftyp') return undefined;
  const boxSize = u32be(bytes, 0);
  if (boxSize < 16 || boxSize > 4096 || boxSize > bytes.length) return undefined;
  const major = ascii(bytes, 8, 4);
  const compatible = new Set<string>();
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.add(ascii(bytes, at, 4));
  if (HEIC_BRANDS.has(major)) return { contentType: 'image/heic', width: null, height: null };
  if (
    HEIF_BRANDS.has(major) &&
    [...compatible].some((brand) => HEIC_BRANDS.has(brand)) &&
    !compatible.has('avif') &&
    !compatible.has('avis')
  ) {
    return { contentType: 'image/heif', width: null, height: null };
  }
  return undefined;
}

/**
 * The image type the bytes prove, with width and height when the header
 * holds them (PNG, JPEG, WebP; not HEIF, whose size sits deeper), or
 * undefined when the bytes are none of {@link PHOTO_TYPES}. Reads at most
 * the header segments, so it is O(header), not O(file).
 *
 * @example sniffImage(pngBytes) // → { contentType: 'image/png', width: 2, height: 2 }
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  return sniffJpeg(bytes) ?? sniffPng(bytes) ?? sniffWebp(bytes) ?? sniffHeif(bytes);
}

/**
 * Whether a declared Content-Type agrees with the sniffed one: HEIC and HEIF
 * name the same container, and many apps send either for both.
 */
export function sameImageType(declared: string, sniffed: PhotoType): boolean {
  const heif = (type: string) => type === 'image/heic' || type === 'image/heif';
  return declared === sniffed || (heif(declared) && heif(sniffed));
}
