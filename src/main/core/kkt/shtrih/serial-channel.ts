// ByteChannel over a serial port (RS-232, USB-CDC, or one end of a socat pty pair).
// Shtrih-M links are 8N1 without flow control (kkt-protocol.md §1.1).

import { SerialPort } from 'serialport';
import { DataListeners, type ByteChannel } from './channel.ts';

export interface SerialChannelOptions {
  path: string;
  /** 115200 on most current models; 4800 on some older ones. */
  baudRate?: number;
}

export class SerialChannel implements ByteChannel {
  private readonly listeners = new DataListeners();
  readonly label: string;

  private constructor(private readonly port: SerialPort) {
    this.label = `${port.path} @${port.baudRate}`;
    port.on('data', (chunk: Buffer) => this.listeners.emit(chunk));
  }

  static async open(options: SerialChannelOptions): Promise<SerialChannel> {
    const port = new SerialPort({
      path: options.path,
      baudRate: options.baudRate ?? 115200,
      dataBits: 8,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(new Error(`Не удалось открыть порт ККТ ${options.path}: ${err.message}`)) : resolve())),
    );
    return new SerialChannel(port);
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
