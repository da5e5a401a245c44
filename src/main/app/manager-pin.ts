// The manager PIN: set on first start, stored as a salted scrypt hash in the buffer's meta table,
// checked in constant time off the main thread. Wrong tries are counted in the database, so a restart
// does not reset them: after five, the PIN locks for a minute, then two, four… up to an hour, which
// puts guessing a 4-digit PIN out of reach of a script on the same machine.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../core/buffer/database.ts';
import { StationError } from '../../shared/errors.ts';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, isValidPin } from '../../shared/pin.ts';

const scrypt = promisify(scryptCb) as (pin: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const HASH_KEY = 'manager_pin';
const GUARD_KEY = 'manager_pin_guard';
const TRIES_PER_LOCK = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

interface Guard {
  wrong: number;
  lockouts: number;
  lockedUntil: number;
}

export class ManagerPin {
  constructor(
    private readonly db: Db,
    private readonly onLock: (lockMs: number) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  isSet(): boolean {
    return this.meta(HASH_KEY) !== null;
  }

  /** Sets the PIN: the first time freely (first start), afterwards only with the current PIN. */
  async set(newPin: string, currentPin?: string): Promise<void> {
    if (!isValidPin(newPin))
      throw new StationError(
        'validation_error',
        422,
        `The manager PIN must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits.`,
      );
    if (this.isSet()) await this.verify(currentPin);
    const salt = randomBytes(16);
    this.setMeta(
      HASH_KEY,
      `scrypt$${salt.toString('base64')}$${(await scrypt(newPin, salt, 32)).toString('base64')}`,
    );
  }

  /** Resolves when the PIN is right; throws pin_not_set / pin_required / pin_locked / pin_wrong. */
  async verify(pin: string | undefined): Promise<void> {
    const stored = this.meta(HASH_KEY);
    if (!stored)
      throw new StationError(
        'pin_not_set',
        409,
        'No manager PIN is set yet. Set one in the manager area first.',
      );
    if (!pin) throw new StationError('pin_required', 401, 'This action needs the manager PIN.');
    const guard = this.guard();
    const now = this.now();
    if (now < guard.lockedUntil) {
      const retryAfterSeconds = Math.ceil((guard.lockedUntil - now) / 1000);
      throw new StationError('pin_locked', 429, `Too many wrong PINs. Try again in ${retryAfterSeconds} s.`, {
        retry_after_seconds: retryAfterSeconds,
      });
    }
    const [, salt, expected] = stored.split('$');
    const given = await scrypt(pin, Buffer.from(salt!, 'base64'), 32);
    if (timingSafeEqual(given, Buffer.from(expected!, 'base64'))) {
      this.setMeta(GUARD_KEY, JSON.stringify({ wrong: 0, lockouts: 0, lockedUntil: 0 } satisfies Guard));
      return;
    }
    const next: Guard = { ...guard, wrong: guard.wrong + 1 };
    if (next.wrong >= TRIES_PER_LOCK) {
      const lockMs = Math.min(FIRST_LOCK_MS * 2 ** guard.lockouts, MAX_LOCK_MS);
      Object.assign(next, { wrong: 0, lockouts: guard.lockouts + 1, lockedUntil: now + lockMs });
      this.onLock(lockMs);
    }
    this.setMeta(GUARD_KEY, JSON.stringify(next));
    throw new StationError('pin_wrong', 403, 'Wrong manager PIN.');
  }

  private guard(): Guard {
    const raw = this.meta(GUARD_KEY);
    return raw ? (JSON.parse(raw) as Guard) : { wrong: 0, lockouts: 0, lockedUntil: 0 };
  }

  private meta(key: string): string | null {
    return (
      (this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined)
        ?.value ?? null
    );
  }

  private setMeta(key: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(key, value);
  }
}

/**
 * The approval a refund that needs the manager asks for (fiscal-service CreateOptions.approve): the PIN
 * given with the request, checked like every manager action; none given is pin_required naming why.
 */
export function approveWith(managerPin: ManagerPin, pin: string | undefined): (why: string) => Promise<void> {
  return async (why) => {
    if (!pin)
      throw new StationError(
        'pin_required',
        401,
        `This refund needs the manager PIN (${why}). Ask the manager to enter it.`,
      );
    await managerPin.verify(pin);
  };
}
