// Who works the till. The station checks the PIN (cashier.signIn); this store remembers who signed in,
// whether the till is locked (the same cashier types the PIN again), and a manager's approval: the PIN
// a manager typed approves manager actions for a few minutes after its last use, across section
// switches, instead of being asked for again on every tab. Lock and «Сменить кассира» forget it at once.
import { create } from 'zustand';
import type { CashierView } from '../../shared/contract.ts';

/** How long a manager's PIN approves manager actions after its last use. */
export const APPROVAL_MS = 3 * 60_000;

interface Approval {
  pin: string;
  until: number;
}

export interface CashierState {
  /** The signed-in cashier; null at the sign-in screen. */
  cashier: CashierView | null;
  /** Locked: the cashier stays, the till shows the PIN prompt until the same cashier's PIN is typed. */
  locked: boolean;
  approval: Approval | null;
}

export const useCashier = create<CashierState>(() => ({ cashier: null, locked: false, approval: null }));

/** After the station accepted the cashier's PIN: a manager's PIN approves manager actions too. */
export function signedIn(cashier: CashierView, pin: string): void {
  useCashier.setState({
    cashier,
    locked: false,
    approval: cashier.role === 'manager' ? { pin, until: Date.now() + APPROVAL_MS } : null,
  });
}

export function lockTill(): void {
  useCashier.setState((s) => (s.cashier ? { locked: true, approval: null } : s));
}

/** «Сменить кассира»: back to the sign-in screen with nobody signed in. */
export function signOut(): void {
  useCashier.setState({ cashier: null, locked: false, approval: null });
}

/** A manager's PIN the station accepted (the manager area's sign-in): approves for APPROVAL_MS. */
export function approve(pin: string): void {
  useCashier.setState({ approval: { pin, until: Date.now() + APPROVAL_MS } });
}

/** The manager is still at it: the approval runs APPROVAL_MS from now. */
export function touchApproval(): void {
  const a = useCashier.getState().approval;
  if (a && a.until > Date.now())
    useCashier.setState({ approval: { pin: a.pin, until: Date.now() + APPROVAL_MS } });
}

export function forgetApproval(): void {
  useCashier.setState({ approval: null });
}

/** The approving PIN while the approval lasts, else null. */
export function approvedPin(): string | null {
  const a = useCashier.getState().approval;
  return a && a.until > Date.now() ? a.pin : null;
}

/** The receipt request's and shift's cashier fields (tags 1021 and 1203). */
export function cashierFields(): { cashier_name?: string; cashier_inn?: string } {
  const c = useCashier.getState().cashier;
  if (!c) return {};
  return c.inn ? { cashier_name: c.name, cashier_inn: c.inn } : { cashier_name: c.name };
}
