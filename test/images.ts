// Tiny real image files built in code, so photo tests need no fixture files: a PNG any browser
// decodes, and JPEG / WebP / HEIC headers as cameras and encoders write them.
import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid, decodable RGB PNG of `width` × `height` in one colour (default a 2 × 3 red one). */
export function tinyPng(width = 2, height = 3, rgb: [number, number, number] = [220, 40, 40]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method choice, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG's header as a camera writes it: SOI, a JFIF APP0, a quantisation table, then a baseline frame of `width` × `height`. */
export function tinyJpeg(width = 640, height = 480): Buffer {
  const app0 = [
    0xff,
    0xe0,
    0x00,
    0x10,
    ...Buffer.from('JFIF\0', 'latin1'),
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
  ];
  const dqt = [0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1)];
  const sof0 = [
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x01,
    0x01,
    0x11,
    0x00,
  ];
  return Buffer.from([0xff, 0xd8, ...app0, ...dqt, ...sof0, 0xff, 0xd9]);
}

/** A lossless WebP (`VP8L`) header of `width` × `height`. */
export function tinyWebp(width = 300, height = 200): Buffer {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  const vp8l = Buffer.alloc(5 + 3);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(bits >>> 0, 1);
  const chunkSize = Buffer.alloc(4);
  chunkSize.writeUInt32LE(vp8l.length);
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), Buffer.from('VP8L', 'latin1'), chunkSize, vp8l]);
  const riffSize = Buffer.alloc(4);
  riffSize.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), riffSize, body]);
}

/** The `ftyp` box an iPhone's HEIC photo opens with (`heic`, compatible `mif1 heic`), or AVIF's when `brand` is `avif`. */
export function tinyHeif(brand: 'heic' | 'mif1' | 'avif' = 'heic'): Buffer {
  const compatible = brand === 'avif' ? ['mif1', 'avif', 'miaf'] : ['mif1', 'heic'];
  const box = Buffer.alloc(16 + compatible.length * 4 + 16);
  box.writeUInt32BE(16 + compatible.length * 4, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  compatible.forEach((name, index) => box.write(name, 16 + index * 4, 'latin1'));
  return box;
}

/** Bytes of `size` following `head`, e.g. to make a file just over a size limit. */
export function padded(head: Buffer, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  head.copy(bytes);
  return bytes;
}
