/**
 * Shamir secret sharing over GF(2^8) with the AES polynomial 0x11B, in the share layout sops
 * uses (HashiCorp Vault's): each share is the y bytes followed by one x-coordinate byte.
 */
import { randomBytes } from 'node:crypto';

function mul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) product ^= a;
    const carry = a & 0x80;
    a = (a << 1) & 0xff;
    if (carry) a ^= 0x1b;
    b >>= 1;
  }
  return product;
}

function inverse(a: number): number {
  // a^254 = a^-1 in GF(2^8).
  let result = 1;
  for (let i = 0; i < 254; i++) result = mul(result, a);
  return result;
}

/** Splits `secret` into `parts` shares, any `threshold` of which recover it. */
export function split(secret: Uint8Array, parts: number, threshold: number, random: (n: number) => Uint8Array = randomBytes): Uint8Array[] {
  if (parts < threshold) throw new Error('parts cannot be less than threshold');
  if (parts > 255) throw new Error('parts cannot exceed 255');
  if (threshold < 2) throw new Error('threshold must be at least 2');
  if (secret.length === 0) throw new Error('cannot split an empty secret');
  // Distinct non-zero x coordinates, in random order.
  const xs = Array.from({ length: 255 }, (_, i) => i + 1);
  const shuffle = random(255);
  for (let i = xs.length - 1; i > 0; i--) {
    const j = (shuffle[i] as number) % (i + 1);
    [xs[i], xs[j]] = [xs[j] as number, xs[i] as number];
  }
  const shares = Array.from({ length: parts }, (_, i) => {
    const share = new Uint8Array(secret.length + 1);
    share[secret.length] = xs[i] as number;
    return share;
  });
  for (let byte = 0; byte < secret.length; byte++) {
    const coefficients = [secret[byte] as number, ...random(threshold - 1)];
    for (const share of shares) {
      const x = share[secret.length] as number;
      let y = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) y = mul(y, x) ^ (coefficients[c] as number);
      share[byte] = y;
    }
  }
  return shares;
}

/** Recovers the secret from at least `threshold` shares (Lagrange interpolation at x = 0). */
export function combine(shares: readonly Uint8Array[]): Uint8Array {
  if (shares.length < 2) throw new Error('less than two parts cannot be used to reconstruct the secret');
  const length = (shares[0] as Uint8Array).length;
  if (length < 2 || shares.some((s) => s.length !== length)) throw new Error('all parts must be the same length');
  const xs = shares.map((s) => s[length - 1] as number);
  if (new Set(xs).size !== xs.length) throw new Error('duplicate part detected');
  const secret = new Uint8Array(length - 1);
  for (let byte = 0; byte < length - 1; byte++) {
    let value = 0;
    for (let i = 0; i < shares.length; i++) {
      let basis = 1;
      for (let j = 0; j < shares.length; j++) {
        if (i === j) continue;
        basis = mul(basis, mul(xs[j] as number, inverse((xs[i] as number) ^ (xs[j] as number))));
      }
      value ^= mul((shares[i] as Uint8Array)[byte] as number, basis);
    }
    secret[byte] = value;
  }
  return secret;
}
