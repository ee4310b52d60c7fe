import Koa from 'koa';
import Router from '@koa/router';
import { bearerErrorHandler, requireBearer, requireScopes } from '@bearerguard/koa';
import { alerts, runPlaybook } from '@bearerguard/example-express-alerts/alerts';

/**
 * The alerts API on Koa: `GET /v1/alerts` needs `alerts:read`, `POST /v1/playbooks/:id/run`
 * needs `playbooks:run`. `options` are bearerguard's verifier options (issuer, audience, ...).
 */
export function createAlertsApp(options) {
  const app = new Koa();
  const router = new Router({ prefix: '/v1' });
  router.get('/alerts', requireScopes('alerts:read'), (ctx) => {
    ctx.body = { alerts };
  });
  router.post('/playbooks/:id/run', requireScopes('playbooks:run'), (ctx) => {
    const run = runPlaybook(ctx.params.id, ctx.state.auth);
    ctx.status = run ? 202 : 404;
    ctx.body = run ?? { error: 'unknown_playbook' };
  });

  app.use(bearerErrorHandler());
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') ctx.body = { ok: true };
    else await next();
  });
  app.use(requireBearer(options));
  app.use(router.routes());
  return app;
}
