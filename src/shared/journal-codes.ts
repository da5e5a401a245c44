// What a journal entry records, as a code the UI turns into words (src/renderer/i18n: journalText).
// The main process stores the code and the entry's parameters (JSON); its English `message` stays for
// logs and the diagnostics bundle. An entry older than the codes has none: the UI shows its message.
export const JOURNAL_CODES = [
  'station_started',
  'station_stopped',
  'receipt_added',
  'receipt_printing',
  'receipt_printed',
  'receipt_found_in_kkt',
  'receipt_not_in_kkt',
  'receipt_print_failed',
  'receipt_synced',
  'receipt_synced_duplicate',
  'receipt_send_failed',
  'receipt_dead',
  'receipt_retried',
  'receipt_voided',
  'dlq_resolved',
  'breaker_opened',
  'breaker_half_open',
  'breaker_closed',
  'sync_started',
  'sync_finished',
  'pin_set',
  'pin_locked',
  'cashier_added',
  'settings_changed',
  'retention_purged',
  'shift_opened',
  'shift_closed',
  'x_report',
  'cash_in',
  'cash_out',
  'drawer_opened',
  'drawer_failed',
  'receipt_copy_printed',
  'buffer_lost',
  'buffer_loss_acknowledged',
  'catalog_imported',
  'catalog_item_deleted',
  'quick_keys_set',
  'data_dir_moved',
  'data_dir_left_behind',
] as const;
export type JournalCode = (typeof JOURNAL_CODES)[number];

/** An entry's parameters: plain values the UI puts into its sentence (amounts in kopecks). */
export type JournalParams = Readonly<Record<string, unknown>>;

export function isJournalCode(code: unknown): code is JournalCode {
  return typeof code === 'string' && (JOURNAL_CODES as readonly string[]).includes(code);
}
