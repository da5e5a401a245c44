// The one way a test waits for something asynchronous: poll a condition until it holds, and fail after a
// deadline with a message naming what never happened. Tests wait for a condition, never for a fixed time:
// a fixed sleep is too short on a loaded machine (flaky) and too long everywhere else (slow).
// A check that throws ends the wait at once with its error: "the process died" must not wait out the deadline.

export interface WaitOptions {
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** Appended to the failure message: what the test saw instead (a child's output, a snapshot...). */
  detail?: () => string;
}

/** Resolves once `check` answers true; rejects with "Timed out waiting for <what>" after the deadline. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: number | WaitOptions = {},
): Promise<void> {
  const {
    timeoutMs = 10_000,
    intervalMs = 20,
    detail,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what} (${timeoutMs} ms)${detail ? `:\n${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
