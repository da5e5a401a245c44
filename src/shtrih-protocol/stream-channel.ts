// A ByteChannel over a Node byte stream: a serial port or a TCP socket carry the same frames, so one
// class serves the driver's serial and TCP channels (src/main/core/kkt/shtrih/) and the emulator's CLI.
// Only opening and closing differ; the opener passes the way to close its stream.
//
// Line settings (protocol v1.17 p.8): RS-232 or USB-CDC at 8N1 without flow control; network models
// listen on TCP port 7778 and send an extra 0xFF after an ACK, which the link layer skips.
//
// Losing the line (issue #8): when the device end goes away (the USB cable is pulled, socat or the
// network peer dies), serialport closes the port by itself — from a failed read, without an 'error' —
// and from then on queues every write "until the port opens again", so the write's callback never
// fires; a failed write emits 'error', which without a listener is an uncaught exception. This class
// therefore listens to 'error', 'close' and 'end', and on the first of them marks the channel lost:
// the pending writes reject at once, later writes reject without touching the stream, and the
// `onLost` listeners (the link layer) are told, so nothing waits for a timeout that cannot help. A lost
// channel is never revived: its owner opens a new one (connect-on-demand, src/main/core/kkt/).
// `close()` is bounded: a stream that does not close within `closeTimeoutMs` is destroyed.

import type { Duplex } from 'node:stream';
import { DataListeners, type ByteChannel } from './channel.ts';

/** Serial port settings of every Shtrih-M link; only the speed differs between models. */
export const SHTRIH_SERIAL_SETTINGS = { dataBits: 8, stopBits: 1, parity: 'none', rtscts: false } as const;

/** The TCP port of network models. */
export const SHTRIH_TCP_PORT = 7778;

/** How long close() waits for the stream to close before destroying it. */
export const STREAM_CLOSE_TIMEOUT_MS = 2_000;

export class StreamChannel implements ByteChannel {
  private readonly listeners = new DataListeners();
  private readonly lostListeners = new Set<(reason: string) => void>();
  private readonly pendingWrites = new Set<(err: Error) => void>();
  private lostReason: string | null = null;

  constructor(
    private readonly stream: Duplex,
    /** Human-readable endpoint, e.g. "/dev/ttyUSB0 @115200" or "tcp://10.0.0.5:7778". */
    readonly label: string,
    private readonly closeStream: () => Promise<void>,
    private readonly closeTimeoutMs = STREAM_CLOSE_TIMEOUT_MS,
  ) {
    stream.on('data', (chunk: Buffer) => this.listeners.emit(chunk));
    stream.on('error', (err: Error) => this.lose(`ошибка порта: ${err.message}`));
    stream.on('close', () => this.lose('порт закрыт: устройство отключено'));
    stream.on('end', () => this.lose('устройство закрыло соединение'));
  }

  /** Why the line was lost, or null while it works. */
  get lost(): string | null {
    return this.lostReason;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.lostReason !== null) return Promise.reject(this.lostError());
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        this.pendingWrites.delete(fail);
        reject(err);
      };
      this.pendingWrites.add(fail);
      try {
        this.stream.write(Buffer.from(bytes), (err) => {
          this.pendingWrites.delete(fail);
          if (err) reject(err);
          else resolve();
        });
      } catch (err) {
        fail(err as Error);
      }
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }

  onLost(listener: (reason: string) => void): () => void {
    if (this.lostReason !== null) {
      const reason = this.lostReason;
      queueMicrotask(() => listener(reason));
      return () => undefined;
    }
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.lostListeners.clear();
    this.lose('канал закрыт');
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.closeStream().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.closeTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!closed && !this.stream.destroyed) this.stream.destroy();
  }

  private lose(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    const err = this.lostError();
    for (const fail of [...this.pendingWrites]) fail(err);
    for (const l of [...this.lostListeners]) l(reason);
    this.lostListeners.clear();
  }

  private lostError(): Error {
    return new Error(`${this.label}: связь потеряна (${this.lostReason})`);
  }
}
