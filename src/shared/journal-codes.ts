// What a journal entry records, as a code the UI turns into words (src/renderer/i18n: journalText).
// The main process stores the code and the entry's parameters (JSON); its English `message` stays for
// logs and the diagnostics bundle. An entry older than the codes has none: the UI shows its message.
/**
 * Every event the journal records (the code, worded by the UI) and the group it is filed under (the
 * entry's `kind`, what support filters by). Most events are a group of their own; a few groups gather
 * several events. One table, so a new event cannot be added without its group.
 */
export const JOURNAL_EVENTS = {
  station_started: 'station_started',
  station_stopped: 'station_stopped',
  receipt_added: 'receipt_added',
  receipt_printing: 'receipt_printing',
  receipt_printed: 'receipt_printed',
  receipt_found_in_kkt: 'receipt_recovered',
  receipt_not_in_kkt: 'receipt_recovered',
  receipt_print_failed: 'receipt_print_failed',
  receipt_synced: 'receipt_synced',
  receipt_synced_duplicate: 'receipt_synced',
  receipt_send_failed: 'receipt_send_failed',
  receipt_dead: 'receipt_dead',
  receipt_retried: 'receipt_retried',
  receipt_voided: 'receipt_voided',
  dlq_resolved: 'dlq_resolved',
  breaker_opened: 'breaker_opened',
  breaker_half_open: 'breaker_half_open',
  breaker_closed: 'breaker_closed',
  sync_started: 'sync_started',
  sync_finished: 'sync_finished',
  pin_set: 'config_changed',
  pin_locked: 'config_changed',
  cashier_added: 'config_changed',
  settings_changed: 'config_changed',
  retention_purged: 'retention_purged',
  shift_opened: 'shift_opened',
  shift_closed: 'shift_closed',
  x_report: 'x_report',
  cash_in: 'cash_in',
  cash_out: 'cash_out',
  drawer_opened: 'drawer_opened',
  drawer_failed: 'drawer_failed',
  receipt_copy_printed: 'receipt_copy_printed',
  buffer_lost: 'buffer_lost',
  buffer_loss_acknowledged: 'buffer_loss_acknowledged',
  catalog_imported: 'catalog_changed',
  catalog_item_deleted: 'catalog_changed',
  quick_keys_set: 'catalog_changed',
  data_dir_moved: 'data_dir_moved',
  data_dir_left_behind: 'data_dir_left_behind',
} as const;

export type JournalCode = keyof typeof JOURNAL_EVENTS;
/** The groups support filters the journal by (the `kind` column). */
export type JournalKind = (typeof JOURNAL_EVENTS)[JournalCode];

export const JOURNAL_CODES = Object.keys(JOURNAL_EVENTS) as readonly JournalCode[];
export const JOURNAL_KINDS: readonly JournalKind[] = [...new Set(Object.values(JOURNAL_EVENTS))];

/** The group an event is filed under. */
export const journalKindOf = (code: JournalCode): JournalKind => JOURNAL_EVENTS[code];

/**
 * Why a receipt copy's QR went out as text (receipt_copy_printed's `qr_why`): the KKT refused or did
 * not answer to draw it (its own words in `qr_error`), or the station could not build the DDh/DEh
 * commands for it (data or parameters beyond what they carry; the technical text in `qr_error`).
 */
export type QrAsTextWhy = 'kkt_refused' | 'not_sendable';

/** An entry's parameters: plain values the UI puts into its sentence (amounts in kopecks). */
export type JournalParams = Readonly<Record<string, unknown>>;

export function isJournalCode(code: unknown): code is JournalCode {
  return typeof code === 'string' && (JOURNAL_CODES as readonly string[]).includes(code);
}
