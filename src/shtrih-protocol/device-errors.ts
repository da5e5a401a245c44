// Device error codes (protocol v1.17 p.67–70) → a message a cashier can act on. Codes 0x01–0x20 and
// 0xA0–0xA5 come from the fiscal storage (FN), the rest from the KKT itself. Russian text is what the
// cashier sees; the English text is for logs and the next developer.

/** The codes the driver and the emulator name in code; MESSAGES below has the full table. */
export const DeviceErrorCode = {
  BAD_FORMAT: 0x01,
  NO_DATA: 0x08,
  TLV_TOO_LARGE: 0x10,
  SHIFT_NOT_OPEN_OR_24H: 0x16,
  BAD_PARAMS: 0x33,
  /** The KKT's own "no data" (p.68), e.g. DEh from blocks DDh never loaded. */
  KKT_NO_DATA: 0x34,
  /** Parameter invalid for the current settings (e.g. a tax system the KKT is not registered for). */
  INVALID_FOR_SETTINGS: 0x35,
  /** Parameters this model does not take (p.68), e.g. a 2D barcode type it cannot draw. */
  PARAMS_FOR_MODEL: 0x36,
  NOT_SUPPORTED: 0x37,
  SHIFT_OPEN: 0x3c,
  SHIFT_NOT_OPEN: 0x3d,
  PAYMENT_BELOW_TOTAL: 0x45,
  NOT_ENOUGH_CASH: 0x46,
  WRONG_RECEIPT_TYPE: 0x49,
  RECEIPT_OPEN: 0x4a,
  RECEIPT_BUFFER_FULL: 0x4b,
  NONCASH_ABOVE_TOTAL: 0x4d,
  SHIFT_24H: 0x4e,
  WRONG_PASSWORD: 0x4f,
  PRINTING: 0x50,
  RECEIPT_CLOSED: 0x55,
  AWAITING_CONTINUE: 0x58,
  NO_PAPER: 0x6b,
  SUBMODE: 0x72,
  BAD_LENGTH: 0x7e,
  ZERO_TOTAL: 0x8e,
  /** FN marking errors (p.70): wrong order of the check commands; check table full; КМ never checked. */
  MARK_SEQUENCE: 0xa1,
  MARK_TABLE_FULL: 0xa3,
  MARK_NOT_CHECKED: 0xa5,
} as const;

export type ErrorOrigin = 'fn' | 'kkt';

export interface DeviceErrorInfo {
  code: number;
  origin: ErrorOrigin;
  /** Shown to the cashier. */
  ru: string;
  /** For logs. */
  en: string;
}

const MESSAGES: Readonly<Record<number, readonly [ru: string, en: string]>> = {
  0x01: [
    'ФН: неизвестная команда или неверный формат данных',
    'FN: unknown command, bad format or parameters',
  ],
  0x02: ['ФН: неверное состояние фискального накопителя', 'FN: wrong FN state'],
  0x03: ['Отказ фискального накопителя — обратитесь в сервисный центр', 'FN failure'],
  0x04: ['Отказ криптосопроцессора ФН — обратитесь в сервисный центр', 'FN crypto-coprocessor failure'],
  0x05: ['Срок эксплуатации ФН истёк — замените фискальный накопитель', 'FN lifetime exceeded'],
  0x07: ['ФН: неверная дата или время — проверьте часы ККТ', 'FN: wrong date/time'],
  0x08: ['ФН: запрошенных данных нет', 'FN: no requested data'],
  0x09: ['ФН: неверные значения параметров', 'FN: bad parameter values'],
  0x10: ['ФН: слишком большой объём данных (TLV)', 'FN: TLV too large'],
  0x11: ['ФН: нет транспортного соединения', 'FN: no transport connection'],
  0x12: ['Ресурс ФН исчерпан — замените фискальный накопитель', 'FN resource exhausted'],
  0x14: [
    'Память ФН для документов ОФД переполнена: продажи заблокированы до передачи документов в ОФД',
    'FN storage for OFD documents exhausted',
  ],
  // 0x16 is ambiguous (the FN table of p.67 vs the legacy ECR table): FN "shift > 24 h", legacy ECR "shift not open". The driver re-reads 10h.
  0x16: [
    'Смена не открыта или длится больше 24 часов — проверьте состояние смены',
    'shift not open, or longer than 24 h (ambiguous)',
  ],
  0x17: [
    'ФН: неверный интервал времени между документами — проверьте часы ККТ',
    'FN: bad time interval between documents',
  ],
  0x20: ['ФН: сообщение от ОФД не может быть принято', 'FN: OFD message cannot be accepted'],
  0x2f: ['Таймаут обмена с ФН — повторите операцию', 'FN exchange timeout'],
  0x30: ['ФН не отвечает — обратитесь в сервисный центр', 'FN not responding'],
  0x33: ['ККТ: некорректные параметры команды', 'bad parameters'],
  0x34: ['ККТ: нет данных', 'no data'],
  0x35: ['ККТ: параметр недопустим при текущих настройках', 'parameter invalid for current settings'],
  0x36: ['ККТ: параметры недопустимы для этой модели', 'parameters invalid for this model'],
  0x37: ['ККТ не поддерживает эту команду', 'command not supported'],
  0x3c: ['Смена уже открыта — операция невозможна', 'shift open, operation impossible'],
  0x3d: ['Смена не открыта — откройте смену', 'shift not open, operation impossible'],
  0x45: ['Сумма оплат меньше итога чека', 'sum of payments below the receipt total'],
  0x46: ['В кассе недостаточно наличных для выплаты', 'not enough cash in the drawer'],
  0x49: ['Операция не соответствует типу открытого чека', 'operation does not match the open receipt type'],
  0x4a: ['В ККТ открыт чек — операция невозможна', 'receipt open, operation impossible'],
  0x4b: ['Буфер чека переполнен — слишком много позиций', 'receipt buffer full'],
  0x4d: ['Безналичная оплата больше итога чека', 'non-cash payment exceeds the receipt total'],
  0x4e: ['Смена превысила 24 часа — закройте смену (Z-отчёт)', 'shift exceeded 24 h'],
  0x4f: ['Неверный пароль кассира для ККТ', 'wrong password'],
  0x50: ['ККТ печатает предыдущий документ — подождите', 'printing the previous command'],
  0x55: ['Чек закрыт — операция невозможна', 'receipt closed, operation impossible'],
  0x58: ['ККТ ждёт команду продолжения печати', 'waiting for the continue-print command'],
  0x5f: ['Отрицательный итог чека', 'negative receipt total'],
  0x61: ['Переполнение цены', 'price overflow'],
  0x62: ['Переполнение количества', 'quantity overflow'],
  0x63: ['Переполнение отдела', 'department overflow'],
  0x6b: ['Нет бумаги в ККТ — вставьте новый рулон чековой ленты', 'no receipt paper'],
  0x72: [
    'Команда невозможна в текущем подрежиме ККТ (печать, крышка, бумага)',
    'not supported in this sub-mode',
  ],
  0x73: ['Команда невозможна в текущем режиме ККТ', 'not supported in this mode'],
  0x7e: ['ККТ: неверная длина поля', 'bad length field'],
  0x8e: ['Нулевой итог чека', 'zero receipt total'],
  0xa0: ['ФН: работа с маркировкой не включена при регистрации', 'marking not enabled in the FN'],
  0xa1: ['ФН: неверная последовательность команд проверки КМ', 'wrong marking-code command sequence'],
  0xa2: ['ФН: хранилище уведомлений переполнено, маркировка заблокирована', 'notification storage full'],
  0xa3: ['ФН: таблица проверки КМ переполнена (не более 128 КМ в чеке)', 'marking-code check table full'],
  0xa4: ['ФН: не передан обязательный реквизит КМ', 'required marking TLV missing'],
  0xa5: ['ФН: КМ не был проверен ФН', 'marking code not checked by the FN'],
  0xc0: ['ККТ просит подтвердить дату и время', 'confirm date/time'],
};

/** FN codes are 0x01–0x20 and the marking-code range 0xA0–0xA5; everything else is the KKT's own. */
export function errorOrigin(code: number): ErrorOrigin {
  return (code >= 0x01 && code <= 0x20) || (code >= 0xa0 && code <= 0xa5) ? 'fn' : 'kkt';
}

export function describeDeviceError(code: number): DeviceErrorInfo {
  const origin = errorOrigin(code);
  const hexCode = code.toString(16).toUpperCase().padStart(2, '0');
  const known = MESSAGES[code];
  if (known) return { code, origin, ru: known[0], en: known[1] };
  if (code >= 0xa0 && code <= 0xa5) {
    return {
      code,
      origin,
      ru: `ФН: ошибка кода маркировки (${hexCode}h)`,
      en: `FN marking-code error ${hexCode}h`,
    };
  }
  const who = origin === 'fn' ? 'ФН' : 'ККТ';
  return { code, origin, ru: `${who}: ошибка ${hexCode}h`, en: `${origin.toUpperCase()} error ${hexCode}h` };
}

/** "ККТ: Нет бумаги … (код 6Bh)": the cashier text plus the code for support calls. */
export function deviceErrorMessage(code: number): string {
  const info = describeDeviceError(code);
  const hexCode = code.toString(16).toUpperCase().padStart(2, '0');
  return `${info.ru} (код ${hexCode}h, ${info.origin === 'fn' ? 'ФН' : 'ККТ'})`;
}
