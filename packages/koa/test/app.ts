// The Koa app the adapter tests (and the parity test) run against; not a test file itself.
import Koa, { type Middleware } from 'koa';
import Router from '@koa/router';
import { bearerErrorHandler, requireAnyScope, requireScopes, type BearerState } from '../src';

export interface KoaAppOptions {
  /** Answer refusals with the JSON responder. */
  json?: boolean;
  /** Put an app error handler before it, answering 500 `{ handledBy: 'app', message }`. */
  appHandler?: boolean;
  proxy?: boolean;
  /** Sees each request's raw headers before `requireBearer`. */
  seen?: (rawHeaders: string[]) => void;
}

const echo: Middleware<BearerState> = (ctx) => {
  const { auth } = ctx.state;
  ctx.body = { subject: auth?.subject ?? null, scopes: auth?.scopes ?? null };
};

const appHandler: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = 500;
    ctx.body = { handledBy: 'app', message: (err as Error).message };
  }
};

/** `bearer` on every route; `/alerts` needs `alerts:read`, `/admin` write or admin; `/boom` throws. */
export function koaApp(bearer: Middleware<BearerState>, options: KoaAppOptions = {}) {
  const app = new Koa<BearerState>({ proxy: options.proxy === true });
  // A 503 is not exposed, so Koa would log it to stderr.
  app.silent = true;
  const router = new Router<BearerState>();
  router.get('/me', echo);
  router.get('/alerts', requireScopes('alerts:read'), echo);
  router.get('/admin', requireAnyScope('alerts:write', 'alerts:admin'), echo);
  router.get('/boom', () => {
    throw new Error('boom');
  });
  if (options.appHandler) app.use(appHandler);
  if (options.json) app.use(bearerErrorHandler());
  if (options.seen) app.use((ctx, next) => (options.seen?.(ctx.req.rawHeaders), next()));
  app.use(bearer);
  app.use(router.routes());
  return app;
}
