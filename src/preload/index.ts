// The Electron preload: fills `window.station` (the StationApi of src/shared/contract.ts) over IPC and
// exposes nothing else. The page never sees ipcRenderer, IPC events or any channel but the contract's
// two: commands are checked against the allowlist here and again in the main process.
//
// The window is sandboxed, so this runs without a module loader: scripts/build.mjs bundles it (and the
// contract it imports) into one CommonJS file whose only require is `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isCommandName,
  isEventName,
  type CommandName,
  type Result,
  type StationApi,
} from '../shared/contract.ts';
import { EventListeners } from '../shared/event-listeners.ts';

const listeners = new EventListeners();

// One IPC listener for every event; the IpcRendererEvent (which carries `sender`, i.e. ipcRenderer)
// stops here and only the payload reaches the page.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (isEventName(name)) listeners.dispatch(name, payload);
});

async function invoke(name: CommandName, ...rest: unknown[]): Promise<Result<unknown>> {
  if (!isCommandName(name))
    return { ok: false, error: { code: 'unknown_command', message: `Unknown command ${String(name)}.` } };
  try {
    return (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, rest[0])) as Result<unknown>;
  } catch (e) {
    // The main process answers with Results; a rejection means the IPC itself failed.
    return {
      ok: false,
      error: {
        code: 'host_unreachable',
        message: `Нет связи с кассовой станцией (${(e as Error).message}). Перезапустите программу.`,
      },
    };
  }
}

const station: StationApi = {
  host: 'electron',
  invoke: invoke as StationApi['invoke'],
  on: (name, listener) => listeners.add(name, listener),
};

contextBridge.exposeInMainWorld('station', station);
