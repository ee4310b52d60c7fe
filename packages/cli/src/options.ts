/** Commander's collector for a repeatable option: `--scope a --scope "b c"` gives a, b, c. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(' ').filter(Boolean)];
}

/** Commander's collector for a repeatable option taken whole: `--audience a --audience b`. */
export function append(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
