// The Express alerts API with logs and metrics: GET /metrics serves the Prometheus counters.
// ISSUER and AUDIENCE name the authorization server.
import { createAbuseMonitor } from '@bearerguard/core';
import { createAlertsApp } from '@bearerguard/example-express-alerts';
import { createMonitoring } from './monitoring.mjs';

const { ISSUER, AUDIENCE, PORT = '3002' } = process.env;
if (!ISSUER || !AUDIENCE) {
  console.error('Set ISSUER and AUDIENCE (and optionally PORT).');
  process.exit(2);
}
const { onEvent, registry } = createMonitoring();
const abuse = createAbuseMonitor({ threshold: 20, windowSeconds: 60, blockSeconds: 300 });
const app = createAlertsApp({ issuer: ISSUER, audience: AUDIENCE, onEvent, abuse });
app.get('/metrics', async (_req, res) => {
  res.type(registry.contentType).send(await registry.metrics());
});
app.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`alerts API with monitoring on http://127.0.0.1:${PORT} (metrics at /metrics)`);
});
