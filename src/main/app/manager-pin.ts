// The manager PIN: any manager cashier's PIN (core/cashiers). Set on first start when no manager exists
// yet (that makes a manager named «Менеджер»), changed only with the current PIN. Wrong tries lock every
// PIN check of the station for a while (core/cashiers/pin-guard.ts).
import type { CashierStore } from '../core/cashiers/cashier-store.ts';
import { DEFAULT_MANAGER_NAME } from '../core/cashiers/cashier-store.ts';
import { StationError } from '../../shared/errors.ts';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, isValidPin } from '../../shared/pin.ts';
import { BY } from '../../shared/journal-by.ts';

export class ManagerPin {
  constructor(private readonly cashiers: CashierStore) {}

  isSet(): boolean {
    return this.cashiers.hasManager();
  }

  /** Sets the PIN: the first time freely (first start), afterwards only with the current PIN. */
  async set(newPin: string, currentPin?: string): Promise<void> {
    if (!isValidPin(newPin))
      throw new StationError(
        'validation_error',
        422,
        `The manager PIN must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits.`,
      );
    if (!this.isSet()) {
      await this.cashiers.create({ name: DEFAULT_MANAGER_NAME, role: 'manager', pin: newPin }, BY.firstStart);
      return;
    }
    const manager = await this.cashiers.verifyManager(currentPin);
    await this.cashiers.setPin(manager.id, newPin);
  }

  /** Resolves when the PIN is a manager's; throws pin_not_set / pin_required / pin_locked / pin_wrong. */
  async verify(pin: string | undefined): Promise<void> {
    await this.cashiers.verifyManager(pin);
  }
}

/**
 * The approval a refund or a discount above the cashier's limit asks for (fiscal-service CreateOptions.approve): the PIN
 * given with the request, checked like every manager action; none given is pin_required naming why.
 */
export function approveWith(managerPin: ManagerPin, pin: string | undefined): (why: string) => Promise<void> {
  return async (why) => {
    if (!pin)
      throw new StationError(
        'pin_required',
        401,
        `This needs the manager PIN (${why}). Ask the manager to enter it.`,
      );
    await managerPin.verify(pin);
  };
}
