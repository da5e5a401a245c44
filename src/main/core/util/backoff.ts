// The delay before the next run of a worker whose last run made no progress (the OFD sync worker, the
// FN relay): it starts at `baseMs` and doubles with each such run, never over `maxMs`; a run that makes
// progress sets it back to 0 (the caller's rule of what progress is).
export function nextBackoffMs(currentMs: number, limits: { baseMs: number; maxMs: number }): number {
  return Math.min(currentMs ? currentMs * 2 : limits.baseMs, limits.maxMs);
}
