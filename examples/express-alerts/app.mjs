import express from 'express';
import { bearerErrorHandler, requireBearer, requireScopes } from '@bearerguard/express';
import { alerts, runPlaybook } from './alerts.mjs';

/**
 * The alerts API: `GET /v1/alerts` needs `alerts:read`, `POST /v1/playbooks/:id/run` needs
 * `playbooks:run`. `options` are bearerguard's verifier options (issuer, audience, ...).
 */
export function createAlertsApp(options) {
  const app = express();
  app.get('/health', (_req, res) => res.json({ ok: true }));

  app.use('/v1', requireBearer(options));
  app.get('/v1/alerts', requireScopes('alerts:read'), (_req, res) => {
    res.json({ alerts });
  });
  app.post('/v1/playbooks/:id/run', requireScopes('playbooks:run'), (req, res) => {
    const run = runPlaybook(req.params.id, req.auth);
    if (!run) return res.status(404).json({ error: 'unknown_playbook' });
    res.status(202).json(run);
  });

  app.use(bearerErrorHandler());
  return app;
}
