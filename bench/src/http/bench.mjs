// HTTP on loopback: each server in a child process of its own, autocannon here. Requests per
// second, p99 latency and the server's CPU time per request, for one repeated token and for a
// rotating set of distinct tokens. All the servers of a framework run at once and are measured in
// short slices, one after another, round after round, so that each contender is compared with its
// bare server as measured a few seconds apart: the machine's speed drifts over tens of seconds.
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { median, pairedRatio, summarize } from '../stats.mjs';
import { AUDIENCE, tamper } from '../tokens.mjs';
import { HTTP_GROUPS, ROUTE } from './apps.mjs';

const MODES = ['repeated', 'distinct'];
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const ASK_TIMEOUT_MS = 5_000;

const exited = (code, signal) =>
  new Error(signal ? `the server was killed by ${signal}` : `the server exited with code ${code}`);

/**
 * Forks the server of `name`; resolves once it listens, with its URL, `ask(cmd)` (see
 * server.mjs) and `stop()`.
 */
async function startServer(name, config) {
  const child = fork(new URL('./server.mjs', import.meta.url), [name], {
    env: { ...process.env, BENCH_SERVER: JSON.stringify(config) },
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const stop = () => stopServer(child);
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the server did not start')),
        START_TIMEOUT_MS,
      );
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message.port);
      });
      child.once('exit', (code, signal) => reject(exited(code, signal)));
    });
    return { url: `http://127.0.0.1:${port}${ROUTE}`, ask: (cmd) => ask(child, cmd), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Sends `{ cmd }` to the server; resolves to its answer, the next message with the same cmd. */
function ask(child, cmd) {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      reject(exited(child.exitCode, child.signalCode));
      return;
    }
    const done = (err, message) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(message);
    };
    const onMessage = (message) => {
      if (message?.cmd === cmd) done(undefined, message);
    };
    const onExit = (code, signal) => done(exited(code, signal));
    const timer = setTimeout(
      () => done(new Error(`the server did not answer "${cmd}"`)),
      ASK_TIMEOUT_MS,
    );
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ cmd }, (err) => err && done(err));
  });
}

function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.disconnect();
    else child.kill();
  });
}

async function status(url, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return res.status;
}

/**
 * A protected server must answer 200 to good tokens and 401 to none and to a tampered one; a bare
 * one 200. These requests also fill the server's key cache before any timing.
 */
async function checkServer(url, set, protectedRoute) {
  for (const token of [set.distinct[0], set.repeated]) {
    const code = await status(url, token);
    if (code !== 200) throw new Error(`answered ${code} to a good token`);
  }
  if (!protectedRoute) return;
  for (const [what, token] of [
    ['no token', undefined],
    ['a tampered token', tamper(set.distinct[0])],
  ]) {
    const code = await status(url, token);
    if (code !== 401) throw new Error(`answered ${code} to ${what}`);
  }
}

/**
 * Autocannon options for one server. The same options serve its warm-up and all its slices, so
 * that with distinct tokens one counter per server rotates on through the set across them: the
 * server sees the whole set in turn, and a token comes back only after all the others, beyond the
 * reach of an LRU cache smaller than the set. (One counter for all the servers would not do:
 * between two of its slices a server would skip to an arbitrary point of the set, and meet again
 * tokens it verified a moment before.)
 */
function cannonOptions(url, set, mode, settings) {
  const options = { url, connections: settings.connections, duration: settings.httpDurationS };
  if (mode === 'repeated')
    return { ...options, headers: { authorization: `Bearer ${set.repeated}` } };
  // Each request takes the next token of the set, whichever connection sends it.
  const tokens = set.distinct;
  let next = 0;
  const setupRequest = (request) => ({
    ...request,
    headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
  });
  return { ...options, requests: [{ setupRequest }] };
}

/**
 * One slice of one server: an autocannon run between a 'mark' and a 'read', so that the server's
 * CPU time is read over the slice alone.
 */
async function measureSlice(server, options) {
  await server.ask('mark');
  const result = await autocannon(options);
  const { cpuUs, requests } = await server.ask('read');
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuUsPerRequest: requests > 0 ? cpuUs / requests : undefined,
  };
}

/** `items` rotated left by `shift`. */
const rotate = (items, shift) => {
  const n = shift % items.length;
  return [...items.slice(n), ...items.slice(0, n)];
};

/**
 * One group and token mode: every server of the group started at once, each checked and warmed
 * up (an autocannon run of its own), then `settings.httpRounds` rounds of one slice per server,
 * the order rotated each round so that no server always goes first. Resolves to a Map contender →
 * its slices, indexed by round. A server that fails is stopped and marked in `broken`; the others
 * go on. Every server is stopped at the end, also on error.
 */
async function runGroup(group, mode, { set, config, settings, broken, log }) {
  const slices = new Map(group.contenders.map((name) => [name, []]));
  const live = new Map(); // name → { server, options }
  const all = [];
  const fail = async (name, err) => {
    broken.set(name, err.message);
    log(`  ${name}: broken (${err.message})`);
    const entry = live.get(name);
    live.delete(name);
    await entry?.server.stop();
  };
  try {
    const names = group.contenders.filter((name) => !broken.has(name));
    const started = await Promise.allSettled(names.map((name) => startServer(name, config)));
    for (const [i, outcome] of started.entries()) {
      if (outcome.status === 'rejected') {
        await fail(names[i], outcome.reason);
        continue;
      }
      const server = outcome.value;
      all.push(server);
      live.set(names[i], { server, options: cannonOptions(server.url, set, mode, settings) });
    }
    for (const [name, { server, options }] of [...live]) {
      try {
        await checkServer(server.url, set, name !== group.bare);
        await autocannon({ ...options, duration: settings.httpWarmupS });
      } catch (err) {
        await fail(name, err);
      }
    }
    for (let round = 0; round < settings.httpRounds; round++) {
      for (const name of rotate(group.contenders, round)) {
        const entry = live.get(name);
        if (!entry) continue;
        try {
          slices.get(name)[round] = await measureSlice(entry.server, entry.options);
        } catch (err) {
          await fail(name, err);
        }
      }
      log(`  http ${group.framework} ${mode}: round ${round + 1}/${settings.httpRounds} done`);
    }
  } finally {
    await Promise.all(all.map((server) => server.stop()));
  }
  return slices;
}

function rowsFor(group, mode, slices, broken) {
  const bareSlices = broken.has(group.bare) ? [] : slices.get(group.bare);
  return group.contenders.map((contender) => {
    const error = broken.get(contender);
    const own = slices.get(contender);
    const runs = own.filter(Boolean);
    const row = {
      framework: group.framework,
      tokens: mode,
      contender,
      ...(error ? { status: 'broken', error } : { status: 'ok' }),
      rps: error ? undefined : summarize(runs.map((r) => r.rps)),
      p99: error ? undefined : summarize(runs.map((r) => r.p99)),
      cpuUsPerRequest: error
        ? undefined
        : summarize(runs.map((r) => r.cpuUsPerRequest).filter(Number.isFinite)),
      failures: runs.reduce((sum, r) => sum + (r.failures ?? 0), 0),
    };
    if (error) return row;
    // Paired by round: each slice against the bare server's slice of the same round.
    row.ratio = pairedRatio(
      own.map((r) => r?.rps),
      bareSlices.map((r) => r?.rps),
    );
    // The CPU time a request costs on top of the bare server's, round by round: the middleware's
    // own cost.
    if (contender !== group.bare) {
      const added = own
        .map((r, i) => r?.cpuUsPerRequest - bareSlices[i]?.cpuUsPerRequest)
        .filter(Number.isFinite);
      if (added.length > 0) row.addedUsPerRequest = median(added);
    }
    return row;
  });
}

/** Runs every mode and group, all of a group's servers at once; returns one row per contender. */
export async function runHttp({ tokenSets, jwks, settings, log }) {
  const set = tokenSets.RS256;
  const config = {
    issuer: jwks.issuer,
    audience: AUDIENCE,
    jwksUri: jwks.jwksUri('RS256', 'http'),
  };
  const broken = new Map(); // contender → error, so that a broken server is not tried again
  const results = new Map(); // `${mode} ${framework}` → slices by contender
  for (const mode of MODES) {
    for (const group of HTTP_GROUPS) {
      const context = { set, config, settings, broken, log };
      results.set(`${mode} ${group.framework}`, await runGroup(group, mode, context));
    }
  }
  const rows = [];
  for (const group of HTTP_GROUPS) {
    for (const mode of MODES) {
      rows.push(...rowsFor(group, mode, results.get(`${mode} ${group.framework}`), broken));
    }
  }
  return rows;
}
