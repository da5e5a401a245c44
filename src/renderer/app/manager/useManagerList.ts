// A list in the manager area (dead letters, never-printed receipts, the catalogue search): fetched when
// `fetch` changes (a new PIN or query) and whenever `changed` does (the snapshot's count of that kind),
// so what the manager sees follows the station without polling. A refused fetch goes to `fail` (the
// panel's command error). ManagerList shows what it fetched.
import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../../shared/contract.ts';
import type { CommandError } from '../../../shared/errors.ts';

export function useManagerList<T>(
  fetch: () => Promise<Result<T[]>>,
  fail: (e: CommandError) => void,
  changed: unknown,
): { items: T[] | null; reload: () => Promise<void> } {
  const [items, setItems] = useState<T[] | null>(null);
  const reload = useCallback(async () => {
    const r = await fetch();
    if (r.ok) setItems(r.value);
    else fail(r.error);
  }, [fetch, fail]);
  useEffect(() => {
    void reload();
  }, [reload, changed]);
  return { items, reload };
}
