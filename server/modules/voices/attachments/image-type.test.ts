import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tinyHeif, tinyJpeg, tinyPng, tinyWebp } from '../../../../test/images.ts';
import { sameImageType, sniffImage } from './image-type.ts';

test('a PNG is known by its signature and IHDR, with its size', () => {
  assert.deepEqual(sniffImage(tinyPng(2, 3)), { contentType: 'image/png', width: 2, height: 3 });
});

test('a JPEG is known by SOI, its size read from the frame header past APP0 and DQT', () => {
  assert.deepEqual(sniffImage(tinyJpeg(640, 480)), { contentType: 'image/jpeg', width: 640, height: 480 });
  // A JPEG cut before its frame header is still a JPEG, of unknown size.
  assert.deepEqual(sniffImage(tinyJpeg().subarray(0, 30)), { contentType: 'image/jpeg', width: null, height: null });
});

test('a WebP is known by RIFF…WEBP, with its size from VP8L, VP8X or VP8', () => {
  assert.deepEqual(sniffImage(tinyWebp(300, 200)), { contentType: 'image/webp', width: 300, height: 200 });
  const vp8x = Buffer.alloc(30);
  vp8x.write('RIFF', 0, 'latin1');
  vp8x.writeUInt32LE(22, 4);
  vp8x.write('WEBPVP8X', 8, 'latin1');
  vp8x.writeUIntLE(1919, 24, 3);
  vp8x.writeUIntLE(1079, 27, 3);
  assert.deepEqual(sniffImage(vp8x), { contentType: 'image/webp', width: 1920, height: 1080 });
  const vp8 = Buffer.alloc(30);
  vp8.write('RIFF', 0, 'latin1');
  vp8.write('WEBPVP8 ', 8, 'latin1');
  vp8.set([0x9d, 0x01, 0x2a], 23);
  vp8.writeUInt16LE(64, 26);
  vp8.writeUInt16LE(48, 28);
  assert.deepEqual(sniffImage(vp8), { contentType: 'image/webp', width: 64, height: 48 });
});

test('HEIC is known by its ftyp brands; AVIF in the same container is not taken for it', () => {
  assert.deepEqual(sniffImage(tinyHeif('heic')), { contentType: 'image/heic', width: null, height: null });
  assert.deepEqual(sniffImage(tinyHeif('mif1')), { contentType: 'image/heif', width: null, height: null });
  assert.equal(sniffImage(tinyHeif('avif')), undefined);
});

test('GIF, PDF, HTML, text, SVG and empty files are refused', () => {
  for (const refused of [
    Buffer.from('GIF89a\x02\x00\x03\x00\x80\x00\x00', 'latin1'),
    Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj', 'latin1'),
    Buffer.from('<!doctype html><script>alert(1)</script>'),
    Buffer.from('just some text, not a photo'),
    Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    Buffer.alloc(0),
    Buffer.from([0xff, 0xd8]),
    Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'),
  ]) {
    assert.equal(sniffImage(refused), undefined, refused.toString('latin1').slice(0, 12));
  }
});

test('a PNG labelled as JPEG does not match its label; HEIC and HEIF labels are interchangeable', () => {
  const sniffed = sniffImage(tinyPng())!;
  assert.equal(sameImageType('image/jpeg', sniffed.contentType), false);
  assert.equal(sameImageType('image/png', sniffed.contentType), true);
  assert.equal(sameImageType('image/heif', 'image/heic'), true);
  assert.equal(sameImageType('image/webp', 'image/heic'), false);
});
