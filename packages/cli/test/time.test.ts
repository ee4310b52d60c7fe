import { describeExpiry, describeIssued, describeNotBefore, humanTime } from '../src/time';

const NOW = 1_800_000_000;

describe('human times', () => {
  it.each([
    [NOW + 12 * 60 + 30, 'expires in 12 min'],
    [NOW + 45, 'expires in 45 s'],
    [NOW + 5 * 3600, 'expires in 5 h'],
    [NOW + 3 * 86400, 'expires in 3 d'],
    [NOW, 'expired 0 s ago'],
    [NOW - 3 * 3600 - 59, 'expired 3 h ago'],
    [NOW - 90, 'expired 1 min ago'],
  ])('describes exp %i as "%s"', (exp, text) => {
    expect(describeExpiry(exp, NOW)).toBe(text);
  });

  it('describes iat and nbf', () => {
    expect(describeIssued(NOW - 120, NOW)).toBe('issued 2 min ago');
    expect(describeIssued(NOW + 600, NOW)).toBe('issued 10 min in the future');
    expect(describeNotBefore(NOW + 300, NOW)).toBe('not valid for another 5 min');
    expect(describeNotBefore(NOW - 300, NOW)).toBe('valid since 5 min ago');
  });

  it('gives the UTC date with the relative time, and nothing for a non-date', () => {
    expect(humanTime('exp', NOW + 60, NOW * 1000)).toEqual({
      date: '2027-01-15T08:01:00Z',
      relative: 'expires in 1 min',
    });
    expect(humanTime('exp', '1800000000', NOW * 1000)).toBeUndefined();
    expect(humanTime('exp', 1e300, NOW * 1000)).toBeUndefined();
  });
});
