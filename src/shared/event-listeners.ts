// The listener registry both transports use for pushed events (the preload over IPC, the browser
// transport over server-sent events): subscriptions by event name, each its own entry, and a dispatch
// that a throwing listener cannot break for the others. Neither Node nor DOM: runs in both.
import { isEventName, type EventName, type Events } from './contract.ts';

export class EventListeners {
  private readonly byName = new Map<EventName, Set<(payload: unknown) => void>>();

  /** Subscribes; the same function subscribed twice gets two independent subscriptions. */
  add<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    if (!isEventName(name)) throw new Error(`Unknown event ${String(name)}.`);
    const set = this.byName.get(name) ?? new Set();
    this.byName.set(name, set);
    const entry = (payload: unknown) => listener(payload as Events[E]);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  dispatch(name: EventName, payload: unknown): void {
    for (const listener of [...(this.byName.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (e) {
        console.error(`station event listener for ${name} failed`, e);
      }
    }
  }

  /** Are there listeners (for this event, or for any)? */
  has(name?: EventName): boolean {
    if (name) return (this.byName.get(name)?.size ?? 0) > 0;
    for (const set of this.byName.values()) if (set.size) return true;
    return false;
  }
}
