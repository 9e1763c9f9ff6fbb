/**
 * Seeded randomness for the simulator. xoshiro128** keeps its state in four 32-bit integers,
 * so a given seed yields the same stream on every engine and thread.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    // splitmix32 spreads one 32-bit seed over the four state words
    let s = seed | 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = Math.imul(s ^ (s >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  u32(): number {
    const b = this.b;
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Standard normal (Marsaglia's polar method; only log and sqrt, which are exact-rounded enough to agree across threads of one build). */
  gauss(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** One 32-bit seed from a list of numbers and strings; every part, and its position, matters. */
export function seedOf(...parts: ReadonlyArray<number | string>): number {
  let h = 0x2545f491;
  for (const part of parts) {
    if (typeof part === 'number') {
      const n = Number.isFinite(part) ? Math.trunc(part) : 0;
      h = mix(h, n | 0);
      h = mix(h, Math.floor(n / 4294967296) | 0);
    } else {
      let f = 0x811c9dc5;
      for (let i = 0; i < part.length; i++) f = Math.imul(f ^ part.charCodeAt(i), 0x01000193);
      h = mix(mix(h, f), part.length);
    }
  }
  return h >>> 0;
}
