// The Electron preload: fills `window.station` (the StationApi of src/shared/contract.ts) over IPC and
// exposes nothing else. The page never sees ipcRenderer, IPC events or any channel but the contract's
// two: commands are checked against the allowlist here and again in the main process.
//
// The window is sandboxed, so this runs without a module loader: scripts/build.mjs bundles it (and the
// contract it imports) into one CommonJS file whose only require is `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isCommandName, isEventName,
  type CommandName, type EventName, type Result, type StationApi,
} from '../shared/contract.ts';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

// One IPC listener for every event; the IpcRendererEvent (which carries `sender`, i.e. ipcRenderer)
// stops here and only the payload reaches the page.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const listener of [...(listeners.get(name) ?? [])]) {
    try {
      listener(payload);
    } catch (e) {
      console.error(`station event listener for ${name} failed`, e);
    }
  }
});

async function invoke(name: CommandName, ...rest: unknown[]): Promise<Result<unknown>> {
  if (!isCommandName(name)) return { ok: false, error: { code: 'unknown_command', message: `Unknown command ${String(name)}.` } };
  try {
    return (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, rest[0])) as Result<unknown>;
  } catch (e) {
    // The main process answers with Results; a rejection means the IPC itself failed.
    return { ok: false, error: { code: 'host_unreachable', message: `Нет связи с кассовой станцией (${(e as Error).message}). Перезапустите программу.` } };
  }
}

const station: StationApi = {
  host: 'electron',
  invoke: invoke as StationApi['invoke'],
  on(name, listener) {
    if (!isEventName(name)) throw new Error(`Unknown event ${String(name)}.`);
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry = (payload: unknown) => listener(payload as never);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('station', station);
