// A FIFO async mutex: the KKT prints one receipt at a time, in arrival order.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  /** No task runs or waits: one started now runs at once. */
  get idle(): boolean {
    return this.queued === 0;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(task).finally(() => this.queued--);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
