import {
  bearerGuard,
  createVerifier,
  frameworkRequest,
  refuseMissingToken,
  rememberUnauthenticated,
  scopeList,
  type FrameworkRequest,
} from '../src';
import { accessClaims, generateKey, signToken } from './support/tokens';

const KEYS = { keys: [] };

describe('adapter support', () => {
  it('takes verifier options or a verifier, and the optional flag', () => {
    const fromOptions = bearerGuard({
      issuer: 'https://i',
      audience: 'a',
      keys: KEYS,
      optional: true,
    });
    expect(fromOptions.optional).toBe(true);
    expect(typeof fromOptions.verifier.authenticate).toBe('function');
    const verifier = createVerifier({ issuer: 'https://i', audience: 'a', keys: KEYS });
    expect(bearerGuard(verifier)).toEqual({ verifier, optional: false });
    expect(bearerGuard(verifier, { optional: true })).toEqual({ verifier, optional: true });
  });

  it('throws a TypeError for missing options', () => {
    expect(() => bearerGuard(undefined as never)).toThrow(TypeError);
    expect(() => bearerGuard({ issuer: 'https://i' } as never)).toThrow(TypeError);
  });

  it('refuses a misspelt or mistyped optional flag instead of ignoring it', () => {
    const verifier = createVerifier({ issuer: 'https://i', audience: 'a', keys: KEYS });
    expect(() => bearerGuard(verifier, { optinal: true } as never)).toThrow(
      'unknown requireBearer() option "optinal" (known: optional)',
    );
    expect(() => bearerGuard(verifier, { optional: 'yes' } as never)).toThrow(
      '"optional" must be true or false',
    );
    expect(() => bearerGuard(verifier, true as never)).toThrow('needs an options object');
    const options = { issuer: 'https://i', audience: 'a', keys: KEYS };
    expect(() => bearerGuard({ ...options, optional: 1 } as never)).toThrow(
      '"optional" must be true or false',
    );
    expect(() => bearerGuard(options, { optional: true })).toThrow('put "optional" in it');
  });

  it.each([[[]], [['']], [['alerts:read playbooks:run']], [['a"b']], [['é']]])(
    'refuses the scope list %j at start-up',
    (scopes) => {
      expect(() => scopeList(scopes, 'requireScopes')).toThrow(TypeError);
    },
  );

  it('accepts scope tokens', () => {
    expect(scopeList(['alerts:read', 'https://api.example.com/x.y'], 'requireScopes')).toEqual([
      'alerts:read',
      'https://api.example.com/x.y',
    ]);
  });

  it("answers a guard's missing token in the realm of the verifier that let it through", async () => {
    const verifier = createVerifier({
      issuer: 'https://i',
      audience: 'a',
      keys: KEYS,
      realm: 'alerts',
    });
    const request = {};
    rememberUnauthenticated(request, verifier, { headers: {} });
    await expect(refuseMissingToken(request)).rejects.toMatchObject({
      code: 'missing_token',
      headers: { 'WWW-Authenticate': 'Bearer realm="alerts"' },
    });
    await expect(refuseMissingToken({})).rejects.toMatchObject({
      code: 'missing_token',
      headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
    });
  });

  describe('frameworkRequest', () => {
    const key = generateKey('ES256');
    const verifier = createVerifier({
      issuer: 'https://i',
      audience: 'a',
      keys: { keys: [key.jwk] },
    });
    const token = signToken(
      { alg: 'ES256', typ: 'at+jwt', kid: key.kid },
      accessClaims('https://i', 'a'),
      key.privateKey,
    );

    // A framework request whose every detail but the headers throws when it is read.
    function untouchable(authorization: string): FrameworkRequest {
      const fail = (): never => {
        throw new Error('read');
      };
      return Object.create(null, {
        headers: { value: { authorization } },
        method: { get: fail },
        originalUrl: { get: fail },
        query: { get: fail },
        ip: { get: fail },
        body: { get: fail },
      }) as FrameworkRequest;
    }

    it('reads nothing but the headers of a request with a good token, with no listener', async () => {
      const authorization = `Bearer ${token}`;
      const request = frameworkRequest(untouchable(authorization), [
        'Authorization',
        authorization,
      ]);
      await expect(verifier.authenticate(request)).resolves.toMatchObject({ subject: 'client-1' });
      await expect(verifier.authenticate(request)).resolves.toMatchObject({ subject: 'client-1' });
    });

    it('gives the details events carry: the path without its query, a string request id', () => {
      const request = frameworkRequest(
        {
          headers: { 'x-request-id': 'r-1', 'user-agent': 'curl/8' },
          method: 'GET',
          originalUrl: '/v1/alerts?access_token=secret',
          query: { access_token: 'secret' },
          ip: '203.0.113.9',
          body: undefined,
        },
        [],
      );
      expect(request).toMatchObject({
        method: 'GET',
        path: '/v1/alerts',
        ip: '203.0.113.9',
        requestId: 'r-1',
        query: { access_token: 'secret' },
      });
      const repeated = frameworkRequest(
        {
          headers: { 'x-request-id': ['a', 'b'] },
          method: 'GET',
          originalUrl: '/',
          query: '',
          ip: undefined,
        },
        [],
      );
      expect(repeated.requestId).toBeUndefined();
      expect(repeated.query).toBeUndefined();
    });
  });
});
