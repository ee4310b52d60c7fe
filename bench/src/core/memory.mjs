// Memory: the heap a verifier keeps after verifying more and more distinct tokens, each twice
// (bearerguard caches a token from its second verification). A verifier with a bounded
// verified-token cache stops growing; an unbounded one grows with every token. ES256 tokens, since
// they are cheap to sign in the numbers needed.
import { mintTokensInParallel } from '../tokens.mjs';
import { CORE_CONTENDERS } from './contenders.mjs';

const ALG = 'ES256';
const MEASURED = ['node:crypto floor', 'bearerguard', 'fast-jwt (cache)'];
// Growth per token over the last step below this is taken as a plateau: bounded.
const BOUNDED_BYTES_PER_TOKEN = 50;

function retainedHeap() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function measureContender(contender, tokens, ctx, checkpoints) {
  const base = retainedHeap();
  const verify = await contender.create(ctx);
  const points = [];
  let done = 0;
  for (const checkpoint of checkpoints) {
    for (; done < checkpoint; done++) {
      await verify(tokens[done]);
      await verify(tokens[done]);
    }
    points.push({ tokens: checkpoint, bytes: retainedHeap() - base });
  }
  // `verify` is used after the last measurement, so that it is not collected before it.
  await verify(tokens[0]);
  const [previous, last] = points.slice(-2);
  const perToken = (last.bytes - previous.bytes) / (last.tokens - previous.tokens);
  return {
    points,
    // While the cache fills (the first checkpoint is below its size): what one cached token costs.
    bytesPerTokenFilling: points[0].bytes / points[0].tokens,
    bytesPerToken: perToken,
    bounded: perToken < BOUNDED_BYTES_PER_TOKEN,
  };
}

/**
 * Checkpoints for a verifier whose token cache holds `cacheSize` entries: one below it and two
 * well past it, so that a bounded cache shows a plateau over the last step. (Past the size, the
 * heap still settles for a while: evicted entries are not all reclaimed at once.)
 */
export function memoryCheckpoints(cacheSize) {
  const size = Math.max(cacheSize, 1000);
  return [Math.round(size / 2), size * 2, size * 3];
}

/** Retained heap per contender at each checkpoint; needs node --expose-gc. */
export async function runMemory({ keys, jwks, checkpoints, log }) {
  if (typeof globalThis.gc !== 'function') {
    log('  memory: skipped (run node with --expose-gc)');
    return { skipped: 'node was not started with --expose-gc' };
  }
  const tokens = await mintTokensInParallel(
    keys[ALG],
    jwks.issuer,
    checkpoints.at(-1),
    'memory-client',
  );
  const rows = [];
  for (const name of MEASURED) {
    const contender = CORE_CONTENDERS.find((c) => c.name === name);
    const ctx = {
      alg: ALG,
      key: keys[ALG],
      issuer: jwks.issuer,
      jwksUri: jwks.jwksUri(ALG, `memory-${contender.tag}`),
    };
    try {
      rows.push({
        contender: name,
        status: 'ok',
        ...(await measureContender(contender, tokens, ctx, checkpoints)),
      });
    } catch (err) {
      rows.push({ contender: name, status: 'broken', error: err.message });
    }
    log(`  memory ${name}: done`);
  }
  return { alg: ALG, checkpoints, rows };
}
