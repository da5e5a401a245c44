// The station's cashiers (buffer table `cashiers`): who may sign in, with which PIN, and who is a
// manager. PIN hashes stay in this file's queries: everything it answers is a Cashier, without the hash.
// Every check goes through one PinGuard, so wrong PINs lock sign-in and manager approvals alike.
import type { Db } from '../buffer/database.ts';
import type { Journal } from '../buffer/journal.ts';
import { ConflictError, NotFoundError, StationError } from '../../../shared/errors.ts';
import { cashierInputSchema, nameKey, type Cashier, type CashierInput, type CashierRole } from './cashier.ts';
import { hashPin, pinMatches } from './pin-hash.ts';
import { PinGuard } from './pin-guard.ts';

interface Row {
  id: number;
  name: string;
  inn: string | null;
  role: CashierRole;
  pin_hash: string;
  created_at: string;
}

const COLUMNS = `id, name, inn, role, pin_hash, created_at`;
/** The name a manager gets when the first one is made from a bare PIN (the pre-cashier manager PIN). */
export const DEFAULT_MANAGER_NAME = 'Менеджер';

function cashierOf(r: Row): Cashier {
  return { id: r.id, name: r.name, inn: r.inn, role: r.role, createdAt: r.created_at };
}

export class CashierStore {
  private readonly guard: PinGuard;

  constructor(
    private readonly db: Db,
    private readonly journal: Journal,
    now: () => number = Date.now,
  ) {
    this.guard = new PinGuard(
      db,
      (lockMs) =>
        journal.append(
          'config_changed',
          `PIN locked for ${Math.round(lockMs / 60_000)} min after repeated wrong tries`,
          null,
          { minutes: Math.round(lockMs / 60_000) },
          'pin_locked',
        ),
      now,
    );
  }

  list(): Cashier[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM cashiers ORDER BY name_key`).all() as Row[]).map(
      cashierOf,
    );
  }

  count(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM cashiers`).get() as { n: number }).n;
  }

  hasManager(): boolean {
    return this.db.prepare(`SELECT 1 FROM cashiers WHERE role = 'manager' LIMIT 1`).get() !== undefined;
  }

  /** Adds a cashier (checked by cashierInputSchema); a name already taken, in any case, is a conflict. */
  async create(input: unknown, by: string): Promise<Cashier> {
    const parsed = cashierInputSchema.safeParse(input);
    if (!parsed.success)
      throw new StationError(
        'validation_error',
        422,
        `The cashier is not valid, nothing was stored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
    const c: CashierInput = parsed.data;
    const pinHash = await hashPin(c.pin);
    const taken = () =>
      new ConflictError('cashier_exists', `A cashier named «${c.name}» already exists.`, { field: 'name' });
    if (this.byNameKey(c.name)) throw taken();
    let row: Row;
    try {
      row = this.db
        .prepare(
          `INSERT INTO cashiers (name, name_key, inn, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
        )
        .get(c.name, nameKey(c.name), c.inn ?? null, c.role, pinHash, new Date().toISOString()) as Row;
    } catch (e) {
      // Another request added the same name while this one hashed the PIN.
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw taken();
      throw e;
    }
    this.journal.append(
      'config_changed',
      `${c.role === 'manager' ? 'Manager' : 'Cashier'} «${c.name}» added by ${by}`,
      null,
      { role: c.role, name: c.name, by },
      'cashier_added',
    );
    return cashierOf(row);
  }

  /** The cashier whose PIN this is; pin_locked / not_found / pin_wrong otherwise. */
  async signIn(id: number, pin: string): Promise<Cashier> {
    this.guard.assertOpen();
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM cashiers WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`No cashier with id ${id}.`);
    if (!(await pinMatches(pin, row.pin_hash))) {
      this.guard.wrong();
      throw new StationError('pin_wrong', 403, 'Wrong PIN.');
    }
    this.guard.right();
    return cashierOf(row);
  }

  /** The manager whose PIN this is: any manager's PIN approves a manager action. */
  async verifyManager(pin: string | undefined): Promise<Cashier> {
    const managers = this.db.prepare(`SELECT ${COLUMNS} FROM cashiers WHERE role = 'manager'`).all() as Row[];
    if (managers.length === 0)
      throw new StationError(
        'pin_not_set',
        409,
        'No manager PIN is set yet. Set one in the manager area first.',
      );
    if (!pin) throw new StationError('pin_required', 401, 'This action needs the manager PIN.');
    this.guard.assertOpen();
    for (const m of managers) {
      if (await pinMatches(pin, m.pin_hash)) {
        this.guard.right();
        return cashierOf(m);
      }
    }
    this.guard.wrong();
    throw new StationError('pin_wrong', 403, 'Wrong manager PIN.');
  }

  /** Replaces a cashier's PIN (the caller has checked the old one). */
  async setPin(id: number, pin: string): Promise<void> {
    const hash = await hashPin(pin);
    this.db.prepare(`UPDATE cashiers SET pin_hash = ? WHERE id = ?`).run(hash, id);
  }

  private byNameKey(name: string): Row | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM cashiers WHERE name_key = ?`).get(nameKey(name)) as
      Row | undefined;
  }
}
