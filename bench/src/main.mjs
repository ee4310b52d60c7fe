// `npm run bench`: one run of every scenario on the same machine and the same tokens; prints the
// report and writes it under bench/results/ (Markdown, JSON and an SVG chart).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULTS } from '@bearerguard/core';
import { runCore } from './core/bench.mjs';
import { memoryCheckpoints, runMemory } from './core/memory.mjs';
import { runHttp } from './http/bench.mjs';
import { JWKS_SCENARIO, runJwks } from './jwks/bench.mjs';
import { startJwksServer } from './jwks-server.mjs';
import { currentLoad, describeMachine } from './machine.mjs';
import { renderChart } from './report/chart.mjs';
import { renderDocument } from './report/document.mjs';
import { checkTargets } from './report/targets.mjs';
import { readSettings } from './settings.mjs';
import { createKeys, mintTokenSets } from './tokens.mjs';

const MIN_DISTINCT_TOKENS = 2000;
const log = (message) => console.error(message);

// Enough distinct tokens that, taken in turn, none is found in bearerguard's LRU token cache.
function distinctTokenCount(settings, cacheSize) {
  return settings.tokens ?? Math.max(MIN_DISTINCT_TOKENS, Math.ceil(cacheSize * 1.1));
}

async function runSections(settings, context) {
  const { sections } = settings;
  const results = {};
  if (sections.has('core')) {
    log('Core verification…');
    results.core = await runCore(context);
  }
  if (sections.has('http')) {
    log('HTTP…');
    results.http = await runHttp(context);
  }
  if (sections.has('memory')) {
    log('Memory…');
    results.memory = await runMemory({
      ...context,
      checkpoints: memoryCheckpoints(context.cacheSize),
    });
  }
  // Last: jwks-rsa's rate limiter keeps flood requests queued for minutes after the scenario.
  if (sections.has('jwks')) {
    log('JWKS fetches…');
    results.jwks = await runJwks(context);
    results.jwksScenario = JWKS_SCENARIO;
  }
  return results;
}

// Every run's raw numbers are kept here too (ignored by git).
const ARCHIVE = new URL('../results/raw/', import.meta.url).pathname;

async function writeResults(outDir, results) {
  await mkdir(outDir, { recursive: true });
  await mkdir(ARCHIVE, { recursive: true });
  const chart = await renderChart(results, `bearerguard benchmarks, ${results.run.date}`);
  if (chart) await writeFile(join(outDir, 'latest.svg'), chart);
  const document = renderDocument(results, chart ? 'latest.svg' : undefined);
  const json = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(join(outDir, 'latest.md'), document);
  await writeFile(join(outDir, 'latest.json'), json);
  await writeFile(join(ARCHIVE, `${results.run.date.replace(/[:.]/g, '-')}.json`), json);
  return document;
}

async function main() {
  const settings = readSettings();
  if (!settings) return;
  const started = performance.now();
  const machine = describeMachine();
  const cacheSize = DEFAULTS.tokenCacheSize ?? 0;
  const tokens = distinctTokenCount(settings, cacheSize);

  const keys = createKeys();
  const jwks = await startJwksServer(keys);
  try {
    log(`Minting ${tokens} distinct tokens per algorithm…`);
    const tokenSets = await mintTokenSets(keys, jwks.issuer, tokens);
    const context = { keys, tokenSets, jwks, settings, cacheSize, log };
    const results = await runSections(settings, context);

    const { sections, outDir, ...runSettings } = settings;
    results.run = {
      ...runSettings,
      sections: [...sections],
      date: new Date().toISOString(),
      tokens,
      tokenCacheSize: DEFAULTS.tokenCacheSize,
      durationS: (performance.now() - started) / 1000,
      loadAtEnd: currentLoad(),
    };
    results.machine = machine;
    results.targets = checkTargets(results);
    const document = await writeResults(outDir, results);
    console.log(document);
    log(`Wrote ${join(outDir, 'latest.md')}, latest.json and latest.svg`);
  } finally {
    await jwks.close();
  }
}

main().then(
  // Exit now: libraries under test may hold timers (jwks-rsa's queued rate-limited requests).
  () => process.exit(0),
  (err) => {
    // A bad option is a TypeError: its message says enough.
    console.error(err instanceof TypeError ? `bench: ${err.message}` : err);
    process.exit(1);
  },
);
