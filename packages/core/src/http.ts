import { BearerError, type BearerErrorBody } from './errors';

/** What an adapter answers for a refusal: status, headers and a JSON body. */
export interface HttpRefusal {
  status: number;
  headers: Record<string, string>;
  body: BearerErrorBody;
}

/**
 * The one mapping from a refusal to an HTTP answer, shared by every adapter so that Express and
 * Koa answer alike. Anything that is not a BearerError is not described: it becomes a bare 500.
 *
 * @example
 * const { status, headers, body } = toHttpRefusal(err);
 * res.status(status).set(headers).json(body);
 */
export function toHttpRefusal(err: unknown): HttpRefusal | undefined {
  if (!(err instanceof BearerError)) return undefined;
  return { status: err.status, headers: err.headers, body: err.toJSON() };
}
