// ByteChannel over TCP, for network Shtrih models (port 7778). Over TCP the KKT sends an extra 0xFF
// after an ACK; the link layer skips it while waiting for control bytes (kkt-protocol.md §1.1).

import { connect, type Socket } from 'node:net';
import { DataListeners, type ByteChannel } from './channel.ts';

export class TcpChannel implements ByteChannel {
  private readonly listeners = new DataListeners();

  private constructor(
    private readonly socket: Socket,
    readonly label: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.listeners.emit(chunk));
    socket.on('error', () => undefined); // surfaced as timeouts by the link layer
  }

  static open(host: string, port = 7778, connectTimeoutMs = 5_000): Promise<TcpChannel> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`ККТ ${host}:${port} не отвечает (TCP)`));
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new TcpChannel(socket, `tcp://${host}:${port}`));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`Не удалось подключиться к ККТ ${host}:${port}: ${err.message}`));
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await new Promise<void>((resolve) => this.socket.end(() => resolve()));
    this.socket.destroy();
  }
}
