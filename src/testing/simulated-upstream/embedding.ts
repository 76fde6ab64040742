/**
 * Deterministic unit-length embedding vectors: the same (model, text, dimensions) always gives the
 * same vector, different texts give different ones. Values are rounded to 8 significant digits so the
 * float encoding stays short; the base64 encoding is the same values as little-endian float32.
 */
export function embedVector(model: string, text: string, dims: number): number[] {
  let h = 0x811c9dc5;
  const seed = `${model}\u0000${text}`;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const raw = new Array<number>(dims);
  let norm = 0;
  let s = h >>> 0 || 1;
  for (let i = 0; i < dims; i++) {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    raw[i] = v;
    norm += v * v;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) raw[i] = Number(((raw[i] as number) * scale).toPrecision(8));
  return raw;
}

export function toBase64Float32(values: readonly number[]): string {
  const f = Float32Array.from(values);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString("base64");
}
