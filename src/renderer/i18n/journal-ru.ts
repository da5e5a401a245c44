// The journal's events and the failed-sends queue's reasons in Russian, built from the code and the
// parameters the station stored (src/shared/journal-codes.ts, dlq-reasons.ts). journal-en.ts has
// the same codes (the Record type makes a missing one a compile error).
import { formatMoney, pluralRu } from '../format.ts';
import type { DlqReason } from '../../shared/dlq-reasons.ts';
import type { JournalCode, JournalParams } from '../../shared/journal-codes.ts';
import type { ByCode } from '../../shared/journal-by.ts';
import { byText, byWord, detail, dlqReasonOf, list, num, ofdFailureDetail, str } from './params.ts';
import { ofdFailureRu } from './ofd-failure-words.ts';

type P = JournalParams;
const money = (p: P, key: string) => formatMoney(num(p, key), 'ru');
const receipts = (n: number) => `${n} ${pluralRu(n, ['чек', 'чека', 'чеков'])}`;
const by = (p: P) => byText(p, BY_RU);
const via = (p: P) => byText(p, BY_RU, 'via');

/** Who made the change (shared/journal-by.ts); a name, or an old entry's free text, shows as it is. */
const BY_RU: Record<ByCode, string> = {
  till: 'на кассе',
  manager: 'менеджер',
  manager_pin_till: 'PIN менеджера, на кассе',
  rest: 'из учётной системы',
  manager_pin_rest: 'PIN менеджера, из учётной системы',
  first_start: 'при первом запуске',
  cli: 'из командной строки',
};

/** Why the drawer opened (cash-drawer.ts). */
const DRAWER_WHY_RU: Record<string, string> = {
  receipt: 'чек с наличными',
  cash_in: 'внесение',
  cash_out: 'выплата',
  manager: 'по просьбе менеджера',
};

/** Why a copy's QR went out as text; the builders' English technical text stays in the entry's data. */
const qrAsText = (p: P) =>
  p.qr_why === 'not_sendable'
    ? 'касса не смогла передать его в ККТ для печати кодом: данные вне пределов команд ККТ'
    : `ККТ не напечатала его кодом: ${str(p, 'qr_error')}`;

/** Settings as the manager sees them in the settings panel. */
const SETTING_NAMES: Record<string, string> = {
  kkt: 'порт ККТ',
  kktBaud: 'скорость порта',
  ofdUrl: 'адрес ОФД',
  ofdToken: 'токен ОФД',
  bufferCapacity: 'ёмкость буфера',
  cashierDiscountLimitPercent: 'предел скидки кассира',
  taxSystem: 'система налогообложения',
};

export const JOURNAL_TEXT_RU: Record<JournalCode, (p: P) => string> = {
  station_started: (p) => `Касса ${str(p, 'pos_id')} запущена, ККТ: ${str(p, 'kkt')}`,
  station_stopped: () => 'Касса остановлена',
  receipt_added: (p) =>
    p.type === 'refund'
      ? `Возврат на ${money(p, 'total_kop')} принят`
      : `Продажа на ${money(p, 'total_kop')} принята`,
  receipt_printing: () => 'Чек отправлен на печать в ККТ',
  receipt_printed: (p) => `Чек напечатан: ФД ${str(p, 'fd_number')}, ФП ${str(p, 'fiscal_sign')}`,
  receipt_found_in_kkt: (p) =>
    `После перезапуска чек найден в архиве ККТ (ФД ${str(p, 'fd_number')}) и записан как напечатанный`,
  receipt_not_in_kkt: (p) =>
    `После перезапуска чека нет в архиве ККТ — он будет напечатан заново${detail(p)}`,
  receipt_print_failed: (p) => `Чек не напечатан${detail(p)}`,
  receipt_synced: () => 'Чек принят ОФД',
  receipt_synced_duplicate: () => 'ОФД уже получил этот чек раньше: отмечен как отправленный',
  receipt_send_failed: (p) =>
    `Отправка в ОФД не удалась (попытка ${num(p, 'attempts')})${ofdFailureDetail(p, ofdFailureRu)}`,
  receipt_dead: (p) => {
    const why = dlqReasonOf(p);
    return `Чек перенесён в очередь ошибок отправки. ${why ? DLQ_REASON_RU(why) : `Попыток: ${num(p, 'attempts')}`}`;
  },
  receipt_retried: (p) => `Чек возвращён из очереди ошибок в очередь отправки${by(p)}`,
  receipt_voided: (p) => `Чек аннулирован${detail(p)}`,
  dlq_resolved: (p) => `Запись очереди ошибок закрыта${by(p)}${detail(p, 'note')}`,
  breaker_opened: (p) =>
    `Связь с ОФД: пауза после ${num(p, 'failures')} сбоев подряд; касса попробует снова сама${ofdFailureDetail(p, ofdFailureRu, 'last_failure_why', 'last_failure')}`,
  breaker_half_open: () => 'Связь с ОФД: пробная отправка одного чека',
  breaker_closed: () => 'Связь с ОФД восстановлена, очередь отправляется',
  sync_started: (p) => `Синхронизация начата: ждут отправки ${receipts(num(p, 'total'))}`,
  sync_finished: (p) =>
    `Синхронизация завершена: отправлено ${num(p, 'synced')}, ошибок ${num(p, 'failed')}, ждут ${num(p, 'skipped')}`,
  pin_set: () => 'PIN менеджера задан',
  pin_locked: (p) => `Ввод PIN заблокирован на ${num(p, 'minutes')} мин после нескольких неверных попыток`,
  cashier_added: (p) =>
    `${p.role === 'manager' ? 'Менеджер' : 'Кассир'} «${str(p, 'name')}» добавлен${by(p)}`,
  settings_changed: (p) =>
    `Менеджер изменил настройки: ${list(p, 'fields')
      .map((f) => SETTING_NAMES[f] ?? f)
      .join(', ')}${p.restart_required ? ' (изменения ККТ вступят в силу после перезапуска)' : ''}`,
  retention_purged: (p) =>
    `Очистка архива: удалено отправленных чеков ${num(p, 'receipts')}, закрытых записей очереди ошибок ${num(p, 'dlq')}`,
  shift_opened: (p) =>
    `Смена № ${str(p, 'shift_number')} открыта${typeof p.cashier === 'string' ? `, кассир ${p.cashier}` : ''} (ФД ${str(p, 'fd_number')})`,
  shift_closed: (p) =>
    `Смена № ${str(p, 'shift_number')} закрыта, Z-отчёт${p.fd_number ? ` ФД ${str(p, 'fd_number')}` : ''}: продажи ${money(p, 'sales_kop')}, возвраты ${money(p, 'refunds_kop')}`,
  x_report: (p) =>
    `X-отчёт по смене № ${str(p, 'shift_number')}: продажи ${money(p, 'sales_kop')}, возвраты ${money(p, 'refunds_kop')}`,
  cash_in: (p) => `Внесение ${money(p, 'amount_kop')} (документ № ${str(p, 'document_number')})`,
  cash_out: (p) => `Выплата ${money(p, 'amount_kop')} (документ № ${str(p, 'document_number')})`,
  drawer_opened: (p) =>
    `Денежный ящик открыт (${DRAWER_WHY_RU[str(p, 'reason')] ?? str(p, 'reason')})${by(p)}`,
  drawer_failed: (p) =>
    `Денежный ящик не открылся (${DRAWER_WHY_RU[str(p, 'reason')] ?? str(p, 'reason')}): ${str(p, 'error')}${by(p)}`,
  receipt_copy_printed: (p) =>
    `Напечатана копия чека ФД ${str(p, 'fd_number')}${by(p)}${p.qr === 'text' ? `; QR-код напечатан текстом — ${qrAsText(p)}` : ''}`,
  buffer_lost: (p) =>
    `Буфер чеков новый, а в ККТ (ФН ${str(p, 'fn_number')}) есть документы до ФД ${str(p, 'kkt_last_fd')}: буфер утерян. Продажи заблокированы, пока менеджер не подтвердит`,
  buffer_loss_acknowledged: (p) =>
    `Утерю буфера подтвердил ${byWord(p, BY_RU) || '—'}${via(p)}: документов до ФД ${str(p, 'kkt_last_fd')} в буфере нет; продажи возобновлены`,
  catalog_imported: (p) =>
    `Каталог товаров: добавлено ${num(p, 'inserted')}, обновлено ${num(p, 'updated')}${by(p)}`,
  catalog_item_deleted: (p) => `Каталог товаров: удалён товар с кодом ${str(p, 'code')}${by(p)}`,
  quick_keys_set: (p) =>
    `Список быстрых клавиш заменён: ${num(p, 'count')} ${pluralRu(num(p, 'count'), ['клавиша', 'клавиши', 'клавиш'])}${by(p)}`,
  data_dir_moved: (p) => `Данные перенесены из ${str(p, 'from')} в ${str(p, 'to')} (папка прежней версии)`,
  data_dir_left_behind: (p) =>
    `Данные прежней версии остались в ${str(p, 'from')}; касса работает с ${str(p, 'to')} и их не трогала`,
};

/** Why a receipt is in the failed-sends queue, for the manager. */
export function DLQ_REASON_RU(why: DlqReason): string {
  switch (why.code) {
    case 'ofd_rejected':
      return `ОФД отклонил чек (код ответа ${why.status})${why.detail ? `. Ответ ОФД: ${why.detail}` : ''}`;
    case 'attempts_exhausted':
      return `Все попытки отправки в ОФД (${why.attempts}) не удались`;
  }
}
