// ROCA (CVE-2017-15361; Nemec et al., "The Return of Coppersmith's Attack", CCS 2017): RSA keys
// made by Infineon's RSALib have primes of the form k * M + (65537^a mod M), where M is the
// product of the first small primes, so the modulus is a power of 65537 modulo each of them, and
// the key can be factored. A random modulus passes this test with probability about 2^-167.

// The odd primes up to 701: those in M for every RSALib key of 1984 bits or more (bearerguard
// refuses shorter RSA keys anyway).
const LARGEST_PRIME = 701;
const GENERATOR = 65537;

function oddPrimes(limit: number): number[] {
  const primes: number[] = [];
  for (let n = 3; n <= limit; n += 2) {
    if (primes.every((p) => n % p !== 0)) primes.push(n);
  }
  return primes;
}

// Marks the residues modulo p that are powers of the generator.
function powersOfGenerator(p: number): Uint8Array {
  const isPower = new Uint8Array(p);
  for (let x = 1; isPower[x] === 0; x = (x * GENERATOR) % p) isPower[x] = 1;
  return isPower;
}

const FINGERPRINT = oddPrimes(LARGEST_PRIME).map((p) => ({
  prime: BigInt(p),
  isPower: powersOfGenerator(p),
}));

/** True when an RSA modulus has the ROCA fingerprint: a key that can be factored. */
export function hasRocaFingerprint(modulus: bigint): boolean {
  return FINGERPRINT.every(({ prime, isPower }) => isPower[Number(modulus % prime)] === 1);
}
