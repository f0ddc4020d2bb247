/**
 * The classifier's file format (v1). A model is bytes that may come from a
 * disk, a database or a download, so reading it checks everything and says
 * what is wrong instead of crashing or falling back to something else:
 *
 *   offset  size  field
 *   0       8     magic "MINXINTC" (Minxin text classifier)
 *   8       2     format version, u16 little-endian (this reader: 1)
 *   10      2     reserved, 0
 *   12      4     payload length in bytes, u32 little-endian
 *   16      32    SHA-256 of the payload
 *   48      …     payload: gzip of [u32 header length][header JSON][sections…]
 *
 * The header (JSON) holds the labels, feature configuration, calibration,
 * the taxonomy under the labels, training facts and the byte length of each binary section,
 * which follow it in order: `lexicon` (UTF-8 "word\tfrequency" lines),
 * `idf` (u8 per feature, idf × 20, 0 = never seen), `weights` (i8 per
 * feature and class, square-root quantised per class, see `quantise`).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';

export const MAGIC = 'MINXINTC';
export const FORMAT_VERSION = 1;
const PREAMBLE = 48;

/** Why a model file was refused; `reason` is one line for a person. */
export class ModelFileError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`model refused: ${reason}`);
    this.name = 'ModelFileError';
    this.reason = reason;
  }
}

const featureConfigSchema = z.strictObject({
  charMinN: z.number().int().min(1).max(6),
  charMaxN: z.number().int().min(1).max(6),
  charBits: z.number().int().min(8).max(24),
  titleMaxN: z.number().int().min(1).max(6),
  titleBits: z.number().int().min(8).max(24),
  wordBits: z.number().int().min(8).max(24),
  maxChars: z.number().int().min(1),
  weights: z.strictObject({ char: z.number().min(0), title: z.number().min(0), word: z.number().min(0) }),
});

const headerSchema = z.strictObject({
  kind: z.literal('minxin-text-classifier'),
  labels: z.array(z.string().min(1)).min(2),
  features: featureConfigSchema,
  lexiconTotal: z.number().positive(),
  bias: z.array(z.number()),
  /** Each label's share of the training examples: the answer when a message gives no evidence. */
  priors: z.array(z.number().min(0).max(1)),
  weightScale: z.array(z.number().min(0)),
  temperature: z.number().positive(),
  /** The taxonomy rows under the model's labels, [level 1, level 2, level 3]: where deeper paths come from. */
  taxonomy: z.array(z.array(z.string().min(1)).min(1).max(3)),
  training: z.record(z.string(), z.unknown()),
  sections: z.strictObject({ lexicon: z.number().int().min(0), idf: z.number().int().min(0), weights: z.number().int().min(0) }),
});

export type ModelHeader = z.infer<typeof headerSchema>;

/** The decoded contents of a model file. */
export interface ModelContents {
  readonly header: Omit<ModelHeader, 'sections'>;
  readonly lexicon: readonly { word: string; frequency: number }[];
  readonly idf: Uint8Array;
  readonly weights: Int8Array;
}

/** Writes a model file. Deterministic: the same contents give the same bytes. */
export function encodeModel(contents: ModelContents): Uint8Array {
  const lexicon = Buffer.from(contents.lexicon.map(({ word, frequency }) => `${word}\t${frequency}`).join('\n'), 'utf8');
  const header: ModelHeader = {
    ...contents.header,
    sections: { lexicon: lexicon.length, idf: contents.idf.length, weights: contents.weights.length },
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(headerBytes.length);
  const raw = Buffer.concat([
    headerLength,
    headerBytes,
    lexicon,
    Buffer.from(contents.idf.buffer, contents.idf.byteOffset, contents.idf.byteLength),
    Buffer.from(contents.weights.buffer, contents.weights.byteOffset, contents.weights.byteLength),
  ]);
  const payload = gzipSync(raw, { level: 9 });
  const preamble = Buffer.alloc(PREAMBLE);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt16LE(FORMAT_VERSION, 8);
  preamble.writeUInt32LE(payload.length, 12);
  createHash('sha256').update(payload).digest().copy(preamble, 16);
  return new Uint8Array(Buffer.concat([preamble, payload]));
}

/**
 * Reads a model file, or throws `ModelFileError` saying why not: "not a
 * Minxin model", "format v2 not supported", "truncated", "checksum
 * mismatch", "corrupt payload", "invalid header: …".
 */
export function decodeModel(bytes: Uint8Array): ModelContents {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (file.length < MAGIC.length || file.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new ModelFileError('not a Minxin model (no MINXINTC magic)');
  if (file.length < PREAMBLE) throw new ModelFileError(`truncated (${file.length} bytes, shorter than the ${PREAMBLE}-byte preamble)`);
  const version = file.readUInt16LE(8);
  if (version !== FORMAT_VERSION) throw new ModelFileError(`format v${version} not supported (this Minxin reads v${FORMAT_VERSION})`);
  const length = file.readUInt32LE(12);
  if (file.length < PREAMBLE + length) throw new ModelFileError(`truncated (${file.length - PREAMBLE} of ${length} payload bytes)`);
  if (file.length > PREAMBLE + length) throw new ModelFileError(`${file.length - PREAMBLE - length} unexpected bytes after the payload`);
  const payload = file.subarray(PREAMBLE);
  const digest = createHash('sha256').update(payload).digest();
  if (!digest.equals(file.subarray(16, PREAMBLE))) throw new ModelFileError('checksum mismatch (the file was altered or damaged)');
  let raw: Buffer;
  try {
    raw = gunzipSync(payload);
  } catch (error) {
    throw new ModelFileError(`corrupt payload (${(error as Error).message})`);
  }
  if (raw.length < 4) throw new ModelFileError('corrupt payload (no header)');
  const headerLength = raw.readUInt32LE(0);
  if (raw.length < 4 + headerLength) throw new ModelFileError('corrupt payload (header cut short)');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8', 4, 4 + headerLength));
  } catch {
    throw new ModelFileError('invalid header: not JSON');
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelFileError(`invalid header: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { sections, ...header } = parsed.data;
  const K = header.labels.length;
  if (new Set(header.labels).size !== K) throw new ModelFileError('invalid header: labels repeat');
  if (header.bias.length !== K || header.weightScale.length !== K || header.priors.length !== K) {
    throw new ModelFileError(`invalid header: bias, weightScale and priors need ${K} values, one per label`);
  }
  if (header.features.charMinN > header.features.charMaxN) throw new ModelFileError('invalid header: charMinN above charMaxN');
  const dimension = 2 ** header.features.charBits + 2 ** header.features.titleBits + 2 ** header.features.wordBits;
  if (sections.idf !== dimension || sections.weights !== dimension * K) {
    throw new ModelFileError(`mismatched sections: the feature configuration needs ${dimension} idf and ${dimension * K} weight bytes, the file has ${sections.idf} and ${sections.weights}`);
  }
  const expected = 4 + headerLength + sections.lexicon + sections.idf + sections.weights;
  if (raw.length !== expected) throw new ModelFileError(`corrupt payload (${raw.length} bytes where the header promises ${expected})`);
  let at = 4 + headerLength;
  const lexiconText = raw.toString('utf8', at, at + sections.lexicon);
  at += sections.lexicon;
  const lexicon: { word: string; frequency: number }[] = [];
  if (lexiconText.length > 0) {
    for (const line of lexiconText.split('\n')) {
      const tab = line.lastIndexOf('\t');
      const frequency = Number(line.slice(tab + 1));
      if (tab <= 0 || !(frequency > 0)) throw new ModelFileError('corrupt lexicon line');
      lexicon.push({ word: line.slice(0, tab), frequency });
    }
  }
  const idf = new Uint8Array(raw.subarray(at, at + sections.idf));
  at += sections.idf;
  const weights = new Int8Array(raw.buffer.slice(raw.byteOffset + at, raw.byteOffset + at + sections.weights));
  return { header, lexicon, idf, weights };
}

/**
 * Quantises one class's weights to signed bytes on a square-root scale
 * (q = round(127 · sign(w) · √(|w| / max))), which keeps the many small
 * weights distinguishable where a linear scale would round them to zero.
 * Returns the scale (max |w|) to undo it with `dequantise`.
 */
export function quantise(weights: Float64Array, stride: number, offset: number, out: Int8Array): number {
  let max = 0;
  for (let j = offset; j < weights.length; j += stride) if (Math.abs(weights[j]!) > max) max = Math.abs(weights[j]!);
  for (let j = offset; j < weights.length; j += stride) {
    const w = weights[j]!;
    out[j] = max === 0 ? 0 : Math.sign(w) * Math.round(127 * Math.sqrt(Math.abs(w) / max));
  }
  return max;
}

/** The weight a quantised byte stands for. */
export function dequantise(q: number, scale: number): number {
  const r = q / 127;
  return Math.sign(r) * r * r * scale;
}
