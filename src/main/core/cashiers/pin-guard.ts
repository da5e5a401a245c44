// Wrong PINs lock every PIN check of the station (sign-in and manager approvals alike): counted in the
// buffer's meta table, so a restart does not reset them. After five wrong tries the PINs lock for a
// minute, then two, four… up to an hour, which puts guessing a 4-digit PIN out of reach of a script on
// the same machine. One guard for all cashiers: trying each name in turn gains nothing.
import type { Db } from '../buffer/database.ts';
import { StationError } from '../../../shared/errors.ts';

const GUARD_KEY = 'manager_pin_guard'; // the key predates cashiers; kept so a lock survives the upgrade
const TRIES_PER_LOCK = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

interface Guard {
  wrong: number;
  lockouts: number;
  lockedUntil: number;
}

export class PinGuard {
  constructor(
    private readonly db: Db,
    private readonly onLock: (lockMs: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws pin_locked (429, retry_after_seconds) while locked. */
  assertOpen(): void {
    const { lockedUntil } = this.read();
    const now = this.now();
    if (now >= lockedUntil) return;
    const retryAfterSeconds = Math.ceil((lockedUntil - now) / 1000);
    throw new StationError('pin_locked', 429, `Too many wrong PINs. Try again in ${retryAfterSeconds} s.`, {
      retry_after_seconds: retryAfterSeconds,
    });
  }

  right(): void {
    this.write({ wrong: 0, lockouts: 0, lockedUntil: 0 });
  }

  wrong(): void {
    const guard = this.read();
    const next: Guard = { ...guard, wrong: guard.wrong + 1 };
    if (next.wrong >= TRIES_PER_LOCK) {
      const lockMs = Math.min(FIRST_LOCK_MS * 2 ** guard.lockouts, MAX_LOCK_MS);
      Object.assign(next, { wrong: 0, lockouts: guard.lockouts + 1, lockedUntil: this.now() + lockMs });
      this.onLock(lockMs);
    }
    this.write(next);
  }

  private read(): Guard {
    const raw = (
      this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(GUARD_KEY) as { value: string } | undefined
    )?.value;
    return raw ? (JSON.parse(raw) as Guard) : { wrong: 0, lockouts: 0, lockedUntil: 0 };
  }

  private write(guard: Guard): void {
    this.db
      .prepare(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(GUARD_KEY, JSON.stringify(guard));
  }
}
