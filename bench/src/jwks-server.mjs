// A JWKS on loopback that counts what it serves: GET /<alg>/jwks.json answers the key of that
// algorithm. Requests are counted by their whole URL, so a contender that is given its own
// `?for=<name>` is counted apart from the others, background refreshes included.
import { createServer } from 'node:http';

/** Starts the server on 127.0.0.1 and a free port; `keys` maps an algorithm to its key. */
export async function startJwksServer(keys) {
  const counts = new Map();
  const server = createServer((req, res) => {
    const alg = /^\/([\w-]+)\/jwks\.json(\?|$)/.exec(req.url ?? '')?.[1];
    const key = alg && keys[alg];
    counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
    if (req.method !== 'GET' || !key) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
    res.end(JSON.stringify({ keys: [key.jwk] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  return {
    issuer,
    jwksUri: (alg, tag) => `${issuer}/${alg}/jwks.json${tag ? `?for=${tag}` : ''}`,
    /** Requests for `alg`'s JWKS made by `tag` since the last reset. */
    count: (alg, tag) => counts.get(`/${alg}/jwks.json${tag ? `?for=${tag}` : ''}`) ?? 0,
    reset: () => counts.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
