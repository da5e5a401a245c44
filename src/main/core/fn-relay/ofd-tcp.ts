// One FN message to the OFD server over plain TCP and its answer back (kkt-protocol.md §7.7, as the
// vendor's javapos does it): connect, send the message as it is, read the 30-byte session header, then
// the body length it announces, close. One message per connection. The bytes are relayed untouched:
// only the answer's session header is read, to know where the answer ends.
import { connect, type Socket } from 'node:net';
import {
  MAX_CONTAINER_LENGTH,
  SESSION_HEADER_LENGTH,
  sessionMessageLength,
} from '../../../shtrih-protocol/fn-exchange.ts';
import type { FnRelayFailureWhy } from '../../../shared/fn-relay-failure.ts';

export interface OfdServerAddress {
  host: string;
  port: number;
}

/**
 * A failed exchange: the OFD cannot be reached, did not answer in time, or answered something else.
 * The message is English for support and the log; `why` is the code the UI words (null: stopped by us).
 */
export class OfdExchangeError extends Error {
  override name = 'OfdExchangeError';
  constructor(
    message: string,
    readonly why: FnRelayFailureWhy | null,
  ) {
    super(message);
  }
}

/** `host:port` (a name, IPv4, or [IPv6]) → address; null with the reason when it is not one. */
export function parseOfdServer(value: string): OfdServerAddress | string {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?):(\d{1,5})$/.exec(
    value.trim(),
  );
  if (!m) return 'must be host:port, e.g. ofd.example.ru:7777 or 127.0.0.1:7777';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return 'the port must be from 1 to 65535';
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export function formatOfdServer(a: OfdServerAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** Sends `message`, resolves with the OFD's whole answer (session header + body); `signal` cuts it short. */
export function exchangeWithOfd(
  server: OfdServerAddress,
  message: Uint8Array,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const where = formatOfdServer(server);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let expected = SESSION_HEADER_LENGTH;
    let headerRead = false;
    let settled = false;
    const socket: Socket = connect({ host: server.host, port: server.port });
    const finish = (err: Error | null, answer?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new OfdExchangeError(`OFD ${where} did not answer within ${timeoutMs / 1000} s`, {
            code: 'ofd_timeout',
            params: { server: where, ms: timeoutMs },
          }),
        ),
      timeoutMs,
    );
    const onAbort = () => finish(new OfdExchangeError(`exchange with OFD ${where} stopped`, null));
    const badAnswer = { code: 'ofd_bad_answer', params: { server: where } } as const;
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(message));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (!headerRead && received >= SESSION_HEADER_LENGTH) {
        try {
          expected = sessionMessageLength(Buffer.concat(chunks).subarray(0, SESSION_HEADER_LENGTH));
        } catch (e) {
          finish(
            new OfdExchangeError(`OFD ${where} answered something else: ${(e as Error).message}`, badAnswer),
          );
          return;
        }
        headerRead = true;
      }
      if (headerRead && received >= expected) finish(null, Buffer.concat(chunks).subarray(0, expected));
      else if (received > SESSION_HEADER_LENGTH + MAX_CONTAINER_LENGTH)
        finish(new OfdExchangeError(`OFD ${where} sent more than a message can hold`, badAnswer));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ECONNREFUSED'
          ? 'connection refused'
          : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
            ? 'host not found'
            : e.code === 'ECONNRESET'
              ? 'connection reset'
              : e.message;
      finish(
        new OfdExchangeError(`OFD unreachable: ${why} (${where})`, {
          code: 'ofd_unreachable',
          params: { server: where, error: e.code ?? null },
        }),
      );
    });
    socket.on('close', () =>
      finish(
        new OfdExchangeError(
          `OFD ${where} closed the connection before its whole answer (${received} of ${expected} bytes)`,
          { code: 'ofd_closed_early', params: { server: where, received, expected } },
        ),
      ),
    );
  });
}
