import { bearerGuard, createVerifier, missingToken, rememberRealm, scopeList } from '../src';

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

  it("answers a guard's missing token in the realm of the verifier that let it through", () => {
    const request = {};
    rememberRealm(request, 'alerts');
    expect(missingToken(request).headers['WWW-Authenticate']).toBe('Bearer realm="alerts"');
    expect(missingToken({}).headers['WWW-Authenticate']).toBe('Bearer realm="api"');
  });
});
