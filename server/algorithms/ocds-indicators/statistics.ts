/**
 * The statistics behind the aggregate indicators (spec §10): Hyndman–Fan type 8
 * quantiles, Tukey fences computed with one rounding (as a fused multiply-add),
 * the rounding of Meta values, and the reference's number formatting.
 */

/**
 * The p-quantile of `values` by Hyndman–Fan's type 8 (median-unbiased), as
 * the `statrs` crate computes it: NaN for no data or p outside [0, 1]. Sorts a
 * copy: O(n log n).
 *
 * @example quantile([0, 0, 100, 100, 100, 100, 100, 100, 100], 0.25) // 66.666…
 */
export function quantile(values: readonly number[], p: number): number {
  const n = values.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return NaN;
  const sorted = Float64Array.from(values).sort();
  if (p === 0) return sorted[0]!;
  if (p === 1) return sorted[n - 1]!;
  const h = (n + 1 / 3) * p + 1 / 3;
  const m = Math.floor(h);
  if (m <= 0) return sorted[0]!;
  if (m >= n) return sorted[n - 1]!;
  const lower = sorted[m - 1]!;
  const upper = sorted[m]!;
  return lower + (h - m) * (upper - lower);
}

const scratch = new DataView(new ArrayBuffer(8));

/** A finite double as an exact integer mantissa and a power-of-two exponent. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  scratch.setFloat64(0, value);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: high >>> 31 ? -mantissa : mantissa, exponent };
}

/**
 * a·b + c with a single rounding, exactly like a hardware fused multiply-add
 * (the reference computes its fences so; plain `a * b + c` can differ in the
 * last bit, which matters only for a value sitting exactly on a fence).
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || a === 0 || b === 0) return a * b + c;
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const productExponent = x.exponent + y.exponent;
  const exponent = Math.min(productExponent, z.exponent);
  const sum = ((x.mantissa * y.mantissa) << BigInt(productExponent - exponent)) + (z.mantissa << BigInt(z.exponent - exponent));
  if (sum === 0n) return a * b + c;
  const negative = sum < 0n;
  let magnitude = negative ? -sum : sum;
  let shift = magnitude.toString(2).length - 64;
  if (shift > 0) {
    const sticky = (magnitude & ((1n << BigInt(shift)) - 1n)) !== 0n ? 1n : 0n;
    magnitude = (magnitude >> BigInt(shift)) | sticky;
  } else shift = 0;
  const result = Number(magnitude) * 2 ** (exponent + shift);
  return negative ? -result : result;
}

/** Lower Tukey fence q1 − 1.5·(q3 − q1), one rounding. */
export function lowerFence(q1: number, q3: number): number {
  return fusedMultiplyAdd(-1.5, q3 - q1, q1);
}

/** Upper Tukey fence q3 + 1.5·(q3 − q1), one rounding. */
export function upperFence(q1: number, q3: number): number {
  return fusedMultiplyAdd(1.5, q3 - q1, q3);
}

/** A Meta value: rounded to 4 decimals, halves away from zero; NaN and ±∞ become null (spec §10.3). */
export function roundMeta(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const scaled = value * 10_000;
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return rounded / 10_000;
}

/**
 * A number as the reference writes it: integral values with `.0`, otherwise
 * the shortest round-trip digits, in scientific notation (`1e16`, `1.5e-7`)
 * when the decimal exponent is ≥ 16 or < −5; non-finite values as `null`.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [digitsPart, exponentPart] = value.toExponential().split('e') as [string, string];
  const negative = digitsPart.startsWith('-');
  const digits = digitsPart.replace('-', '').replace('.', '');
  const exponent = Number(exponentPart);
  const sign = negative ? '-' : '';
  if (exponent >= 16 || exponent < -5) return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent}`;
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Compact JSON with numbers formatted by `formatNumber` (key order as given). */
export function stringifyWithRustNumbers(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifyWithRustNumbers).join(',')}]`;
  const entries = value instanceof Map ? [...(value as Map<string, unknown>)] : Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stringifyWithRustNumbers(member)}`).join(',')}}`;
}
