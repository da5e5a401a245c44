// The journal's events and the failed-sends queue's reasons in English: the same codes as journal-ru.ts.
import { formatMoney, pluralEn } from '../format.ts';
import type { DlqReason } from '../../shared/dlq-reasons.ts';
import type { JournalCode, JournalParams } from '../../shared/journal-codes.ts';
import type { ByCode } from '../../shared/journal-by.ts';
import { byText, byWord, detail, dlqReasonOf, list, num, ofdFailureDetail, str } from './params.ts';
import { ofdFailureEn } from './ofd-failure-words.ts';

type P = JournalParams;
const money = (p: P, key: string) => formatMoney(num(p, key), 'en');
const receipts = (n: number) => `${n} ${pluralEn(n, 'receipt', 'receipts')}`;
const by = (p: P) => byText(p, BY_EN);

const BY_EN: Record<ByCode, string> = {
  till: 'at the till',
  manager: 'manager',
  manager_pin_till: 'manager PIN, at the till',
  rest: 'REST API',
  manager_pin_rest: 'manager PIN, REST API',
  first_start: 'at the first start',
  cli: 'command line',
};

/** Why a copy's QR went out as text (shared/journal-codes.ts QrAsTextWhy). */
const qrAsText = (p: P) =>
  p.qr_why === 'not_sendable'
    ? 'the station could not send it to the KKT with the QR commands (DDh/DEh)'
    : 'the KKT would not draw it';

/** Why the drawer opened (cash-drawer.ts). */
const DRAWER_WHY_EN: Record<string, string> = {
  receipt: 'a receipt with cash',
  cash_in: 'cash in',
  cash_out: 'cash out',
  manager: "the manager's request",
};

const SETTING_NAMES: Record<string, string> = {
  kkt: 'KKT port',
  kktBaud: 'port speed',
  ofdUrl: 'OFD address',
  ofdToken: 'OFD token',
  bufferCapacity: 'buffer capacity',
  cashierDiscountLimitPercent: "cashier's discount limit",
  taxSystem: 'tax system',
};

export const JOURNAL_TEXT_EN: Record<JournalCode, (p: P) => string> = {
  station_started: (p) => `Till ${str(p, 'pos_id')} started, KKT: ${str(p, 'kkt')}`,
  station_stopped: () => 'Till stopped',
  receipt_added: (p) => `${p.type === 'refund' ? 'Refund' : 'Sale'} of ${money(p, 'total_kop')} accepted`,
  receipt_printing: () => 'Receipt sent to the KKT for printing',
  receipt_printed: (p) => `Receipt printed: FD ${str(p, 'fd_number')}, FP ${str(p, 'fiscal_sign')}`,
  receipt_found_in_kkt: (p) =>
    `After a restart the receipt was found in the KKT archive (FD ${str(p, 'fd_number')}) and recorded as printed`,
  receipt_not_in_kkt: (p) =>
    `After a restart the receipt is not in the KKT archive; it will be printed again${detail(p)}`,
  receipt_print_failed: (p) => `Receipt not printed${detail(p)}`,
  receipt_synced: () => 'Receipt accepted by the OFD',
  receipt_synced_duplicate: () => 'The OFD already had this receipt: marked as sent',
  receipt_send_failed: (p) =>
    `Sending to the OFD failed (attempt ${num(p, 'attempts')})${ofdFailureDetail(p, ofdFailureEn)}`,
  receipt_dead: (p) => {
    const why = dlqReasonOf(p);
    return `Receipt moved to the failed-sends queue. ${why ? DLQ_REASON_EN(why) : `Attempts: ${num(p, 'attempts')}`}`;
  },
  receipt_retried: (p) => `Receipt returned from the failed-sends queue to the send queue${by(p)}`,
  receipt_voided: (p) => `Receipt voided${detail(p)}`,
  dlq_resolved: (p) => `Failed-sends entry closed${by(p)}${detail(p, 'note')}`,
  breaker_opened: (p) =>
    `OFD connection: paused after ${num(p, 'failures')} failures in a row; the till will try again by itself${ofdFailureDetail(p, ofdFailureEn, 'last_failure_why', 'last_failure')}`,
  breaker_half_open: () => 'OFD connection: one trial send',
  breaker_closed: () => 'OFD connection restored, the queue is being sent',
  sync_started: (p) => `Sync started: ${receipts(num(p, 'total'))} waiting`,
  sync_finished: (p) =>
    `Sync finished: ${num(p, 'synced')} sent, ${num(p, 'failed')} failed, ${num(p, 'skipped')} still waiting`,
  pin_set: () => 'Manager PIN set',
  pin_locked: (p) => `PIN entry locked for ${num(p, 'minutes')} min after repeated wrong tries`,
  cashier_added: (p) => `${p.role === 'manager' ? 'Manager' : 'Cashier'} «${str(p, 'name')}» added${by(p)}`,
  settings_changed: (p) =>
    `The manager changed the settings: ${list(p, 'fields')
      .map((f) => SETTING_NAMES[f] ?? f)
      .join(', ')}${p.restart_required ? ' (KKT changes apply after a restart)' : ''}`,
  retention_purged: (p) =>
    `Archive clean-up: ${num(p, 'receipts')} sent receipts and ${num(p, 'dlq')} closed failed-sends entries removed`,
  shift_opened: (p) =>
    `Shift ${str(p, 'shift_number')} opened${typeof p.cashier === 'string' ? ` by ${p.cashier}` : ''} (FD ${str(p, 'fd_number')})`,
  shift_closed: (p) =>
    `Shift ${str(p, 'shift_number')} closed, Z report${p.fd_number ? ` FD ${str(p, 'fd_number')}` : ''}: sales ${money(p, 'sales_kop')}, refunds ${money(p, 'refunds_kop')}`,
  x_report: (p) =>
    `X report for shift ${str(p, 'shift_number')}: sales ${money(p, 'sales_kop')}, refunds ${money(p, 'refunds_kop')}`,
  cash_in: (p) => `Cash in ${money(p, 'amount_kop')} (document ${str(p, 'document_number')})`,
  cash_out: (p) => `Cash out ${money(p, 'amount_kop')} (document ${str(p, 'document_number')})`,
  drawer_opened: (p) => `Cash drawer opened (${DRAWER_WHY_EN[str(p, 'reason')] ?? str(p, 'reason')})${by(p)}`,
  drawer_failed: (p) =>
    `Cash drawer did not open (${DRAWER_WHY_EN[str(p, 'reason')] ?? str(p, 'reason')}): ${str(p, 'error')}${by(p)}`,
  receipt_copy_printed: (p) =>
    `Copy of receipt FD ${str(p, 'fd_number')} printed${by(p)}${p.qr === 'text' ? `; its QR printed as text, ${qrAsText(p)}: ${str(p, 'qr_error')}` : ''}`,
  buffer_lost: (p) =>
    `The receipt buffer is new but the KKT (FN ${str(p, 'fn_number')}) holds documents up to FD ${str(p, 'kkt_last_fd')}: the buffer was lost. Sales are blocked until a manager acknowledges it`,
  buffer_loss_acknowledged: (p) =>
    `Lost buffer acknowledged by ${byWord(p, BY_EN) || '—'}${byText(p, BY_EN, 'via')}: documents up to FD ${str(p, 'kkt_last_fd')} are not in the buffer; sales resume`,
  catalog_imported: (p) =>
    `Item catalogue: ${num(p, 'inserted')} added, ${num(p, 'updated')} updated${by(p)}`,
  catalog_item_deleted: (p) => `Item catalogue: item ${str(p, 'code')} deleted${by(p)}`,
  quick_keys_set: (p) =>
    `Quick keys replaced: ${num(p, 'count')} ${pluralEn(num(p, 'count'), 'key', 'keys')}${by(p)}`,
  data_dir_moved: (p) => `Data moved from ${str(p, 'from')} to ${str(p, 'to')} (an older version's folder)`,
  data_dir_left_behind: (p) =>
    `An older version's data is still in ${str(p, 'from')}; the till uses ${str(p, 'to')} and did not touch it`,
};

export function DLQ_REASON_EN(why: DlqReason): string {
  switch (why.code) {
    case 'ofd_rejected':
      return `The OFD rejected the receipt (answer code ${why.status})${why.detail ? `. The OFD said: ${why.detail}` : ''}`;
    case 'attempts_exhausted':
      return `All attempts to send to the OFD (${why.attempts}) failed`;
  }
}
