// A cashier as the renderer sees one: no PIN hash, ever (the store answers none to begin with).
import type { Cashier } from '../core/cashiers/cashier.ts';
import type { CashierView } from '../../shared/contract.ts';

export function cashierView(c: Cashier): CashierView {
  return { id: c.id, name: c.name, inn: c.inn, role: c.role };
}
