// Russian: the default language of the till. en.ts has exactly the same keys (checked by the type).
// One flat dictionary, longer than 400 lines because it is a list of every word the till shows.
import { formatQuantity, pluralRu } from '../format.ts';
import { unitShort } from '../../shared/units.ts';
import type { CommandError } from '../../shared/errors.ts';
import { TAX_SYSTEM_LABELS_RU } from '../../shared/tax-systems.ts';
import { discountRu } from './discount-words.ts';
import { fnRelayRu } from './fn-relay-words.ts';
import { DLQ_REASON_RU, JOURNAL_TEXT_RU } from './journal-ru.ts';
import { ofdFailureRu } from './ofd-failure-words.ts';
import { searchRu } from './search-ru.ts';

const receipts = (n: number) => `${n} ${pluralRu(n, ['чек', 'чека', 'чеков'])}`;
const days = (n: number) => `${n} ${pluralRu(n, ['день', 'дня', 'дней'])}`;

export const ru = {
  ...discountRu,
  ...fnRelayRu,
  appTitle: 'Касса',
  pos: (id: string) => `Касса ${id}`,
  switchLanguage: 'English',
  switchLanguageLang: 'en',
  connecting: 'Подключение к кассовому модулю…',
  noConnection: (msg: string) => `Нет связи с кассовым модулем: ${msg}. Повторяем попытку…`,
  host: (h: string) => `Хост: ${h === 'electron' ? 'приложение' : 'браузер'}`,

  // Navigation
  navLabel: 'Разделы',
  navSale: 'Продажа',
  navRefund: 'Возврат',
  navShift: 'Смена',
  navStatus: 'Состояние',
  navManager: 'Менеджер',
  navSupport: 'Поддержка',

  // Header / status chip
  statusRegion: 'Состояние кассы',
  chipOnline: 'Онлайн',
  chipDegraded: 'Связь с ОФД нестабильна',
  chipOffline: 'Офлайн',
  chipWaiting: (n: number) => (n === 1 ? `${receipts(n)} ждёт отправки` : `${receipts(n)} ждут отправки`),
  chipOldest: (age: string) => `старейший ${age}`,
  chipNoneWaiting: 'очередь пуста',
  chipDeadLetters: (n: number) => `в очереди ошибок отправки: ${receipts(n)}`,
  breakerLabel: 'Связь с ОФД',
  breakerState: { CLOSED: 'в норме', OPEN: 'пауза после сбоев', HALF_OPEN: 'пробная отправка' } as Record<
    string,
    string
  >,
  breakerNext: (time: string) => `след. попытка ${time}`,
  lastRun: 'Последняя синхронизация',
  never: 'ещё не было',
  emulatorBadge: 'ЭМУЛЯТОР ККТ — не фискальное устройство',
  alertsRegion: 'Предупреждения',
  capWarning: (pct: number, q: number, cap: number) =>
    `Буфер заполнен на ${pct} % (${q} из ${cap}). Проверьте связь с ОФД.`,
  capCritical: (pct: number, q: number, cap: number) =>
    `Буфер почти полон: ${pct} % (${q} из ${cap}). Скоро продажи будут заблокированы — нужна синхронизация с ОФД.`,
  capFull: (q: number, cap: number) =>
    `Буфер заполнен: ${q} из ${cap}. Новые чеки не принимаются. Менеджеру: восстановите связь с ОФД и синхронизируйте.`,
  fnWarning: (d: number, left: number) =>
    `ФН: старейший неотправленный в ОФД документ лежит ${days(d)}. Через ${days(left)} ФН заблокируется (лимит 30 дней). Восстановите связь с ОФД.`,
  fnCritical: (d: number) =>
    `ФН: неотправленный документ лежит ${days(d)} — лимит 30 дней исчерпан, ФН может заблокировать продажи. Срочно восстановите связь с ОФД.`,
  shiftExpiredAlert:
    'Смена длится больше 24 часов — продажи заблокированы. Закройте смену (Z-отчёт) и откройте новую.',
  shiftEnding: (left: string) =>
    `Смена скоро превысит 24 часа: через ${left} продажи будут заблокированы. Закройте смену (Z-отчёт) и откройте новую.`,
  fnExpiring: (date: string, d: number) =>
    d >= 0
      ? `ФН: срок действия заканчивается ${date} (осталось ${days(d)}). Замените фискальный накопитель до этой даты.`
      : `ФН: срок действия истёк ${date} — чеки не печатаются. Замените фискальный накопитель.`,
  fnFlagAlert: {
    replace_urgent: 'ФН: срочная замена — до конца срока действия осталось не больше 3 дней.',
    replace_soon: 'ФН: срок действия заканчивается в ближайшие 30 дней — запланируйте замену.',
    memory_almost_full: 'Память ФН заполнена на 90 % — запланируйте замену фискального накопителя.',
    ofd_timeout:
      'ФН: превышено время ожидания ответа ОФД — проверьте подключение ККТ к интернету и настройки ОФД.',
    unknown: 'ФН сообщает о неизвестном предупреждении — обратитесь в сервисный центр.',
  } as Record<string, string>,
  taxMismatch: (configured: string, registered: string) =>
    `Система налогообложения «${configured}» из настроек не зарегистрирована в ККТ (зарегистрированы: ${registered}). Продажи заблокированы — менеджеру: выберите одну из зарегистрированных.`,
  taxNotChosen: (registered: string) =>
    `ККТ зарегистрирована для нескольких систем налогообложения (${registered}), а в настройках не выбрана ни одна. Продажи заблокированы — менеджеру: укажите систему налогообложения.`,
  taxNoneRegistered:
    'ККТ не сообщает ни одной зарегистрированной системы налогообложения — обратитесь в сервисный центр.',
  kktProblemAlert: (p: string) => `ККТ: ${p}`,
  kktPaperOut: 'В ККТ закончилась бумага. Заправьте ленту и нажмите «Продолжить печать».',
  kktDisconnected: 'ККТ не отвечает. Проверьте питание и кабель.',
  continuePrint: 'Продолжить печать',
  goToShift: 'Перейти к смене',
  dismiss: 'Закрыть',

  // Scanner (sale screen)
  scanUnknown: (code: string) => `Товар со штрихкодом ${code} не найден в каталоге.`,
  scanMisread: (code: string) =>
    `Штрихкод ${code} считан с ошибкой (неверная контрольная цифра). Отсканируйте ещё раз.`,
  scanWeightUnknown: (item: string, code: string) =>
    `Весовой товар с кодом ${item} (этикетка ${code}) не найден в каталоге.`,
  scanAddToCatalog: 'Добавить в каталог',
  scanReceiptQrOnSale: 'Это QR-код кассового чека, а не товар. Возврат по чеку — в разделе «Возврат».',
  scanGoToRefund: 'Перейти к возврату',
  scanNeedsWeight: (name: string) => `«${name}» — весовой товар: введите вес в килограммах и нажмите Enter.`,
  scanNeedsPrice: (name: string) => `«${name}»: введите цену и нажмите Enter.`,

  // Sale
  saleTitle: 'Продажа',
  newLineTitle: 'Новая строка',
  editLineTitle: 'Изменение строки',
  itemName: 'Наименование',
  itemNameHint:
    'Сканируйте товар (в любом поле) или введите название, Enter — к количеству. «3*», затем скан — три штуки.',
  quantity: 'Количество',
  quantityShort: 'Кол-во',
  price: 'Цена',
  vat: 'НДС',
  vatOptions: {
    vat22: '22 %',
    vat20: '20 %',
    vat10: '10 %',
    vat122: '22/122',
    vat0: '0 %',
    vat7: '7 %',
    vat5: '5 %',
    vat120: '20/120',
    vat110: '10/110',
    vat107: '7/107',
    vat105: '5/105',
    none: 'без НДС',
  } as Record<string, string>,
  addLine: 'Добавить строку',
  saveLine: 'Сохранить строку',
  cancelEdit: 'Отменить изменение',
  lineAmount: 'Сумма',
  linesTable: 'Строки чека',
  linesEmpty:
    'Чек пуст. Отсканируйте товар или введите наименование, количество и цену — Enter добавляет строку.',
  actions: 'Действия',
  editLine: (name: string) => `Изменить строку «${name}»`,
  removeLine: (name: string) => `Удалить строку «${name}»`,
  total: 'Итого',
  pay: 'Оплатить',
  payHint: 'F2 или Ctrl+Enter',
  clearSale: 'Очистить чек',
  confirmClearTitle: 'Очистить чек?',
  confirmClearText: (n: number, total: string) =>
    `Все строки чека (${n}) на сумму ${total} будут удалены. Enter — очистить, Esc — вернуться к чеку.`,
  confirmRemoveTitle: 'Удалить строку?',
  confirmRemoveText: (name: string) =>
    `Строка «${name}» будет удалена из чека. Enter — удалить, Esc — оставить.`,
  confirmRemove: 'Удалить строку',
  errNameRequired: 'Введите наименование товара.',
  errNameTooLong: 'Не длиннее 128 символов: ККТ больше не печатает.',
  errQuantity: 'Количество — положительное число, не больше 3 знаков после запятой, например 1 или 0,25.',
  errPrice: 'Цена — сумма в рублях, не больше 2 знаков после запятой, например 199,90.',
  errZeroTotal: 'Сумма строки 0,00 ₽ — проверьте цену и количество.',
  errTooManyLines: 'В чеке не больше 100 строк.',

  // Payment
  paymentTitle: 'Оплата',
  refundPaymentTitle: 'Возврат: способ выплаты',
  paymentMethod: 'Способ оплаты',
  payCash: 'Наличные',
  payCard: 'Карта',
  paySplit: 'Смешанная',
  payOther: 'Иная',
  /** A receipt with no payment above 0 (a correction, an old row): a dash, and words for a screen reader. */
  payNone: '—',
  payNoneName: 'без оплаты',
  toPay: 'К оплате',
  cashReceived: 'Получено наличными',
  cardPart: 'Картой',
  cashPart: 'Наличными',
  change: 'Сдача',
  printReceipt: 'Пробить чек',
  printing: 'Печать…',
  cancel: 'Отмена',
  errCashLess: (due: string) => `Получено меньше, чем нужно наличными (${due}).`,
  errCardMore: 'Оплата картой не может быть больше суммы чека.',
  errAmount: 'Введите сумму в рублях, например 500 или 199,90.',
  retryHint:
    'Ничего не потеряно: исправьте причину и нажмите «Пробить чек» ещё раз — повтор не напечатает чек дважды.',

  // Electronic receipt (tag 1008), receipt copy, cash drawer, marked goods
  buyerContact: 'Телефон или e-mail покупателя',
  buyerContactHint: 'Необязательно: электронный чек придёт по SMS или на почту',
  errBuyerContact: 'Введите телефон (+7 916 123-45-67 или 8 916 123-45-67) или e-mail (name@example.ru).',
  receiptCopy: 'Копия чека',
  receiptCopyHint: 'F9 — копия последнего чека (не фискальный документ)',
  receiptCopyDone: (fd: number) => `Копия чека ФД ${fd} напечатана.`,
  drawerFailed: (why: string) =>
    `Денежный ящик не открылся: ${why}. Чек пробит — откройте ящик ключом или попросите менеджера («Открыть ящик»).`,
  drawerTitle: 'Денежный ящик',
  drawerOpen: 'Открыть ящик',
  drawerOpened: 'Денежный ящик открыт.',
  drawerNone: 'На этой кассе нет денежного ящика. Откройте ящик ключом.',
  markTitle: 'Код маркировки',
  markLabel: 'Код маркировки (DataMatrix)',
  markHint: (name: string) =>
    `«${name}» — маркированный товар: отсканируйте DataMatrix с упаковки или введите код.`,
  markAdd: 'Добавить',
  errMarkCode: 'Это не код маркировки: отсканируйте DataMatrix на упаковке (не штрихкод EAN).',
  errMarkTwice: 'Этот код уже есть в чеке: у каждой единицы товара свой код.',
  errMarkedQty:
    'Количество маркированного товара задаёт его код: одна единица на код. Чтобы продать ещё, отсканируйте код следующей единицы.',
  markedQtyHint: 'Задано кодом маркировки',

  // Result
  resultTitle: 'Чек пробит',
  refundResultTitle: 'Возврат пробит',
  fdNumber: 'ФД',
  fiscalSign: 'ФП',
  shiftReceipt: 'Смена / чек',
  fiscalDatetime: 'Дата и время',
  fnNumber: 'ФН',
  qrAlt: 'QR-код чека',
  newSale: 'Новый чек',
  receiptTotal: 'Сумма чека',

  // Shift
  shiftTitle: 'Смена',
  shiftOpenState: (n: number) => `Смена № ${n} открыта`,
  shiftClosedState: 'Смена закрыта',
  shiftOpenedAt: 'Открыта',
  shiftAge: 'Длительность',
  shiftOver24: 'Смена длится больше 24 часов: продажи заблокированы до закрытия смены (Z-отчёт).',
  cashierName: 'Кассир',
  openShift: 'Открыть смену',
  xReport: 'X-отчёт',
  closeShift: 'Z-отчёт и закрытие смены',
  closeShiftTitle: 'Закрытие смены',
  closeShiftConfirm: 'Закрыть смену',
  /** `failed` of the `n` are in the failed-sends queue: they go again only when a manager sends them. */
  closeShiftUnsent: (n: number, failed: number) =>
    `В ОФД не отправлено: ${receipts(n)}. ` +
    (failed === 0
      ? 'Они уйдут в ОФД после закрытия смены, как только он ответит. '
      : failed < n
        ? 'Ждущие уйдут в ОФД после закрытия смены, как только он ответит. '
        : '') +
    (failed > 0
      ? `${receipts(failed)} в очереди ошибок отправки сами не уйдут: отправьте их заново в «Менеджер» → «Очередь ошибок отправки». `
      : '') +
    'Закрыть смену всё равно?',
  closeShiftAnyway: 'Всё равно закрыть',
  closeReport: 'Закрыть отчёт',
  closeShiftNoPin: 'PIN менеджера ещё не задан. Задайте его в разделе «Менеджер», затем закройте смену.',
  managerPin: 'PIN менеджера',
  cashOpsTitle: 'Внесение и выплата',
  cashAmount: 'Сумма',
  cashIn: 'Внесение',
  cashOut: 'Выплата',
  cashDone: (kind: 'in' | 'out', amount: string, drawer: string) =>
    `${kind === 'in' ? 'Внесено' : 'Выплачено'} ${amount}. В кассе: ${drawer}.`,
  totalsTitle: 'Итоги смены',
  totalsRow: 'Показатель',
  colCash: 'Наличные',
  colCard: 'Карта',
  colOther: 'Прочее',
  colTotal: 'Всего',
  colCount: 'Чеков',
  sales: 'Продажи',
  refunds: 'Возвраты',
  cashInTotal: 'Внесения',
  cashOutTotal: 'Выплаты',
  cashBalance: 'Наличных в кассе',
  reportX: 'X-отчёт',
  reportZ: 'Z-отчёт',
  reportDevice: 'По данным ККТ',
  reportUnsent: 'Не отправлено в ОФД',
  reportFd: 'ФД отчёта',
  shiftOpened: (n: number) => `Смена № ${n} открыта.`,
  shiftClosed: (n: number) => `Смена № ${n} закрыта, Z-отчёт напечатан.`,

  // Refund
  refundTitle: 'Возврат',
  searchReceipt: 'Поиск чека',
  searchHint: 'Номер ФД или сумма чека, например 1024 или 199,90',
  search: 'Найти',
  showRecent: 'Последние чеки',
  receiptsTable: 'Чеки',
  colFd: 'ФД',
  colDate: 'Дата',
  colAmount: 'Сумма',
  colState: 'Состояние',
  colType: 'Тип',
  colPayment: 'Оплата',
  colFn: 'ФН',
  noReceipts: 'Чеки не найдены.',
  pick: 'Выбрать',
  pickReceipt: (n: string, when: string, amount: string, payment: string, fnTail: string | null) =>
    `Выбрать чек ${n} от ${when}, ${amount}, ${payment.toLowerCase()}${fnTail ? `, ФН ${fnTail}` : ''}`,
  selectedReceipt: (n: string, fnTail: string | null) =>
    `Возврат по чеку ${n}${fnTail ? `, ФН ${fnTail}` : ''}`,
  refundLinesTable: 'Строки к возврату',
  sold: 'Продано',
  toReturn: 'Вернуть',
  returnLine: (name: string) => `Вернуть строку «${name}»`,
  returnQty: (name: string) => `Количество к возврату «${name}»`,
  refundPayment: 'Выплата возврата',
  refundCash: 'Наличными',
  refundCard: 'На карту',
  refundTotal: 'Сумма возврата',
  doRefund: 'Оформить возврат',
  backToList: 'К списку чеков',
  refundNothing: 'Отметьте хотя бы одну строку с количеством больше нуля.',
  refundCashManager: 'Наличными (PIN менеджера)',
  refundBeforeSyncNote:
    'Этот чек ещё не принят ОФД. Вернуть сейчас можно только с PIN менеджера — возврат уйдёт в ОФД после продажи. Без PIN дождитесь синхронизации.',
  refundCardSaleNote:
    'Продажа оплачена картой: возврат идёт на карту. Выплата наличными — только с PIN менеджера.',
  refundPinOptional: 'Только если возврат разрешает менеджер; 4–8 цифр',
  oldSaleHint: 'Чека нет в списке (старше срока хранения)?',
  oldSaleButton: 'Возврат по номеру ФД',
  oldSaleTitle: 'Возврат по старому чеку',
  oldSaleNote:
    'Для продажи, которой уже нет на кассе: номер ФД и сумма — с чека покупателя. ККТ сверит их со своим архивом. Нужен PIN менеджера.',
  oldFd: 'Номер ФД чека продажи',
  oldSaleTotal: 'Сумма чека продажи',
  oldItemName: 'Что возвращают (наименование)',
  oldRefundAmount: 'Сумма возврата',
  errOldFd: 'Введите номер ФД — целое число с чека.',
  errOldName: 'Введите наименование возвращаемого товара.',
  errOldAmountAboveSale: 'Сумма возврата больше суммы чека.',
  // Refund at the counter: the receipt's QR, what is left of each line, the confirmation
  scanReceiptQr: 'Отсканируйте QR-код с чека покупателя — или найдите чек по номеру ФД или сумме.',
  refunded: 'Возвращено',
  leftToRefund: 'Осталось',
  refundLineLeft: (line: number, name: string, left: string) =>
    left === '0'
      ? `Строка ${line} «${name}»: уже возвращена полностью.`
      : `Строка ${line} «${name}»: можно вернуть не больше ${left}.`,
  allRefunded: 'По этому чеку всё уже возвращено.',
  qrMalformed:
    'Это не QR-код кассового чека (в нём нет номера ФД и суммы). Найдите чек по номеру ФД или сумме.',
  confirmRefundTitle: 'Проверьте возврат',
  confirmRefundHow: (how: string, amount: string) => `Вернуть покупателю ${amount} ${how}.`,
  payoutCash: 'наличными',
  payoutCard: 'на карту',
  confirmRefund: 'Подтвердить возврат',
  changeRefund: 'Изменить',
  receiptTypes: { sale: 'Продажа', refund: 'Возврат' } as Record<string, string>,
  receiptStates: {
    accepted: 'принят',
    printing: 'печатается',
    printed: 'напечатан, ждёт ОФД',
    synced: 'принят ОФД',
    print_failed: 'не напечатан',
    dead: 'в очереди ошибок',
    voided: 'аннулирован',
  } as Record<string, string>,

  // Status panel
  statusTitle: 'Состояние',
  bufferTitle: 'Буфер чеков',
  bufferFill: 'Заполнение буфера',
  bufferOf: (q: number, cap: number, pct: number) => `${q} из ${cap} (${pct} %)`,
  pending: 'Ждут отправки',
  synced: 'Отправлено в ОФД',
  failed: 'Не напечатаны',
  unprintedHint: (n: number) =>
    `Не напечатаны: ${n}. Они не ждут отправки в ОФД: пробейте или аннулируйте их в разделе менеджера.`,
  dlq: 'Очередь ошибок отправки',
  oldestPending: 'Старейший неотправленный',
  levels: 'Пороги: 80 % — предупреждение, 90 % — критично, 100 % — продажи остановлены',
  breakerTitle: 'Связь с ОФД',
  breakerHint: (n: number) =>
    `После ${n} сбоев подряд касса делает паузу в отправке и сама пробует снова; чеки ждут в буфере.`,
  breakerStateLabel: 'Состояние',
  failures: 'Ошибок подряд',
  totalFailures: 'Ошибок всего',
  nextAttempt: 'Следующая попытка',
  lastFailure: 'Последняя ошибка',
  networkLabel: 'Связь',
  network: { online: 'онлайн', degraded: 'нестабильна', offline: 'офлайн' } as Record<string, string>,
  workerTitle: 'Синхронизация',
  workerRunning: 'Работает',
  workerNow: 'Сейчас идёт отправка',
  lastRunAt: 'Последний запуск',
  nextRunAt: 'Следующий запуск',
  backoff: 'Пауза после ошибок',
  seconds: (n: string) => `${n} с`,
  lastError: 'Последняя ошибка',
  workerTotals: 'Всего: отправлено / ошибок / в очередь ошибок',
  yes: 'да',
  no: 'нет',
  none: '—',
  kktTitle: 'ККТ',
  kktConnected: 'Подключена',
  kktDevice: 'Устройство',
  kktMode: 'Режим',
  kktModes: {
    ready: 'готова',
    printing: 'печать',
    paper_out: 'нет бумаги',
    awaiting_continue: 'ждёт продолжения печати',
    unknown: 'неизвестно',
  } as Record<string, string>,
  kktShift: 'Смена',
  kktShiftValue: (n: number, open: boolean, age: string) =>
    open ? `№ ${n}, открыта ${age}` : `№ ${n}, закрыта`,
  kktPaper: 'Бумага',
  kktPaperOk: 'есть',
  kktPaperNo: 'нет',
  kktCover: 'Крышка',
  kktCoverOpen: 'открыта',
  kktCoverClosed: 'закрыта',
  kktUnsent: 'Не отправлено в ОФД (ФН)',
  kktOldestUnsent: 'Старейший неотправленный',
  kktOldestValue: (date: string, d: number) => `${date} — ${days(d)} из 30`,
  kktLastFd: 'Последний ФД',
  kktTaxSystems: 'Системы налогообложения ККТ',
  kktTaxSystem: 'Применяемая система налогообложения',
  kktTaxSystemNone: 'не выбрана — продажи заблокированы',
  kktFfd: 'Версия ФФД',
  kktFnExpires: 'ФН действует до',
  kktFnExpiresValue: (date: string, d: number) =>
    d >= 0 ? `${date} (осталось ${days(d)})` : `${date} (истёк)`,
  kktFnWarnings: 'Предупреждения ФН',
  taxSystemNames: TAX_SYSTEM_LABELS_RU as Record<string, string>,
  fnWarningNames: {
    replace_urgent: 'срочная замена (≤ 3 дней)',
    replace_soon: 'замена в течение 30 дней',
    memory_almost_full: 'память заполнена на 90 %',
    ofd_timeout: 'превышено время ожидания ОФД',
    unknown: 'неизвестное предупреждение',
  } as Record<string, string>,
  kktNotAvailable: 'Нет данных о ККТ.',
  snapshotAt: 'Обновлено',

  // Manager
  managerTitle: 'Менеджер',
  catalogTitle: 'Каталог товаров',
  catalogCount: (n: number) =>
    `В каталоге ${n} ${pluralRu(n, ['товар', 'товара', 'товаров'])} (показаны первые).`,
  catalogImportTitle: 'Загрузка из файла CSV',
  catalogImportHint:
    'Файл из 1С или МойСклад: строка заголовков code,name,price,vat_rate,barcodes,unit,weighed,marked; разделитель «,» или «;»; UTF-8 или Windows-1251.',
  catalogFile: 'Файл каталога (CSV)',
  catalogImport: 'Загрузить файл',
  catalogImported: (rows: number, added: number, updated: number, enc: string) =>
    `Загружено товаров: ${rows} (новых ${added}, обновлено ${updated}; кодировка ${enc}).`,
  catalogRejected: 'Каталог не изменён: ни одна строка не сохранена. Исправьте ошибки и загрузите снова:',
  catalogFormTitle: 'Товар',
  catalogCode: 'Код товара',
  catalogName: 'Наименование товара',
  catalogPrice: 'Цена, ₽',
  catalogVat: 'Ставка НДС',
  catalogUnit: 'Единица измерения',
  catalogBarcodes: 'Штрихкоды',
  catalogBarcodesHint: 'Несколько штрихкодов — через «|» или пробел.',
  catalogWeighed: 'Весовой товар',
  catalogMarked: 'Маркированный товар (Честный знак)',
  catalogFreePrice: 'Цену вводит кассир',
  catalogSave: 'Сохранить товар',
  catalogNew: 'Новый товар',
  catalogSaved: (name: string, isNew: boolean) => `Товар «${name}» ${isNew ? 'добавлен' : 'сохранён'}.`,
  catalogSearch: 'Найти в каталоге',
  catalogEdit: (name: string) => `Изменить товар «${name}»`,
  catalogList: 'Товары каталога',
  ...searchRu,
  setPinTitle: 'Задайте PIN менеджера',
  setPinIntro:
    'PIN менеджера ещё не задан. Он нужен для синхронизации, очереди ошибок, настроек и закрытия смены.',
  newPin: 'Новый PIN',
  repeatPin: 'Повторите PIN',
  currentPin: 'Текущий PIN',
  setPin: 'Задать PIN',
  pinHint: '4–8 цифр',
  errPinFormat: 'PIN — от 4 до 8 цифр.',
  errPinMismatch: 'PIN не совпадает с повтором.',
  // Cashiers: sign-in, lock, the cashiers panel
  signInTitle: 'Вход кассира',
  firstStartTitle: 'Первый запуск: создайте менеджера',
  firstStartIntro:
    'Менеджер входит в кассу, добавляет кассиров и своим PIN подтверждает действия менеджера. Имя печатается в каждом чеке.',
  cashierSelect: 'Кассир',
  cashierPin: 'PIN кассира',
  cashierFullName: 'Имя (печатается в чеке)',
  cashierInnOptional: 'ИНН (необязательно)',
  innHint: '12 цифр',
  innShort: 'ИНН',
  cashierNewPin: 'PIN для входа',
  cashierRepeatPin: 'PIN для входа ещё раз',
  errInn: 'ИНН — 12 цифр с верными контрольными цифрами.',
  errCashierName: 'Введите имя кассира.',
  createManager: 'Создать менеджера',
  signInWrongPin: 'Неверный PIN. Попробуйте ещё раз.',
  signIn: 'Войти',
  lockedTitle: (name: string) => `Касса заблокирована. Кассир: ${name}`,
  unlock: 'Разблокировать',
  lockTill: 'Заблокировать',
  lockTillLabel: 'Заблокировать кассу (Alt+L)',
  changeCashier: 'Сменить кассира',
  cashierBar: 'Кассир и смена',
  signedInAs: (name: string, role: string) => `Кассир: ${name} (${role})`,
  roleName: { cashier: 'кассир', manager: 'менеджер' } as Record<string, string>,
  shiftChip: (open: boolean, n: number) => (open ? `Смена № ${n} открыта` : 'Смена закрыта'),
  cashiersTitle: 'Кассиры',
  addCashier: 'Добавить кассира',
  cashierRole: 'Роль',
  cashierAdded: (name: string) => `Добавлен: ${name}.`,
  cashierListEmpty: 'Кассиров пока нет.',
  loginTitle: 'Вход менеджера',
  login: 'Войти',
  logout: 'Выйти из режима менеджера',
  pinSaved: 'PIN сохранён.',
  correctionTitle: 'Чек коррекции',
  correctionHint:
    'Исправляет расчёт, который не был пробит или пробит неверно. Нужны дата и номер документа-основания (акта или предписания).',
  correctionOperation: 'Исправляемый расчёт',
  correctionOfSale: 'Приход',
  correctionOfRefund: 'Возврат прихода',
  correctionKind: 'Тип коррекции',
  correctionSelf: 'Самостоятельно',
  correctionOrder: 'По предписанию налогового органа',
  correctionDate: 'Дата документа-основания',
  correctionNumber: 'Номер документа-основания',
  correctionMeasure: 'Единица измерения',
  correctionPayment: 'Оплата',
  correctionPrint: 'Пробить чек коррекции',
  correctionPrinted: (fd: number) => `Чек коррекции пробит: ФД ${fd}.`,
  correctionErrDate: 'Укажите дату документа-основания.',
  correctionErrNumber: 'Укажите номер документа-основания.',
  correctionErrName: 'Укажите наименование.',
  correctionErrPrice: 'Цена — число больше нуля, например 45,50.',
  correctionErrQuantity: 'Количество — число больше нуля, до трёх знаков после запятой.',
  syncTitle: 'Синхронизация с ОФД',
  syncHeldBack: (reason: string, next: string | null) =>
    `ОФД по-прежнему не отвечает, чеки остались в очереди: ${reason}.${next ? ` Следующая автоматическая попытка в ${next}.` : ''}`,
  syncNow: 'Синхронизировать сейчас',
  syncProgress: 'Ход синхронизации',
  syncProgressText: (done: number, total: number) => `${done} из ${total}`,
  syncResult: (s: number, f: number, sk: number, d: number, ms: number) =>
    `Готово: отправлено ${s}, ошибок ${f}, пропущено ${sk}, в очередь ошибок ${d} (${(ms / 1000).toLocaleString('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} с).`,
  dlqTitle: 'Очередь ошибок отправки',
  dlqRefresh: 'Обновить список',
  dlqEmpty: 'Очередь ошибок пуста.',
  dlqReceipt: 'Чек',
  dlqReason: 'Причина',
  dlqAttempts: 'Попыток',
  dlqMoved: 'Помещён',
  dlqResolved: (at: string, by: string, note: string) => `Закрыт ${at}${by ? ` (${by})` : ''}: ${note}`,
  dlqRetry: (n: string) => `Повторить отправку чека ${n}`,
  dlqResolve: (n: string) => `Закрыть запись чека ${n}`,
  dlqResolveTitle: 'Закрыть запись очереди ошибок',
  dlqNote: 'Примечание',
  dlqNoteHint: 'Что сделано, например «передан в ОФД вручную, заявка 123»',
  dlqResolveConfirm: 'Закрыть с примечанием',
  dlqRetried: (n: string) => `Чек ${n} возвращён в очередь отправки.`,
  dlqResolvedDone: (n: string) => `Запись чека ${n} закрыта.`,
  unprintedTitle: 'Не напечатаны',
  unprintedIntro:
    'Чеки сохранены, но ККТ их не пробила: запрос прервался вместе с кассой или ККТ отказала. В ОФД они не уходят. Пробейте чек, если покупка состоялась, иначе аннулируйте. Через 24 часа и при закрытии смены (Z-отчёт) они аннулируются сами.',
  unprintedEmpty: 'Ненапечатанных чеков нет.',
  unprintedCreated: 'Создан',
  unprintedPrint: (n: string) => `Пробить чек ${n}`,
  unprintedVoid: (n: string) => `Аннулировать чек ${n}`,
  unprintedVoidTitle: 'Аннулировать чек',
  unprintedVoidConfirm: 'Аннулировать',
  unprintedPrinted: (n: string, fd: number | null) => `Чек ${n} пробит${fd !== null ? `: ФД ${fd}` : ''}.`,
  unprintedVoided: (n: string) => `Чек ${n} аннулирован.`,
  settingsTitle: 'Настройки',
  kktPort: 'Порт ККТ',
  kktPortHint: 'Например COM3, /dev/ttyUSB0, tcp://192.168.1.50:7778 или emulator',
  kktBaud: 'Скорость порта',
  ofdUrl: 'Адрес ОФД',
  ofdToken: 'Токен ОФД',
  ofdTokenSet: 'задан',
  ofdTokenNotSet: 'не задан',
  ofdTokenHint: (set: string) => `Сейчас: ${set}. Оставьте пустым, чтобы не менять.`,
  bufferCapacity: 'Ёмкость буфера',
  saveSettings: 'Сохранить настройки',
  settingsSaved: 'Настройки сохранены.',
  restartRequired: 'Часть изменений вступит в силу после перезапуска приложения.',
  errCapacity: 'Ёмкость — целое число от 1.',
  errBaud: 'Скорость — целое положительное число.',
  errOfdToken:
    'Токен ОФД — латинские буквы, цифры и знаки без пробелов, как его выдал ОФД. Скопируйте его ещё раз.',
  changePinTitle: 'Смена PIN менеджера',
  changePin: 'Сменить PIN',
  pinWrongLogout: 'Неверный PIN — войдите снова.',

  // Support
  supportTitle: 'Поддержка',
  exportDiag: 'Экспорт диагностики',
  exportDiagHint: 'Один архив: журналы, состояние, последние события; секреты скрыты.',
  exportDone: (f: string) => `Файл ${f} сохранён.`,
  journalTitle: 'Журнал событий',
  journalTable: 'События',
  colTime: 'Время',
  colKind: 'Событие',
  colMessage: 'Сообщение',
  journalEmpty: 'Событий пока нет.',
  journalFilter: 'Фильтр журнала',
  reload: 'Обновить',

  // Generic
  working: 'Выполняется…',
  printUnconfirmed:
    'ККТ не подтвердила печать: чек сохранён, касса сверяет его с архивом ККТ. Не пробивайте продажу заново — проверьте ККТ и нажмите «Пробить чек» ещё раз: чек будет напечатан не более одного раза.',
  earlierAttemptPrinted: (fd: number | null) =>
    `Прежний вариант этого чека уже напечатан${fd ? ` (ФД ${fd})` : ''}; изменения не применены. Если чек неверен, оформите возврат.`,
  managerIdleLogout: 'Режим менеджера закрыт после 3 минут бездействия. Введите PIN снова.',
  hostLost: 'Нет связи с кассовым модулем — проверьте, что программа кассы запущена',
  unexpected: (m: string) => `Непредвиденная ошибка: ${m}`,

  /** Journal event kinds: the «Событие» column and part of what the journal filter searches. */
  journalKind: {
    station_started: 'Запуск кассы',
    station_stopped: 'Остановка кассы',
    receipt_added: 'Чек принят',
    receipt_printing: 'Печать чека',
    receipt_printed: 'Чек напечатан',
    receipt_print_failed: 'Чек не напечатан',
    receipt_recovered: 'Сверка с ККТ',
    receipt_synced: 'Принят ОФД',
    receipt_send_failed: 'Ошибка отправки в ОФД',
    receipt_dead: 'В очередь ошибок',
    receipt_voided: 'Чек аннулирован',
    receipt_retried: 'Повтор из очереди ошибок',
    dlq_resolved: 'Очередь ошибок: закрыто',
    breaker_opened: 'Связь с ОФД: пауза после сбоев',
    breaker_half_open: 'Связь с ОФД: пробная отправка',
    breaker_closed: 'Связь с ОФД восстановлена',
    sync_started: 'Синхронизация начата',
    sync_finished: 'Синхронизация завершена',
    config_changed: 'Настройки',
    retention_purged: 'Очистка архива',
    shift_opened: 'Смена открыта',
    shift_closed: 'Смена закрыта',
    x_report: 'X-отчёт',
    cash_in: 'Внесение',
    cash_out: 'Выплата',
    data_dir_moved: 'Данные перенесены',
    data_dir_left_behind: 'Данные в старой папке',
    catalog_changed: 'Каталог товаров',
    drawer_opened: 'Денежный ящик открыт',
    drawer_failed: 'Денежный ящик не открылся',
    receipt_copy_printed: 'Копия чека',
    buffer_lost: 'Буфер чеков утерян',
    buffer_loss_acknowledged: 'Утеря буфера подтверждена',
  } as Record<string, string>,
  /** The journal's entries, by code with parameters (journal-ru.ts). */
  journalText: JOURNAL_TEXT_RU,
  /** Why a receipt is in the failed-sends queue (journal-ru.ts). */
  dlqReasonText: DLQ_REASON_RU,
  /** Why a send to the OFD failed, by code (ofd-failure-words.ts); the English message is the tooltip. */
  ofdFailureText: ofdFailureRu,

  /** The station's errors in the cashier's language, by code; anything unknown keeps the station's own words. */
  errorText: (e: CommandError): string => {
    const d = (e.details ?? {}) as Record<string, unknown>;
    const n = typeof d.receipt_number === 'string' ? d.receipt_number.replace(/^FD /, 'ФД ') : 'продажи';
    switch (e.code) {
      case 'buffer_full':
        return `Буфер заполнен: ${String(d.current_queued ?? '')}/${String(d.total_capacity ?? '')}. Новые чеки не принимаются, пока чеки не отправлены в ОФД. Менеджер: «Синхронизировать сейчас».`;
      case 'shift_expired':
        return 'Смена открыта больше 24 часов: продажи заблокированы. Закройте смену (Z-отчёт) и откройте новую.';
      case 'shift_closed':
        return 'Смена закрыта. Откройте смену в разделе «Смена».';
      case 'kkt_refused':
        return typeof d.kkt_message === 'string'
          ? `ККТ не напечатала чек: ${d.kkt_message}. Чек не фискализирован — устраните причину и повторите.`
          : e.message;
      case 'kkt_outcome_unknown':
        return 'ККТ приняла команду, но её ответ потерян: неизвестно, выполнена ли операция. Не повторяйте её — сначала проверьте по X-отчёту или архиву ККТ.';
      case 'tax_system_mismatch':
      case 'tax_system_not_chosen': {
        const name = (v: unknown) =>
          TAX_SYSTEM_LABELS_RU[v as keyof typeof TAX_SYSTEM_LABELS_RU] ?? String(v);
        const registered = Array.isArray(d.registered_tax_systems)
          ? d.registered_tax_systems.map(name).join(', ')
          : '';
        return e.code === 'tax_system_mismatch'
          ? ru.taxMismatch(name(d.configured_tax_system), registered)
          : ru.taxNotChosen(registered);
      }
      case 'kkt_unavailable':
        return 'ККТ не отвечает. Предыдущий чек сверяется с ККТ; новые чеки не печатаются до сверки. Проверьте питание и кабель ККТ.';
      case 'refund_not_allowed':
        switch (d.reason) {
          case 'not_synced':
            return `Возврат невозможен: чек ${n} ещё не принят ОФД. Менеджер: «Синхронизировать сейчас», затем повторите возврат — или введите PIN менеджера, чтобы вернуть сейчас.`;
          case 'card_sale':
            return `Возврат невозможен: чек ${n} оплачен картой — верните на карту. Наличными — только с PIN менеджера.`;
          case 'not_printed':
            return `Возврат невозможен: чек ${n} не был напечатан — возвращать нечего.`;
          case 'in_buffer':
            return `Чек ${n} ещё есть на кассе: найдите его в списке и верните по строкам.`;
          case 'fd_mismatch':
            return `Возврат невозможен: в архиве ККТ документ ${n} — не продажа на эту сумму. Проверьте номер ФД и сумму на чеке покупателя.`;
          case 'exceeds_sale':
            return `Возврат невозможен: вернуть больше, чем продано по чеку ${n}, нельзя.`;
          case 'exceeds_line': {
            const left = `${formatQuantity(Number(d.left_milli) || 0)} ${unitShort(Number(d.measure) || 0)}`;
            return ru.refundLineLeft(Number(d.line), String(d.name), Number(d.left_milli) ? left : '0');
          }
          case 'mark_mismatch':
            return `Возврат невозможен: маркированный товар возвращается с тем же кодом маркировки, с которым продан (чек ${n}).`;
          case 'no_such_line':
            return `Возврат невозможен: в чеке ${n} нет такой позиции (название, цена и НДС должны совпадать).`;
          case 'not_found':
            return 'Возврат невозможен: исходный чек не найден на этой кассе (неверный номер или чек старше срока хранения). Старый чек возвращают по номеру ФД и сумме с PIN менеджера.';
          default:
            return `Возврат невозможен: ${e.message}`;
        }
      case 'sale_not_found': {
        const fd = typeof d.fd_number === 'number' ? `ФД ${d.fd_number}` : '';
        switch (d.reason) {
          case 'unknown_fd':
            return `Чек ${fd} не найден на этой кассе: чек другой кассы или старше срока хранения. Старый чек возвращают по номеру ФД с PIN менеджера.`;
          case 'total_mismatch':
            return `Сумма не совпадает с суммой чека ${fd} на кассе. Проверьте чек покупателя.`;
          case 'fn_mismatch':
            return `Чек ${fd} напечатан другим фискальным накопителем — это чек другой кассы.`;
          case 'not_a_sale':
            return 'Это QR-код чека возврата, а не продажи. Отсканируйте чек продажи.';
          default:
            return 'Чек продажи не найден на этой кассе.';
        }
      }
      case 'sale_ambiguous':
        return `На этой кассе несколько чеков ${typeof d.fd_number === 'number' ? `ФД ${d.fd_number}` : 'с этим номером ФД'}: после замены фискального накопителя номера ФД начинаются заново. Отсканируйте QR-код чека покупателя или выберите чек в списке.`;
      case 'mark_rejected':
        return `Код маркировки позиции ${typeof d.line === 'number' ? d.line + 1 : ''} отклонён (${d.rejected_by === 'permit' ? 'разрешительный режим' : d.rejected_by === 'fn' ? 'ФН' : 'ОИСМ'}): ${String(d.reason ?? '')}. Чек не напечатан. Этот экземпляр товара продавать нельзя — возьмите другой.`;
      case 'idempotency_conflict':
        return 'Этот чек уже был отправлен с другими данными. Начните новый чек.';
      case 'sync_in_progress':
        return 'Синхронизация уже идёт — дождитесь её окончания.';
      case 'pin_wrong':
        return 'Неверный PIN менеджера.';
      case 'pin_required':
        return 'Нужен PIN менеджера: такой возврат или скидку больше лимита кассира разрешает только менеджер.';
      case 'pin_not_set':
        return 'PIN менеджера ещё не задан: задайте его в разделе «Менеджер».';
      case 'pin_locked':
        return `Слишком много неверных попыток PIN. ${typeof d.retry_after_seconds === 'number' ? `Повторите через ${d.retry_after_seconds} с.` : 'Повторите позже.'}`;
      case 'cashier_exists':
        return 'Кассир с таким именем уже есть: выберите другое имя.';
      case 'drawer_disabled':
        return ru.drawerNone;
      case 'not_enough_cash':
        return 'В кассе недостаточно наличных этой смены для такой выплаты.';
      case 'station_stopping':
        return 'Касса останавливается; чек сохранён, но не напечатан. Повторите после перезапуска.';
      case 'disk_full':
        return 'Диск компьютера кассы заполнен: новые продажи не принимаются, ничего не напечатано. Освободите место на диске (старые файлы, загрузки) или позвоните в поддержку — продажи возобновятся сами.';
      case 'buffer_write_failed':
        return 'Чек напечатан, но касса пока не смогла его записать (диск или ошибка записи). Новые чеки не печатаются, пока запись не удастся: освободите место на диске или перезапустите кассу.';
      case 'buffer_lost':
        return `Буфер чеков утерян, а в ККТ есть документы до ФД ${String(d.kkt_last_fd ?? '')}: неотправленные в ОФД чеки и история возвратов могли пропасть. Продажи заблокированы, пока менеджер не подтвердит утерю; сначала сверьте неотправленные документы ККТ с поддержкой.`;
      case 'buffer_corrupt':
        return 'Файл буфера чеков повреждён; он сохранён, ничего не удалено. Отправьте его в поддержку: в нём могут быть неотправленные в ОФД чеки.';
      case 'no_receipt_to_copy':
        return 'Копию печатать не с чего: среди последних чеков кассы нет напечатанного. Напечатайте чек или выберите его в списке чеков.';
      case 'copy_of_unprinted':
        return 'Этот чек не был напечатан, поэтому копии у него нет: копию печатают только с напечатанного чека.';
      case 'not_printable':
        return 'Этот чек уже напечатан или аннулирован: пробить заново можно только ненапечатанный чек.';
      case 'not_voidable':
        return 'Аннулировать можно только ненапечатанный чек, и не во время печати: напечатанный чек отменяют возвратом.';
      case 'conflict':
        return 'Состояние уже изменилось (другое действие успело раньше). Обновите список и повторите.';
      case 'validation_error':
        return Array.isArray(e.details) && e.details.length
          ? `Данные не приняты, ничего не сохранено: ${(e.details as { field?: unknown; message?: unknown }[])
              .slice(0, 5)
              .map((i) => `${String(i.field ?? '')}: ${String(i.message ?? '')}`)
              .join('; ')}`
          : `Данные не приняты, ничего не сохранено: ${e.message}`;
      case 'stopping':
        return 'Касса завершает работу. Повторите после перезапуска.';
      case 'internal_error':
        return 'Внутренняя ошибка кассы; ничего не потеряно. Выгрузите диагностику (раздел «Поддержка») и отправьте в поддержку.';
      default:
        return e.message;
    }
  },
};

export type Messages = typeof ru;
