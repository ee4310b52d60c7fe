// HTTP on loopback: each server in a child process of its own, autocannon here. Requests per
// second, p99 latency and the server's CPU time per request, for one repeated token and for a
// rotating set of distinct tokens.
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { ratioTo, summarize } from '../stats.mjs';
import { AUDIENCE, tamper } from '../tokens.mjs';
import { HTTP_GROUPS, ROUTE } from './apps.mjs';

const MODES = ['repeated', 'distinct'];
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const ASK_TIMEOUT_MS = 5_000;

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
      child.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
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
    const onExit = (code) => done(new Error(`the server exited with code ${code}`));
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
 * One measurement: a fresh server, checked, warmed and loaded. The warm-up is an autocannon run of
 * its own (what autocannon's `warmup` option does too), so that the server's CPU time can be read
 * over the timed run alone; the distinct tokens rotate on from the warm-up into the timed run.
 */
async function measure(name, bare, set, mode, config, settings) {
  const server = await startServer(name, config);
  try {
    await checkServer(server.url, set, name !== bare);
    const options = cannonOptions(server.url, set, mode, settings);
    await autocannon({ ...options, duration: settings.httpWarmupS });
    await server.ask('mark');
    const result = await autocannon(options);
    const { cpuUs, requests } = await server.ask('read');
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors + result.timeouts,
      cpuUsPerRequest: requests > 0 ? cpuUs / requests : undefined,
    };
  } finally {
    await server.stop();
  }
}

function rowsFor(group, mode, results, broken) {
  const rows = group.contenders.map((contender) => {
    const runs = results.get(`${mode} ${contender}`) ?? [];
    const error = broken.get(contender);
    return {
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
  });
  const bare = rows.find((r) => r.contender === group.bare);
  for (const row of rows) {
    row.ratio = ratioTo(row.rps, bare?.rps);
    // The CPU time a request costs on top of the bare server's: the middleware's own cost.
    const cpu = row.cpuUsPerRequest?.median;
    const bareCpu = bare?.cpuUsPerRequest?.median;
    if (row !== bare && cpu !== undefined && bareCpu !== undefined) {
      row.addedUsPerRequest = cpu - bareCpu;
    }
  }
  return rows;
}

/** Runs every group, mode and contender for each round; returns one row per contender. */
export async function runHttp({ tokenSets, jwks, settings, log }) {
  const set = tokenSets.RS256;
  const config = {
    issuer: jwks.issuer,
    audience: AUDIENCE,
    jwksUri: jwks.jwksUri('RS256', 'http'),
  };
  const results = new Map(); // `${mode} ${contender}` → runs
  const broken = new Map(); // contender → error, so that a broken server is not tried again
  for (let round = 0; round < settings.rounds; round++) {
    for (const mode of MODES) {
      for (const group of HTTP_GROUPS) {
        const shift = round % group.contenders.length;
        const order = [...group.contenders.slice(shift), ...group.contenders.slice(0, shift)];
        for (const name of order) {
          const key = `${mode} ${name}`;
          if (!results.has(key)) results.set(key, []);
          if (broken.has(name)) continue;
          try {
            results.get(key).push(await measure(name, group.bare, set, mode, config, settings));
          } catch (err) {
            broken.set(name, err.message);
            log(`  ${name}: broken (${err.message})`);
          }
        }
      }
      log(`  http round ${round + 1}/${settings.rounds} ${mode}: done`);
    }
  }
  const rows = [];
  for (const group of HTTP_GROUPS) {
    for (const mode of MODES) rows.push(...rowsFor(group, mode, results, broken));
  }
  return rows;
}
