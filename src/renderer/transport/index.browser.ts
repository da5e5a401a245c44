// The browser build's transport (vite.config.ts picks this file for `dist/renderer`): the StationApi
// over the browser host (src/main/web-host.ts). Commands go out as `POST /api/invoke/:name` with
// `{arg}` and come back as the command's Result; pushed events arrive over one EventSource on
// `/api/events`. The session cookie set by the printed link authenticates both. The Electron build
// never contains this file: there the page is on file://, where nothing would answer a fetch.
//
// DOM APIs only: this file runs in the page.
import {
  EVENT_NAMES,
  isCommandName,
  isEventName,
  type CommandName,
  type Result,
  type StationApi,
} from '../../shared/contract.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { EventListeners } from '../../shared/event-listeners.ts';

const UNREACHABLE_MESSAGE =
  'Нет связи с кассовой станцией. Проверьте, что программа станции запущена, и повторите действие.';
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

/** The station behind the page's own origin. Same signature as index.electron.ts's. */
export function connectStation(): StationApi {
  const listeners = new EventListeners();
  let source: EventSource | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let reconnectDelay = RECONNECT_MIN_MS;
  let everOpened = false;

  async function invoke(name: CommandName, ...rest: unknown[]): Promise<Result<unknown>> {
    if (!isCommandName(name)) return failure('unknown_command', `Unknown command ${String(name)}.`);
    let response: Response;
    try {
      response = await fetch(`/api/invoke/${encodeURIComponent(name)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        // `undefined` drops out of JSON: a command without an argument sends {}.
        body: JSON.stringify({ arg: rest[0] }),
      });
    } catch {
      return failure('host_unreachable', UNREACHABLE_MESSAGE);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      // Cut off mid-answer, or something other than the station answered.
      return failure('host_unreachable', UNREACHABLE_MESSAGE);
    }
    if (isResult(body)) return body;
    return failure('host_error', `The station answered HTTP ${response.status} without a result.`);
  }

  function connect(): void {
    const es = new EventSource('/api/events');
    source = es;
    for (const name of EVENT_NAMES) {
      es.addEventListener(name, (e) => {
        if (!isEventName(name)) return;
        let payload: unknown;
        try {
          payload = JSON.parse(String((e as MessageEvent).data));
        } catch {
          return;
        }
        listeners.dispatch(name, payload);
      });
    }
    es.addEventListener('open', () => {
      reconnectDelay = RECONNECT_MIN_MS;
      // Events pushed while we were away are lost: catch the status panel up with a fresh snapshot.
      if (everOpened && listeners.has('station.snapshot')) {
        void invoke('station.snapshot').then((r) => {
          if (r.ok) listeners.dispatch('station.snapshot', r.value);
        });
      }
      everOpened = true;
    });
    es.addEventListener('error', () => {
      // EventSource retries a dropped connection itself, but gives up for good (CLOSED) when the host
      // answers with an error, e.g. while it restarts: then we retry, backing off.
      if (es.readyState !== EventSource.CLOSED || source !== es) return;
      source = null;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        if (listeners.has()) connect();
      }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    });
  }

  function disconnectIfIdle(): void {
    if (listeners.has()) return;
    source?.close();
    source = null;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
  }

  return {
    host: 'browser',
    invoke: invoke as StationApi['invoke'],
    on(name, listener) {
      const unsubscribe = listeners.add(name, listener);
      if (!source && !reconnectTimer) connect();
      return () => {
        unsubscribe();
        disconnectIfIdle();
      };
    },
  };
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return true;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}
