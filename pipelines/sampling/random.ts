// Seeded pseudo-random numbers: every draw in Crosswatch must be reproducible
// from its seed, so nothing here touches Math.random.
//
// sfc32 (Chris Doty-Humphrey's small fast counting generator) passes
// PractRand to 2^42+ bytes, has a 128-bit state (mulberry32's 32-bit state
// would give only 4 billion distinct streams) and needs no BigInt. Seeds are
// hashed with cyrb128 so that seeds 1 and 2, or 'a' and 'b', give unrelated
// streams. A number and its decimal string are the same seed (42 and '42'),
// so a seed typed on the command line reproduces one stored as a number.

export type Seed = number | string;

export interface Rng {
  /** Uniform in [0, 1) with 53 random bits. */
  float(): number;
  /** Uniform integer in [0, n); n a positive safe integer. */
  int(n: number): number;
}

/**
 * A generator for one named stream of a seed. Streams of one seed are
 * independent, so adding a camera or an intersection does not change the
 * draws of the others.
 */
export function createRng(seed: Seed, stream = ''): Rng {
  const [a, b, c, d] = cyrb128(`${String(seed)}\u0000${stream}`);
  const next = sfc32(a, b, c, d);
  for (let i = 0; i < 12; i++) next(); // the first outputs of sfc32 still echo the seed
  const float = () => (next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53;
  return {
    float,
    // The float has 53 bits, so the bias of floor(float * n) is below n / 2^53:
    // invisible for any count of windows or seconds this project draws from.
    int: (n) => Math.floor(float() * n),
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** 128-bit string hash (bryc's cyrb128), four 32-bit words. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
