import {
  BearerError,
  REASONS,
  formatBearerChallenge,
  toHttpRefusal,
  type ReasonCode,
} from '../src';

describe('BearerError', () => {
  it.each(Object.keys(REASONS) as ReasonCode[])(
    'maps %s to its status and RFC 6750 code',
    (code) => {
      const err = new BearerError(code, { scope: ['alerts:read'], retryAfter: 30 });
      expect(err.status).toBe(REASONS[code].status);
      expect(err.statusCode).toBe(REASONS[code].status);
      expect(err.error).toBe(REASONS[code].error);
      expect(err.expose).toBe(REASONS[code].status < 500);
    },
  );

  it('challenges a missing token with the realm alone', () => {
    expect(new BearerError('missing_token').headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="api"',
    });
  });

  it('names the error, its description and the needed scope', () => {
    const err = new BearerError('insufficient_scope', { scope: ['alerts:read', 'x:y'] });
    expect(err.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The token does not carry the required scope", scope="alerts:read x:y"',
    );
  });

  it('answers 503 without a challenge and 429 with Retry-After', () => {
    expect(new BearerError('key_source_unavailable').headers).toEqual({});
    expect(new BearerError('rate_limited', { retryAfter: 12 }).headers).toEqual({
      'Retry-After': '12',
    });
  });

  it('gives adapters one JSON answer', () => {
    expect(toHttpRefusal(new BearerError('token_expired'))).toEqual({
      status: 401,
      headers: {
        'WWW-Authenticate':
          'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
      },
      body: {
        error: 'invalid_token',
        error_description: 'The token has expired',
        reason: 'token_expired',
      },
    });
    expect(toHttpRefusal(new Error('x'))).toBeUndefined();
  });

  it('is recognised across copies of the package', () => {
    const foreign = Object.create({ [Symbol.for('bearerguard.BearerError')]: true });
    expect(foreign instanceof BearerError).toBe(true);
    expect(new Error('x') instanceof BearerError).toBe(false);
  });
});

describe('formatBearerChallenge', () => {
  it('drops characters that cannot appear in a quoted string', () => {
    expect(
      formatBearerChallenge({
        realm: 'a"b\\c',
        error: 'x\r\ny',
        errorDescription: 'é"',
        scope: ['a"b'],
      }),
    ).toBe('Bearer realm="abc", error="xy", scope="ab"');
  });
});
