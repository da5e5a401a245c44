// The one StationApi the renderer talks through: `#transport` is the build's own (vite.config.ts), the
// preload's IPC in the Electron build, the browser host's HTTP + SSE in the browser build. Events are
// subscribed to BEFORE the first snapshot is fetched, so nothing pushed in between is lost; a fetched
// snapshot older than a pushed one is ignored.
import { connectStation } from '#transport';
import type { CommandArg, CommandName, CommandResult, Result, StationApi } from '../../shared/contract.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { acceptSnapshot, mergeJournal, useStation } from './store.ts';

let api: StationApi | null = null;

/** The transport; throws TransportUnavailableError when the page has none (a failed preload). */
export function station(): StationApi {
  api ??= connectStation();
  return api;
}

/** Invokes a command; a transport that throws (it should not) becomes an error result. */
export async function call<K extends CommandName>(
  name: K,
  ...arg: CommandArg<K> extends void ? [] : [CommandArg<K>]
): Promise<Result<CommandResult<K>>> {
  try {
    return await station().invoke(name, ...arg);
  } catch (e) {
    return {
      ok: false,
      error: { code: 'transport_error', message: e instanceof Error ? e.message : String(e) },
    };
  }
}

/** Asks for a fresh snapshot now (after a command that changes what it says, e.g. managerPinSet). */
export async function refreshSnapshot(): Promise<void> {
  const r = await call('station.snapshot');
  if (r.ok) acceptSnapshot(r.value);
}

let started = false;

export function startStation(): void {
  if (started) return;
  started = true;
  const s = station();
  s.on('station.snapshot', (snapshot) => acceptSnapshot(snapshot));
  s.on('sync.progress', (progress) => useStation.setState({ syncProgress: progress }));
  s.on('journal.entry', (entry) => mergeJournal([entry]));

  const fetchSnapshot = async (): Promise<void> => {
    const r = await call('station.snapshot');
    if (r.ok) {
      acceptSnapshot(r.value);
      return;
    }
    if (!useStation.getState().snapshot) useStation.setState({ connectError: r.error.message });
    setTimeout(() => void fetchSnapshot(), 3000);
  };
  void fetchSnapshot();
  void call('journal.recent', { limit: 200 }).then((r) => {
    if (r.ok) mergeJournal(r.value);
  });

  setInterval(() => useStation.setState({ now: Date.now() }), 15_000);
  // Snapshots are pushed only on change, so silence proves nothing: ask now and then, so the chip
  // says "no connection to the station" instead of the last "Online" when the station is gone.
  setInterval(() => {
    void call('station.snapshot').then((r) => {
      if (r.ok) acceptSnapshot(r.value);
      useStation.setState({ hostLost: !r.ok && HOST_LOST_CODES.has(r.error.code) });
    });
  }, HOST_PROBE_MS);
}

const HOST_PROBE_MS = 5_000;
const HOST_LOST_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'host_unreachable',
  'transport_error',
  'unauthorized',
]);
