// The cash drawer wired to the KKT (28h, docs/kkt.md «Cash drawer»). It opens by itself after every receipt
// with a cash part (a sale, a cash refund or payout, a correction) and after a cash in/out, and on a manager's
// request. The automatic opening never touches the receipt: the receipt is printed and recorded before it
// runs, and a drawer that does not open is logged and journalled (`drawer_failed`, the screens show it),
// never thrown. Some tills have no drawer: `cashDrawer: none` turns all of this off.
import type { Kkt } from '../kkt/kkt.ts';
import type { Journal } from '../buffer/journal.ts';
import type { Logger } from '../logger.ts';
import { ConflictError } from '../../../shared/errors.ts';

/** What opened the drawer: the journal entry says it. */
export type DrawerReason = 'receipt' | 'cash_in' | 'cash_out' | 'manager';

export interface CashDrawerOptions {
  kkt: Kkt;
  journal: Journal;
  log: Logger;
  /** The configuration: `kkt` (drawer 0 on the KKT's port) or `none`. */
  enabled: boolean;
}

export class CashDrawer {
  /** The KKT's drawer port the station uses (the second one, 1, is rarely wired). */
  private readonly drawer = 0;

  constructor(private readonly o: CashDrawerOptions) {}

  get enabled(): boolean {
    return this.o.enabled;
  }

  /**
   * After a printed receipt or a cash operation: opens the drawer when cash moved. Never throws and is
   * not awaited by the sale: a failure is a log line, a `drawer_failed` journal entry and a notice.
   */
  async afterCash(
    reason: Exclude<DrawerReason, 'manager'>,
    cashKop: number,
    receiptId?: string,
  ): Promise<void> {
    if (!this.o.enabled || cashKop <= 0) return;
    try {
      await this.open(reason, receiptId);
    } catch {
      // open() journalled and logged it; the sale or the cash operation stands.
    }
  }

  /** A manager's «Открыть ящик» (the PIN was checked by the caller). Throws when it did not open. */
  async openForManager(by: string): Promise<void> {
    if (!this.o.enabled)
      throw new ConflictError(
        'drawer_disabled',
        'This till has no cash drawer (cashDrawer: none in the configuration).',
      );
    await this.open('manager', undefined, by);
  }

  private async open(reason: DrawerReason, receiptId?: string, by?: string): Promise<void> {
    const why = by ? `${reason}, ${by}` : reason;
    try {
      await this.o.kkt.openDrawer(this.drawer);
    } catch (e) {
      const message = (e as Error).message;
      this.o.log.warn(`Cash drawer did not open (${why}): ${message}`);
      this.journalQuietly('drawer_failed', `Cash drawer did not open (${why}): ${message}`, receiptId, {
        reason,
        error: message,
        ...(by ? { by } : {}),
      });
      throw e;
    }
    this.journalQuietly('drawer_opened', `Cash drawer opened (${why})`, receiptId, {
      reason,
      ...(by ? { by } : {}),
    });
  }

  /** A journal that cannot be written (a full disk) must not turn an opened drawer into a failure. */
  private journalQuietly(
    kind: 'drawer_opened' | 'drawer_failed',
    message: string,
    receiptId: string | undefined,
    data: Record<string, unknown>,
  ): void {
    try {
      this.o.journal.append(kind, message, receiptId ?? null, data);
    } catch (e) {
      this.o.log.error(`Journal: ${kind} not recorded: ${(e as Error).message}`);
    }
  }
}
