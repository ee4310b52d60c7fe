// The bearerguard demo: a local authorization server, the alerts API behind bearerguard, and the
// whole flow over real HTTP, printed step by step with the equivalent curl command.
// `npm run demo` exits 0 only if every step behaved as expected; `npm run demo -- --serve` keeps
// the servers running.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { createAbuseMonitor } from '@bearerguard/core';
import { createTokenClient, requestToken } from '@bearerguard/client';
import { startDevIssuer } from '@bearerguard/dev-issuer';
import { createMonitoring } from '@bearerguard/example-operators';
import { createAlertsApp as expressAlerts } from '@bearerguard/example-express-alerts';
import { createAlertsApp as koaAlerts } from '@bearerguard/example-koa-alerts';
import { Steps, bold, describe, short } from './steps.mjs';

const AUDIENCE = 'https://alerts.example.test';
const COOLDOWN_MS = 1000;
const CLIENTS = [
  {
    clientId: 'soc-automation',
    clientSecret: 'soc-automation-secret',
    scopes: ['alerts:read', 'playbooks:run'],
  },
  { clientId: 'dashboard', clientSecret: 'dashboard-secret', scopes: ['alerts:read'] },
];

async function listen(handler) {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

// Tokens come from the dev issuer's token endpoint through @bearerguard/client, as a client
// script would get them from a real authorization server.
function tokenClient(issuer, { clientId, clientSecret }) {
  return createTokenClient({ issuer: issuer.issuer, clientId, clientSecret });
}

function curlToken(issuer, client) {
  return `curl -s -u ${client.clientId}:${client.clientSecret} -d grant_type=client_credentials ${issuer.tokenEndpoint}`;
}

async function walk(steps, issuer, api, name, events) {
  const [soc, dashboard] = CLIENTS;
  steps.section(`${name}: ${api.url}`);

  const granted = await requestToken({
    issuer: issuer.issuer,
    clientId: soc.clientId,
    clientSecret: soc.clientSecret,
  });
  const token = granted.accessToken;
  steps.check('Obtain a token with client credentials', {
    curl: curlToken(issuer, soc),
    actual: `${granted.tokenType} expires_in=${granted.expiresIn}`,
    expected: 'Bearer expires_in=300',
    detail: `access_token ${short(token)}, scope "${granted.scope}"`,
  });

  const call = async (path, { bearer, method = 'GET', from } = {}) =>
    describe(
      await fetch(`${api.url}${path}`, {
        method,
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(from ? { 'x-forwarded-for': from } : {}),
        },
      }),
    );
  const curl = (path, label, method = 'GET') =>
    `curl -s ${method === 'GET' ? '' : `-X ${method} `}${label ? `-H "Authorization: Bearer $${label}" ` : ''}${api.url}${path}`;

  let r = await call('/v1/alerts', { bearer: token });
  steps.check('Call the API with the token', {
    curl: curl('/v1/alerts', 'TOKEN'),
    actual: `${r.status}`,
    expected: '200',
  });

  r = await call('/v1/alerts');
  steps.check('Call without a token', {
    curl: curl('/v1/alerts'),
    actual: `${r.status} ${r.challenge}`,
    expected: '401 Bearer realm="api"',
  });

  const [h, p, s] = token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url')), scope: 'alerts:read admin' })).toString('base64url')}.${s}`;
  r = await call('/v1/alerts', { bearer: tampered });
  steps.check('Call with a tampered token (scope edited)', {
    curl: curl('/v1/alerts', 'TAMPERED'),
    actual: `${r.status} ${r.reason}`,
    expected: '401 signature_invalid',
    detail: r.challenge,
  });

  const expired = await issuer.mint({
    sub: soc.clientId,
    client_id: soc.clientId,
    exp: Math.floor(Date.now() / 1000) - 3600,
  });
  r = await call('/v1/alerts', { bearer: expired });
  steps.check('Call with an expired token', {
    curl: curl('/v1/alerts', 'EXPIRED'),
    actual: `${r.status} ${r.reason}`,
    expected: '401 token_expired',
    detail: r.challenge,
  });

  const readOnly = await tokenClient(issuer, dashboard).getToken();
  r = await call('/v1/playbooks/isolate-host/run', { bearer: readOnly, method: 'POST' });
  steps.check('Run a playbook with a token that lacks playbooks:run', {
    curl: curl('/v1/playbooks/isolate-host/run', 'DASHBOARD_TOKEN', 'POST'),
    actual: `${r.status} ${r.reason}`,
    expected: '403 insufficient_scope',
    detail: r.challenge,
  });

  r = await call('/v1/playbooks/isolate-host/run', { bearer: token, method: 'POST' });
  steps.check('Run the playbook with playbooks:run', {
    curl: curl('/v1/playbooks/isolate-host/run', 'TOKEN', 'POST'),
    actual: `${r.status}`,
    expected: '202',
  });

  await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS));
  const { kid } = await issuer.rotateKeys();
  const rotated = await tokenClient(issuer, soc).getToken();
  r = await call('/v1/alerts', { bearer: rotated });
  steps.check(`Rotate the issuer's key (new kid ${kid}) and call with a new token`, {
    curl: curl('/v1/alerts', 'NEW_TOKEN'),
    actual: `${r.status}`,
    expected: '200',
    detail: `the unknown kid made bearerguard refresh the JWKS once (cooldown ${COOLDOWN_MS} ms here, 30 s by default)`,
  });
  r = await call('/v1/alerts', { bearer: token });
  steps.check('The token signed by the previous key still works (key kept in the JWKS)', {
    actual: `${r.status}`,
    expected: '200',
  });

  await abuseBurst(steps, api, call, token);

  console.log(`\n${bold('Events the API emitted')} (no token in them, only a fingerprint):`);
  for (const e of events.splice(0)) {
    const detail = e.token
      ? ` token=${e.token.fingerprint} sub=${e.token.sub ?? '-'}`
      : e.source
        ? ` source=${e.source} count=${e.count} blockedUntil=${e.blockedUntil}`
        : e.keyCount !== undefined
          ? ` keys=${e.keyCount}`
          : '';
    console.log(`  ${e.time} ${e.type.padEnd(20)} ${e.reason ?? ''}${detail}`);
  }
}

const ATTACKER = '203.0.113.66';

// A burst of forged tokens from one client: the abuse monitor (threshold 5 in 60 s, block 30 s)
// raises abuse.suspected, then answers that client 429 before any signature work.
async function abuseBurst(steps, api, call, token) {
  const [h, p] = token.split('.');
  const statuses = [];
  for (let i = 0; i < 5; i++) {
    const forged = `${h}.${p}.${Buffer.from(`forged-signature-${i}`).toString('base64url')}`;
    statuses.push((await call('/v1/alerts', { bearer: forged, from: ATTACKER })).status);
  }
  const suspicion = api.events.find((e) => e.type === 'abuse.suspected');
  steps.check(`A burst of 5 forged tokens from ${ATTACKER}`, {
    curl: `for i in 1 2 3 4 5; do curl -s -H "X-Forwarded-For: ${ATTACKER}" -H "Authorization: Bearer $FORGED" ${api.url}/v1/alerts; done`,
    actual: `${statuses.join(' ')}; abuse.suspected ${suspicion ? `raised (${suspicion.count} attempts: ${JSON.stringify(suspicion.reasons)})` : 'not raised'}`,
    expected: `401 401 401 401 401; abuse.suspected raised (5 attempts: {"signature_invalid":5})`,
  });
  const blocked = await call('/v1/alerts', { bearer: token, from: ATTACKER });
  steps.check(`The same client, now with a valid token, is blocked`, {
    curl: `curl -s -H "X-Forwarded-For: ${ATTACKER}" -H "Authorization: Bearer $TOKEN" ${api.url}/v1/alerts`,
    actual: `${blocked.status} ${blocked.reason} Retry-After: ${blocked.retryAfter}`,
    expected: '429 rate_limited Retry-After: 30',
  });
  const other = await call('/v1/alerts', { bearer: token });
  steps.check('Other clients are not affected', { actual: `${other.status}`, expected: '200' });
}

async function main() {
  const serve = process.argv.includes('--serve');
  const issuer = await startDevIssuer({ clients: CLIENTS, audience: AUDIENCE });
  const logLines = [];
  const monitoring = createMonitoring({
    destination: new Writable({
      write: (chunk, _encoding, done) => done(logLines.push(String(chunk).trim()) && undefined),
    }),
  });
  // Each API has its own verifier, events and abuse monitor, and trusts X-Forwarded-For from
  // loopback (where the demo's "attacker" pretends to come from).
  const options = (events) => ({
    issuer: issuer.issuer,
    audience: AUDIENCE,
    // An unknown kid refreshes the JWKS at most once per cooldown (30 s by default); the demo
    // shortens it so that the rotation step need not wait.
    jwks: { cooldownMs: COOLDOWN_MS },
    abuse: createAbuseMonitor({ threshold: 5, windowSeconds: 60, blockSeconds: 30 }),
    onEvent: (e) => {
      monitoring.onEvent(e);
      if (e.type !== 'token.verified') events.push(e);
    },
  });
  const expressEvents = [];
  const expressApp = expressAlerts(options(expressEvents)).set('trust proxy', 'loopback');
  const koaEvents = [];
  const koaApp = koaAlerts(options(koaEvents));
  koaApp.proxy = true;
  const apis = [
    { name: 'Express alerts API', events: expressEvents, ...(await listen(expressApp)) },
    { name: 'Koa alerts API', events: koaEvents, ...(await listen(koaApp.callback())) },
  ];
  console.log(`${bold('bearerguard demo')}: dev issuer at ${issuer.issuer}`);

  if (serve) return printServe(issuer, apis);

  const steps = new Steps();
  for (const api of apis) await walk(steps, issuer, api, api.name, api.events);
  await printMonitoring(logLines, monitoring.registry);
  for (const api of apis) api.server.close();
  await issuer.close();

  console.log(
    steps.failures === 0
      ? `\n${bold(`All ${steps.count} steps behaved as expected.`)}`
      : `\n${bold(`${steps.failures} of ${steps.count} steps did not behave as expected.`)}`,
  );
  process.exitCode = steps.failures === 0 ? 0 : 1;
}

async function printMonitoring(logLines, registry) {
  console.log(`\n${bold('A log line')} (examples/operators: pino, one JSON object per event):`);
  console.log(`  ${logLines.find((line) => line.includes('"abuse.suspected"'))}`);
  console.log(
    `\n${bold('Prometheus counters')} (prom-client, GET /metrics in examples/operators):`,
  );
  const metric = await registry.getSingleMetric('bearerguard_events_total').get();
  for (const { labels, value } of metric.values) {
    console.log(
      `  bearerguard_events_total{type="${labels.type}",reason="${labels.reason}"} ${value}`,
    );
  }
}

function printServe(issuer, apis) {
  const [soc] = CLIENTS;
  const express = apis[0].url;
  console.log('\nServers are running; press Ctrl+C to stop. Try:\n');
  console.log(`  ${curlToken(issuer, soc)}`);
  console.log(`  export BEARERGUARD_CLIENT_SECRET=${soc.clientSecret}`);
  console.log(
    `  TOKEN=$(npx bearerguard token --issuer ${issuer.issuer} --client-id ${soc.clientId} --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
  );
  for (const api of apis) {
    console.log(
      `  curl -i -H "Authorization: Bearer $TOKEN" ${api.url}/v1/alerts      # ${api.name}`,
    );
    console.log(
      `  curl -i -X POST -H "Authorization: Bearer $TOKEN" ${api.url}/v1/playbooks/isolate-host/run`,
    );
  }
  console.log(`  curl -i ${express}/v1/alerts                                   # no token: 401`);
  console.log(`  npx bearerguard inspect $TOKEN`);
  console.log(
    `  npx bearerguard verify $TOKEN --issuer ${issuer.issuer} --audience ${AUDIENCE} --scope alerts:read`,
  );
  console.log(
    `  ISSUER=${issuer.issuer} API=${express} CLIENT_ID=${soc.clientId} node examples/automation/triage.mjs`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
