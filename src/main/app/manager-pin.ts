// The manager PIN: set on first start, stored as a salted scrypt hash in the buffer's meta table,
// checked in constant time, and throttled (five wrong tries lock it for a minute) so a 4-digit PIN
// cannot be guessed by a script on the same machine.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Db } from '../core/buffer/database.ts';
import { StationError } from '../core/errors.ts';

const KEY = 'manager_pin';
const PIN = /^\d{4,8}$/;
const MAX_WRONG = 5;
const LOCK_MS = 60_000;

function hash(pin: string, salt: Buffer): Buffer {
  return scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1 });
}

export class ManagerPin {
  private wrong = 0;
  private lockedUntil = 0;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  isSet(): boolean {
    return this.stored() !== null;
  }

  /** Sets the PIN: the first time freely (first start), afterwards only with the current PIN. */
  set(newPin: string, currentPin?: string): void {
    if (!PIN.test(newPin)) throw new StationError('validation_error', 422, 'The manager PIN must be 4 to 8 digits.');
    if (this.isSet()) this.verify(currentPin);
    const salt = randomBytes(16);
    const value = `scrypt$${salt.toString('base64')}$${hash(newPin, salt).toString('base64')}`;
    this.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(KEY, value);
  }

  /** Throws pin_required / pin_not_set / pin_locked / pin_wrong; returns when the PIN is right. */
  verify(pin: string | undefined): void {
    const stored = this.stored();
    if (!stored) throw new StationError('pin_not_set', 409, 'No manager PIN is set yet. Set one in the manager area first.');
    if (!pin) throw new StationError('pin_required', 401, 'This action needs the manager PIN.');
    const now = this.now();
    if (now < this.lockedUntil) {
      throw new StationError('pin_locked', 429, `Too many wrong PINs. Try again in ${Math.ceil((this.lockedUntil - now) / 1000)} s.`);
    }
    const [, salt, expected] = stored.split('$');
    const ok = timingSafeEqual(hash(pin, Buffer.from(salt!, 'base64')), Buffer.from(expected!, 'base64'));
    if (!ok) {
      this.wrong++;
      if (this.wrong >= MAX_WRONG) {
        this.wrong = 0;
        this.lockedUntil = now + LOCK_MS;
      }
      throw new StationError('pin_wrong', 403, 'Wrong manager PIN.');
    }
    this.wrong = 0;
  }

  private stored(): string | null {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(KEY) as { value: string } | undefined;
    return row?.value ?? null;
  }
}
