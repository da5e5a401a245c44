// How the browser host's server stops (SIGTERM of `npm run web`): at once, and without losing an answer.
// An open page holds connections that never end by themselves: its event stream (ended by sse.ts's
// closeAll), idle keep-alive sockets, and — the one server.close() alone waited for — the keep-alive
// socket of a request that was in flight, which stayed open after its answer until the client went
// quiet, and on which the page's EventSource reconnected. So once the stop begins:
//   - a request in flight (a sale being printed) is answered, with `Connection: close`, and its
//     connection ends with the answer; only these requests get the grace period;
//   - idle connections are closed now;
//   - a request arriving after that on a connection still open is refused (`stopping()`; the host answers
//     503 `stopping`, the page says «Касса завершает работу») and its connection closed.
// After the grace whatever still runs is cut (a KKT that never answers must not keep a till from stopping).
import type { Server, ServerResponse } from 'node:http';

export interface GracefulClose {
  /** True once close() was called: a new request is answered 503 and its connection closed. */
  stopping(): boolean;
  /** Stops listening; resolves when every connection is gone. */
  close(): Promise<void>;
}

/** Tracks `server`'s requests from now on; close() lets those in flight answer for up to `graceMs`. */
export function gracefulClose(server: Server, graceMs: number): GracefulClose {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;

  /** The answer tells the client not to reuse the connection, and the connection ends with it. */
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Node detaches the socket from the response before our 'finish' listener runs: keep it now.
    const socket = res.socket;
    res.once('finish', () => socket?.end());
  };

  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) lastOnItsConnection(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  let closed: Promise<void> | null = null;
  return {
    stopping: () => stopping,
    close() {
      closed ??= new Promise<void>((resolve) => {
        stopping = true;
        for (const res of inFlight) lastOnItsConnection(res);
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
