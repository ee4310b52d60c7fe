// The servers of the HTTP scenario: the same protected route, GET /v1/alerts answering a small
// JSON, behind each contender. Every protected one checks RS256, issuer, audience and exp
// against the same JWKS, but for the floor (signature and exp only: the least any check does).
// Modules are imported lazily, so that a server loads only its own.

export const ROUTE = '/v1/alerts';
const ALERTS = { alerts: [{ id: 'a-1', severity: 'high', title: 'Disk almost full' }] };
const ALG = 'RS256';

// express-jwt's and koa-jwt's documented jwks-rsa setup.
async function jwksRsaSecret(kind, jwksUri) {
  const { default: jwksRsa } = await import('jwks-rsa');
  const options = { jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 5 };
  return kind === 'koa' ? jwksRsa.koaJwtSecret(options) : jwksRsa.expressJwtSecret(options);
}

// The node:crypto floor as middleware: the key comes from the same JWKS, fetched once at start.
async function floorCheck({ jwksUri }) {
  const { createPublicKey } = await import('node:crypto');
  const { floorVerifier } = await import('../floor.mjs');
  const { keys } = await (await fetch(jwksUri)).json();
  const verify = floorVerifier(ALG, createPublicKey({ key: keys[0], format: 'jwk' }));
  return (authorization) => {
    if (!authorization?.startsWith('Bearer ')) return undefined;
    try {
      return verify(authorization.slice(7));
    } catch {
      return undefined;
    }
  };
}

const unauthorized = () => Object.assign(new Error('unauthorized'), { status: 401, expose: true });

const bearerguardOptions = ({ issuer, audience, jwksUri }) => ({
  issuer,
  audience,
  jwksUri,
  algorithms: [ALG],
});

async function expressApp(guard) {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  if (guard) app.use(guard);
  app.get(ROUTE, (_req, res) => {
    res.json(ALERTS);
  });
  // The same small error answer for every contender, without Express's stack-trace logging.
  app.use((err, _req, res, _next) => {
    res.status(err.status ?? err.statusCode ?? 500).json({ error: err.code ?? 'error' });
  });
  return app;
}

async function koaApp(guard) {
  const { default: Koa } = await import('koa');
  const app = new Koa();
  app.silent = true;
  if (guard) app.use(guard);
  app.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === ROUTE) ctx.body = ALERTS;
  });
  return app.callback();
}

/** Server factories by contender name; each resolves to a request listener for node:http. */
export const HTTP_APPS = {
  'express bare': () => expressApp(),
  'express node:crypto floor': async (cfg) => {
    const check = await floorCheck(cfg);
    return expressApp((req, _res, next) => {
      req.auth = check(req.headers.authorization);
      next(req.auth ? undefined : unauthorized());
    });
  },
  'express requireBearer': async (cfg) => {
    const { requireBearer } = await import('@bearerguard/express');
    return expressApp(requireBearer(bearerguardOptions(cfg)));
  },
  // The same, with signatures checked on the thread pool, so that the second core verifies.
  'express requireBearer (offload)': async (cfg) => {
    const { requireBearer } = await import('@bearerguard/express');
    return expressApp(requireBearer({ ...bearerguardOptions(cfg), offloadSignatures: true }));
  },
  'express-jwt + jwks-rsa': async ({ issuer, audience, jwksUri }) => {
    const { expressjwt } = await import('express-jwt');
    const secret = await jwksRsaSecret('express', jwksUri);
    return expressApp(expressjwt({ secret, issuer, audience, algorithms: [ALG] }));
  },
  'express-oauth2-jwt-bearer': async ({ issuer, audience, jwksUri }) => {
    const { auth } = await import('express-oauth2-jwt-bearer');
    return expressApp(auth({ issuer, audience, jwksUri, tokenSigningAlg: ALG }));
  },
  'koa bare': () => koaApp(),
  'koa node:crypto floor': async (cfg) => {
    const check = await floorCheck(cfg);
    return koaApp(async (ctx, next) => {
      ctx.state.auth = check(ctx.headers.authorization);
      if (!ctx.state.auth) throw unauthorized();
      await next();
    });
  },
  'koa requireBearer': async (cfg) => {
    const { requireBearer } = await import('@bearerguard/koa');
    return koaApp(requireBearer(bearerguardOptions(cfg)));
  },
  'koa requireBearer (offload)': async (cfg) => {
    const { requireBearer } = await import('@bearerguard/koa');
    return koaApp(requireBearer({ ...bearerguardOptions(cfg), offloadSignatures: true }));
  },
  'koa-jwt + jwks-rsa': async ({ issuer, audience, jwksUri }) => {
    const { default: koaJwt } = await import('koa-jwt');
    const secret = await jwksRsaSecret('koa', jwksUri);
    return koaApp(koaJwt({ secret, issuer, audience, algorithms: [ALG] }));
  },
};

/** Scenario groups: each row's ratio is to its group's bare server. */
export const HTTP_GROUPS = [
  {
    framework: 'Express',
    bare: 'express bare',
    contenders: [
      'express bare',
      'express node:crypto floor',
      'express requireBearer',
      'express requireBearer (offload)',
      'express-jwt + jwks-rsa',
      'express-oauth2-jwt-bearer',
    ],
  },
  {
    framework: 'Koa',
    bare: 'koa bare',
    contenders: [
      'koa bare',
      'koa node:crypto floor',
      'koa requireBearer',
      'koa requireBearer (offload)',
      'koa-jwt + jwks-rsa',
    ],
  },
];
