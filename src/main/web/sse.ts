// GET /api/events: the contract's pushed events (src/shared/contract.ts) as server-sent events, one
// `event: <name>` + `data: <json>` per event. A stream that stops reading is dropped once a bounded
// backlog is queued for it (the browser's EventSource reconnects by itself), never buffered forever;
// a heartbeat comment keeps idle connections open and finds the dead ones.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.ts';
import type { StationApp } from '../app/station-app.ts';
import { isEventName } from '../../shared/contract.ts';
import { SECURITY_HEADERS } from './responses.ts';

const HEARTBEAT_MS = 15_000;
const MAX_SSE_BACKLOG_BYTES = 1024 * 1024;

export class EventStreams {
  private readonly streams = new Set<ServerResponse>();

  constructor(
    private readonly app: StationApp,
    private readonly log: Logger,
  ) {}

  /** Streams open now (diagnostics; tests check disconnects are cleaned up). */
  get size(): number {
    return this.streams.size;
  }

  open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
    });
    // The browser's EventSource reconnects by itself; tell it not to wait long.
    res.write('retry: 2000\n\n');
    this.streams.add(res);
    const write = (chunk: string) => {
      if (res.writableLength > MAX_SSE_BACKLOG_BYTES) {
        this.log.warn('Web host: an event stream stopped reading; dropping it (the browser reconnects)');
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = this.app.onEvent((name, payload) => {
      if (!isEventName(name)) return;
      write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    // Proxies and idle timers close silent connections; a comment line keeps it open and detects the dead.
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  /** An event stream never ends by itself: each is ended with its socket, so the server's close need not wait. */
  closeAll(): void {
    for (const res of this.streams) res.end(() => res.socket?.destroy());
    this.streams.clear();
  }
}
