// The Express app the adapter tests (and the parity test) run against; not a test file itself.
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { bearerErrorHandler, requireAnyScope, requireScopes } from '../src';

export interface ExpressAppOptions {
  /** Answer refusals with the JSON responder. */
  json?: boolean;
  /** Add an app error handler after it, answering 500 `{ handledBy: 'app', message }`. */
  appHandler?: boolean;
  trustProxy?: boolean;
  /** Sees each request before `requireBearer`. */
  seen?: (req: Request) => void;
}

function echo(req: Request, res: Response): void {
  res.json({ subject: req.auth?.subject ?? null, scopes: req.auth?.scopes ?? null });
}

/** `bearer` on every route; `/alerts` needs `alerts:read`, `/admin` write or admin; `/boom` throws. */
export function expressApp(bearer: RequestHandler, options: ExpressAppOptions = {}) {
  const app = express();
  if (options.trustProxy) app.set('trust proxy', true);
  if (options.seen) app.use((req, _res, next) => (options.seen?.(req), next()));
  app.use(bearer);
  app.get('/me', echo);
  app.get('/alerts', requireScopes('alerts:read'), echo);
  app.get('/admin', requireAnyScope('alerts:write', 'alerts:admin'), echo);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  if (options.json) app.use(bearerErrorHandler());
  if (options.appHandler) {
    app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ handledBy: 'app', message: err.message });
    });
  }
  return app;
}
