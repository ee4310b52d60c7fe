// Core verification: operations per second of each verifier, in sequence (one verification at
// a time), for a rotating set of distinct tokens and for one repeated token.
import { Bench } from 'tinybench';
import { ratioTo, summarize } from '../stats.mjs';
import { ALGORITHMS, tamper } from '../tokens.mjs';
import { CORE_CONTENDERS } from './contenders.mjs';

export const TOKEN_MODES = ['distinct', 'repeated'];

const collectGarbage = () => globalThis.gc?.();

const errorText = (err) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** Each verifier must accept a good token (with its claims) and refuse a tampered one. */
export async function checkVerifier(verify, set) {
  for (const [token, sub] of [
    [set.distinct[0], 'client-0'],
    [set.repeated, 'repeated-client'],
  ]) {
    const claims = await verify(token);
    if (claims?.sub !== sub) throw new Error('accepted a good token but returned other claims');
  }
  let refused = false;
  try {
    await verify(tamper(set.distinct[0]));
  } catch {
    refused = true;
  }
  if (!refused) throw new Error('accepted a token with a tampered signature');
}

/** Creates and checks each contender for `alg`; keys are fetched and cached by the check. */
async function prepare(alg, set, jwks) {
  const prepared = [];
  for (const contender of CORE_CONTENDERS) {
    const ctx = {
      alg,
      key: set.key,
      issuer: jwks.issuer,
      jwksUri: jwks.jwksUri(alg, contender.tag),
    };
    try {
      const verify = await contender.create(ctx);
      await checkVerifier(verify, set);
      prepared.push({ contender, verify, cursor: { next: 1 } });
    } catch (err) {
      prepared.push({ contender, error: errorText(err) });
    }
  }
  return prepared;
}

// A contender's place in the distinct set is kept from round to round (and through tinybench's
// warm-up), so that each token comes back only after all the others: never within reach of a
// cache smaller than the set. Starting each round at the first token again would meet tokens
// verified a moment before, and cached.
function taskFor({ verify, cursor }, set, mode) {
  if (mode === 'repeated') return () => verify(set.repeated);
  const tokens = set.distinct;
  return () => verify(tokens[cursor.next++ % tokens.length]);
}

/** One round of one mode: every working contender, starting at a different one each round. */
async function runRound(prepared, set, mode, round, settings) {
  const working = prepared.filter((p) => p.verify);
  const shift = round % working.length;
  const order = [...working.slice(shift), ...working.slice(0, shift)];
  const bench = new Bench({
    time: settings.coreTimeMs,
    warmupTime: settings.coreWarmupMs,
    // A full collection before each verifier, so that none pays for the garbage of the one
    // before it (jose's promises, say). Needs node --expose-gc, as `npm run bench` runs it.
    setup: collectGarbage,
  });
  for (const entry of order) bench.add(entry.contender.name, taskFor(entry, set, mode));
  await bench.run();
  const opsPerSec = new Map();
  for (const task of bench.tasks) {
    if (task.result.state === 'completed') opsPerSec.set(task.name, 1000 / task.result.period);
    else opsPerSec.set(task.name, errorText(task.result.error));
  }
  return opsPerSec;
}

function rowsFor(alg, mode, prepared, rounds) {
  const rows = prepared.map(({ contender, error }) => {
    const values = rounds.map((r) => r.get(contender.name));
    const failure = error ?? values.find((v) => typeof v === 'string');
    return {
      alg,
      tokens: mode,
      contender: contender.name,
      ...(failure ? { status: 'broken', error: failure } : { status: 'ok' }),
      opsPerSec: failure ? undefined : summarize(values),
    };
  });
  const floor = rows[0].opsPerSec;
  for (const row of rows) row.ratio = ratioTo(row.opsPerSec, floor);
  return rows;
}

/** Runs the core scenario for every algorithm and token mode; returns one row per contender. */
export async function runCore({ tokenSets, jwks, settings, log }) {
  const rows = [];
  for (const alg of ALGORITHMS) {
    const set = tokenSets[alg];
    const prepared = await prepare(alg, set, jwks);
    for (const p of prepared.filter((p) => p.error))
      log(`  ${alg} ${p.contender.name}: broken (${p.error})`);
    for (const mode of TOKEN_MODES) {
      const rounds = [];
      for (let round = 0; round < settings.rounds; round++) {
        rounds.push(await runRound(prepared, set, mode, round, settings));
      }
      log(`  core ${alg} ${mode}: ${settings.rounds} round(s) done`);
      rows.push(...rowsFor(alg, mode, prepared, rounds));
    }
  }
  return rows;
}
