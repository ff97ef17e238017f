// What the HTTP benchmarks share: running tasks with a bounded number in flight, and percentiles.

/** Runs `tasks` (functions returning promises) with at most `limit` in flight; results in order. */
export async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) { const i = next++; results[i] = await tasks[i](); }
  }));
  return results;
}

/** The `p` quantile (0–1) of `values`. */
export const percentile = (values, p) => { const s = [...values].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

/** `date` (YYYY-MM-DD) moved by `days`. */
export const addDays = (date, days) => { const d = new Date(`${date}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + days); return d.toISOString().slice(0, 10); };
