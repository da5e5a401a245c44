// A sale, refund or correction receipt on a Shtrih-M device: 10h → [FF61h + FF69h per marked line] → 8Dh
// → [FF0Ch 1173, 1174 for a correction] → per line FF46h + FF4Dh 2108 (item tags) [+ FF67h for a marked
// line] → 1Bh line count → FF0Ch 1021/1203/1008 → FF45h → FF40h (the vendor drivers' sequence; layouts
// in src/shtrih-protocol/receipt-commands.ts; the FFD 1.2 requisites in requisites.ts; marked goods in
// marking-flow.ts). Payments: cash is type 1, card type 2 (electronic, 1081), "other" type 14
// (prepayment offset, 1215: a gift card or voucher redeemed), never electronic.
//
// Failure contract (see KktFailure in src/shared/errors.ts):
// - anything that goes wrong before the closing FF45h is accepted cancels the open receipt (88h) when
//   the device still answers and throws KktError('refused'): nothing was fiscalised;
// - a lost answer after FF45h was accepted throws KktError('outcome_unknown'): the receipt may exist
//   in the FN, and only the fiscal archive (document(), lastDocument()) can tell.

import { fiscalQr, type FiscalAttributes, type KktReceiptRequest } from '../kkt.ts';
import { KktError, MarkRejectedError } from '../../../../shared/errors.ts';
import { dateTimeIso } from '../../../../shtrih-protocol/bytes.ts';
import { Cmd, DeviceMode } from '../../../../shtrih-protocol/codes.ts';
import { DeviceErrorCode, deviceErrorMessage } from '../../../../shtrih-protocol/device-errors.ts';
import {
  CORRECTION_RECEIPT_FLAG,
  OperationType,
  ReceiptType,
  closeReceiptV2Request,
  openReceiptRequest,
  operationV2Request,
  parseCloseReceiptV2,
  type CloseReceiptResult,
} from '../../../../shtrih-protocol/receipt-commands.ts';
import { OperationRegisterNo } from '../../../../shtrih-protocol/shift-commands.ts';
import { formatKopecks } from '../../../../shared/money.ts';
import { tlvString, writeItemTlvRequest, writeTlvRequest } from '../../../../shtrih-protocol/tlv.ts';
import { vatByte, type VatByteMap } from '../../../../shtrih-protocol/vat.ts';
import { bindMark, checkMarks } from './marking-flow.ts';
import { cashierTlvs, correctionTlvs, itemTlvs } from './requisites.ts';
import type { ShtrihSession } from './session.ts';

const TAG_BUYER_CONTACT = 1008;

export interface ReceiptSettings {
  /** Tag 1055 bit of the registered tax system (1 = ОСН). */
  taxSystem: number;
  vatBytes: VatByteMap;
  /** Opens the shift when it is closed, or null to refuse the sale instead. */
  openShift: ((cashierName?: string, cashierInn?: string) => Promise<unknown>) | null;
}

export async function printReceipt(
  session: ShtrihSession,
  req: KktReceiptRequest,
  settings: ReceiptSettings,
): Promise<FiscalAttributes> {
  const totalKop = validateReceipt(req);
  const isSale = req.operation === 'sale';
  const st = await session.readyForPrinting();
  if (st.mode === DeviceMode.RECEIPT_OPEN)
    await session.cancelOpenReceipt(); // left over from a crash: nothing fiscal in it
  else if (st.mode === DeviceMode.SHIFT_EXPIRED)
    throw session.deviceError(DeviceErrorCode.SHIFT_24H, Cmd.SHORT_STATUS, undefined);
  else if (st.mode === DeviceMode.SHIFT_CLOSED) {
    if (!settings.openShift)
      throw new KktError('refused', 'Смена закрыта — откройте смену', { reason: 'shift_closed' });
    await settings.openShift(req.cashierName, req.cashierInn);
  } else if (st.mode !== DeviceMode.SHIFT_OPEN) {
    throw new KktError('refused', `ККТ в режиме ${st.mode}, продажа невозможна`);
  }
  const fnNumber = await session.fnNumber();
  const opPwd = session.opPwd;

  // Everything up to an accepted FF45h is cancellable.
  let close: CloseReceiptResult;
  let closing = false;
  try {
    await checkMarks(session, req.lines, req.operation); // a rejected code: nothing opened, nothing printed
    const receiptType = isSale ? ReceiptType.SALE : ReceiptType.SALE_RETURN;
    await session.exec(
      openReceiptRequest(opPwd, req.correction ? CORRECTION_RECEIPT_FLAG | receiptType : receiptType),
    );
    if (req.correction)
      for (const t of correctionTlvs(req.correction)) await session.exec(writeTlvRequest(opPwd, t));
    for (const [index, line] of req.lines.entries()) {
      await session.exec(
        operationV2Request({
          password: opPwd,
          operation: isSale ? OperationType.SALE : OperationType.SALE_RETURN,
          quantityMicro: line.quantityMilli * 1000,
          priceKop: line.priceKop,
          sumKop: line.totalKop,
          taxKop: null,
          vatByte: vatByte(line.vat, settings.vatBytes),
          department: 1,
          paymentMethod: line.paymentMethod,
          paymentSubject: line.paymentSubject,
          name: line.name,
        }),
      );
      for (const t of itemTlvs(line)) await session.exec(writeItemTlvRequest(opPwd, t));
      await bindMark(session, line, index);
    }
    await checkLineCount(session, isSale, req.lines.length);
    for (const t of cashierTlvs(req.cashierName, req.cashierInn))
      await session.exec(writeTlvRequest(opPwd, t));
    if (req.buyerContact)
      await session.exec(writeTlvRequest(opPwd, tlvString(TAG_BUYER_CONTACT, req.buyerContact.slice(0, 64))));
    closing = true;
    const closeAnswer = await session.exec(
      closeReceiptV2Request({
        password: opPwd,
        cashKop: req.cashKop,
        electronicKop: [req.cardKop],
        prepaymentKop: req.otherKop,
        taxSystem: settings.taxSystem,
      }),
      { fiscal: true },
    );
    close = parseFiscal(() => parseCloseReceiptV2(closeAnswer), 'FF45h');
  } catch (err) {
    if (closing && err instanceof KktError) {
      if (err.failure === 'outcome_unknown') throw err;
      // "Receipt closed" to our FF45h: an earlier, unanswered transmission of it may have closed
      // (fiscalised) the receipt. Only the archive can tell.
      if (err.deviceCode === DeviceErrorCode.RECEIPT_CLOSED) {
        throw new KktError(
          'outcome_unknown',
          `ККТ сообщает, что чек уже закрыт: результат неизвестен, сверьте с архивом ФН`,
          err.fault,
        );
      }
    }
    await session.cancelAfterFailure();
    throw asRefused(err);
  }

  // The receipt is fiscal from here on: any further failure is "outcome unknown", never "refused".
  checkChange(req, totalKop, close);
  try {
    const shift = await session.shiftParameters();
    let datetime = close.datetime ? dateTimeIso(close.datetime) : null;
    if (!datetime) {
      const doc = await session.archiveDocument(close.fdNumber);
      datetime = doc ? dateTimeIso(doc.datetime) : null;
    }
    if (!datetime)
      throw new KktError('outcome_unknown', `ККТ не вернула время документа ФД ${close.fdNumber}`);
    await session.waitForPrint().catch((e: unknown) => session.log(`print wait after receipt: ${String(e)}`));
    const attrs = {
      fdNumber: close.fdNumber,
      fiscalSign: close.fiscalSign,
      fnNumber,
      kktRegNumber: await session.regNumber(),
      shiftNumber: shift.shiftNumber,
      receiptNumber: shift.receiptNumber,
      fiscalDatetime: datetime,
      totalKop,
      changeKop: close.changeKop,
    };
    return { ...attrs, qr: fiscalQr({ ...attrs, operation: req.operation }) };
  } catch (err) {
    if (err instanceof KktError && err.failure === 'outcome_unknown') throw err;
    throw new KktError(
      'outcome_unknown',
      `Чек пробит (ФД ${close.fdNumber}), но ККТ не ответила на уточняющий запрос: сверьте с архивом ФН. ${(err as Error).message}`,
      err instanceof KktError ? err.fault : {},
    );
  }
}

/**
 * Before FF45h: the device's count of item lines in this receipt (1Bh, register 0 or 2 for department
 * 1) must equal the lines sent. A lost ACK plus a lost answer of FF46h makes the link send the line
 * again (the device looks idle), and the FN would fiscalise it twice. On a mismatch the caller's catch
 * cancels the receipt (88h) and the sale is refused; sending it again prints it right. A device without
 * these registers (error 33h/37h) is logged and not checked: the change check after FF45h remains.
 */
async function checkLineCount(session: ShtrihSession, isSale: boolean, sent: number): Promise<void> {
  let counted: number;
  try {
    counted = await session.operationRegister(
      isSale
        ? OperationRegisterNo.SALE_LINES_DEPT1_RECEIPT
        : OperationRegisterNo.SALE_RETURN_LINES_DEPT1_RECEIPT,
    );
  } catch (err) {
    const code = err instanceof KktError ? err.deviceCode : undefined;
    if (code === DeviceErrorCode.NOT_SUPPORTED || code === DeviceErrorCode.BAD_PARAMS) {
      session.log(`1Bh line count not available (${(err as Error).message}): not checked`);
      return;
    }
    throw err;
  }
  if (counted !== sent) {
    throw new KktError(
      'refused',
      `ККТ насчитала ${counted} позиций в чеке вместо ${sent} (сбой связи при передаче позиции): чек аннулирован, пробейте его ещё раз`,
    );
  }
}

/**
 * After FF45h: the change the device reports must be the change of the receipt the station sent. A
 * difference means the FN fiscalised another total (a line lost or doubled past the count check):
 * outcome unknown with reason total_mismatch, naming the FD, so it is never recorded as this sale.
 */
function checkChange(req: KktReceiptRequest, totalKop: number, close: CloseReceiptResult): void {
  const expected = Math.max(0, req.cashKop - (totalKop - req.cardKop - req.otherKop));
  if (close.changeKop === expected) return;
  throw new KktError(
    'outcome_unknown',
    `ККТ пробила чек ФД ${close.fdNumber} не на ту сумму: сдача по ККТ ${formatKopecks(close.changeKop)}, ` +
      `ожидалась ${formatKopecks(expected)}. Не пробивайте чек повторно, пока менеджер не сверит ФД ${close.fdNumber} с архивом ФН и не оформит коррекцию`,
    { reason: 'total_mismatch' },
  );
}

/** Local checks that save a round trip and give the cashier a precise reason. Returns the total. */
function validateReceipt(req: KktReceiptRequest): number {
  const fail = (m: string) => {
    throw new KktError('refused', m);
  };
  if (req.lines.length === 0) fail('Чек без позиций');
  let total = 0;
  for (const [i, l] of req.lines.entries()) {
    const n = `Позиция ${i + 1} («${l.name}»)`;
    for (const [k, v] of [
      ['цена', l.priceKop],
      ['количество', l.quantityMilli],
      ['сумма', l.totalKop],
    ] as const) {
      if (!Number.isSafeInteger(v) || v <= 0)
        fail(`${n}: ${k} должна быть целым положительным числом, получено ${v}`);
    }
    if (!l.name.trim()) fail(`${n}: пустое наименование`);
    total += l.totalKop;
  }
  for (const [k, v] of [
    ['наличные', req.cashKop],
    ['карта', req.cardKop],
    ['прочее', req.otherKop],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      fail(`Оплата (${k}) должна быть целым неотрицательным числом копеек, получено ${v}`);
  }
  if (req.cashKop + req.cardKop + req.otherKop < total)
    fail(deviceErrorMessage(DeviceErrorCode.PAYMENT_BELOW_TOTAL));
  if (req.cardKop + req.otherKop > total) fail(deviceErrorMessage(DeviceErrorCode.NONCASH_ABOVE_TOTAL));
  return total;
}

function asRefused(err: unknown): KktError | MarkRejectedError {
  if (err instanceof MarkRejectedError) return err;
  if (err instanceof KktError)
    return err.failure === 'refused'
      ? err
      : new KktError('refused', `Чек не пробит: ${err.message}`, err.fault);
  return new KktError('refused', `Чек не пробит: ${(err as Error).message}`);
}

function parseFiscal<T>(parse: () => T, name: string): T {
  try {
    return parse();
  } catch (err) {
    throw new KktError(
      'outcome_unknown',
      `ККТ прислала неполный ответ на ${name}: ${(err as Error).message}`,
    );
  }
}
