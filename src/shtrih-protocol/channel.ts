// A byte pipe to a KKT: a serial port, a TCP socket or an in-memory pair. The link layer needs
// nothing else, which is what lets the same driver talk to the hardware and to the emulator.

export interface ByteChannel {
  /** Human-readable endpoint, e.g. "/dev/ttyUSB0 @115200" or "memory". */
  readonly label: string;
  /** Resolves when the bytes have been handed to the OS (or the peer, for memory). */
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribes to incoming bytes; returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /**
   * Subscribes to the loss of the line (the OS closed the port, the peer hung up, a write failed):
   * after it, every write rejects and no byte arrives again, so the owner opens a new channel.
   * Told at most once, with the reason in words. Optional: an in-memory channel cannot lose its line.
   */
  onLost?(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
}

/** Fan-out helper shared by the channel implementations. */
export class DataListeners {
  private readonly listeners = new Set<(chunk: Uint8Array) => void>();

  add(listener: (chunk: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(chunk: Uint8Array): void {
    for (const l of [...this.listeners]) l(chunk);
  }

  clear(): void {
    this.listeners.clear();
  }
}
