// Printing and checking demo steps.
const tty = process.stdout.isTTY;
const paint = (code, text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = (t) => paint(1, t);
export const dim = (t) => paint(2, t);
const green = (t) => paint(32, t);
const red = (t) => paint(31, t);

/** Shortens a token for display: the demo never prints a whole token. */
export const short = (token) => `${token.slice(0, 12)}…${token.slice(-6)}`;

export class Steps {
  failures = 0;
  count = 0;

  section(title) {
    console.log(`\n${bold(title)}`);
  }

  /** Prints a step and its curl equivalent, then checks that `actual` equals `expected`. */
  check(title, { curl, actual, expected, detail }) {
    this.count += 1;
    const ok = actual === expected;
    if (!ok) this.failures += 1;
    console.log(`${ok ? green('✓') : red('✗')} ${this.count}. ${title}`);
    if (curl) console.log(dim(`    $ ${curl}`));
    console.log(`    → ${actual}${ok ? '' : red(`  (expected ${expected})`)}`);
    if (detail) console.log(dim(`    ${detail}`));
  }
}

/** A compact view of a response: status, and the challenge if there is one. */
export async function describe(res) {
  const challenge = res.headers.get('www-authenticate');
  const body = await res.text();
  let reason = '';
  try {
    reason = JSON.parse(body).reason ?? '';
  } catch {
    // Not JSON: nothing more to show.
  }
  return { status: res.status, challenge, reason, retryAfter: res.headers.get('retry-after') };
}
