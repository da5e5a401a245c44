// A ByteChannel over a Node byte stream: a serial port or a TCP socket carry the same frames, so one
// class serves the driver's serial and TCP channels (src/main/core/kkt/shtrih/) and the emulator's CLI.
// Only opening and closing differ; the opener passes the way to close its stream.
//
// Line settings (protocol v1.17 p.8): RS-232 or USB-CDC at 8N1 without flow control; network models
// listen on TCP port 7778 and send an extra 0xFF after an ACK, which the link layer skips.

import type { Duplex } from 'node:stream';
import { DataListeners, type ByteChannel } from './channel.ts';

/** Serial port settings of every Shtrih-M link; only the speed differs between models. */
export const SHTRIH_SERIAL_SETTINGS = { dataBits: 8, stopBits: 1, parity: 'none', rtscts: false } as const;

/** The TCP port of network models. */
export const SHTRIH_TCP_PORT = 7778;

export class StreamChannel implements ByteChannel {
  private readonly listeners = new DataListeners();

  constructor(
    private readonly stream: Duplex,
    /** Human-readable endpoint, e.g. "/dev/ttyUSB0 @115200" or "tcp://10.0.0.5:7778". */
    readonly label: string,
    private readonly closeStream: () => Promise<void>,
  ) {
    stream.on('data', (chunk: Buffer) => this.listeners.emit(chunk));
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.closeStream();
  }
}
