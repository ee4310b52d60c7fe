// Summaries of repeated measurements: the median and the range over rounds.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, rounds }` of a list of numbers, or undefined for an empty one. */
export function summarize(values) {
  if (values.length === 0) return undefined;
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    rounds: values,
  };
}

/** The ratio of two medians, and the range of `summary` over the baseline's median. */
export function ratioTo(summary, baseline) {
  if (!summary || !baseline || baseline.median === 0) return undefined;
  return {
    median: summary.median / baseline.median,
    min: summary.min / baseline.median,
    max: summary.max / baseline.median,
  };
}

/**
 * Paired ratios: `values[i] / baselines[i]` for each round `i` where both were measured, summarized
 * as `{ median, min, max, rounds }`; undefined when no round has both.
 */
export function pairedRatio(values, baselines) {
  const ratios = values
    .map((value, i) => value / baselines[i])
    .filter((ratio) => Number.isFinite(ratio));
  return summarize(ratios);
}

/** Runs `task` over `items` with at most `limit` at once; resolves to the results, in order. */
export async function mapLimit(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
