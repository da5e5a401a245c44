// One command a component sends and whose outcome it shows: `busy` while it runs, `error` for the
// failure to show, `run` to send it. Screens built the same three pieces by hand, once per form.
//
// Invariants: one command at a time per hook (a second `run` while one runs is ignored and answers
// null, so a double click never sends twice); a new run clears the last error; a failure becomes
// `error` unless `onFailure` takes it (it returns true: e.g. the manager screen signs out on a wrong
// PIN instead of showing it).
import { useCallback, useRef, useState } from 'react';
import type { Result } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';

export interface Command {
  busy: boolean;
  error: CommandError | null;
  /** Sends one command; null when another is still running. The caller acts on a success. */
  run<T>(send: () => Promise<Result<T>>): Promise<Result<T> | null>;
  /** Shows a failure that did not come from `run` (e.g. loading the data the form edits). */
  fail(error: CommandError): void;
  clearError(): void;
}

export function useCommand(onFailure?: (error: CommandError) => boolean): Command {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const running = useRef(false);
  const onFailureRef = useRef(onFailure);
  onFailureRef.current = onFailure;

  const fail = useCallback((e: CommandError) => {
    if (!onFailureRef.current?.(e)) setError(e);
  }, []);

  const run = useCallback(
    async <T>(send: () => Promise<Result<T>>): Promise<Result<T> | null> => {
      if (running.current) return null;
      running.current = true;
      setBusy(true);
      setError(null);
      let r: Result<T>;
      try {
        r = await send();
      } finally {
        running.current = false;
        setBusy(false);
      }
      if (!r.ok) fail(r.error);
      return r;
    },
    [fail],
  );

  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, fail, clearError };
}
