// The one place where what the device reports becomes a KktFault: a device error code brings its
// cashier text and, when a program must act on it, the reason (details.reason on the wire: the
// renderer offers "continue printing" on paper_out). "Not possible in this printer sub-mode" (72h)
// names no cause, so the printer status read after it does: paper, cover or a document still printing.
// Refusals the driver decides from a status before sending anything (cover open, shift closed, no
// device) name their reason where they are thrown.
import { DeviceErrorCode, describeDeviceError } from '../../../../shtrih-protocol/device-errors.ts';
import { PrinterSubmode } from '../../../../shtrih-protocol/codes.ts';
import type { ShortStatus } from '../../../../shtrih-protocol/status-commands.ts';
import type { KktFault, KktReason } from '../../../../shared/errors.ts';

const REASON_BY_DEVICE_CODE: ReadonlyMap<number, KktReason> = new Map<number, KktReason>([
  [DeviceErrorCode.NO_PAPER, 'paper_out'],
  [DeviceErrorCode.AWAITING_CONTINUE, 'paper_out'], // a new roll is in: B0h continues the document
  [DeviceErrorCode.SHIFT_24H, 'shift_expired'],
  [DeviceErrorCode.SHIFT_NOT_OPEN, 'shift_closed'],
  [DeviceErrorCode.NOT_ENOUGH_CASH, 'not_enough_cash'],
  [DeviceErrorCode.PRINTING, 'printer_busy'],
]);

/** The sub-modes in which there is no paper to print on. */
export function paperOut(st: ShortStatus): boolean {
  return st.submode === PrinterSubmode.PAPER_OUT_PASSIVE || st.submode === PrinterSubmode.PAPER_OUT_ACTIVE;
}

/** What keeps the printer from printing, by its status; undefined when it is ready. */
function printerReason(st: ShortStatus): KktReason | undefined {
  if (st.coverOpen) return 'cover_open';
  if (paperOut(st) || st.submode === PrinterSubmode.AWAITING_CONTINUE) return 'paper_out';
  if (st.submode === PrinterSubmode.PRINTING || st.submode === PrinterSubmode.PRINTING_REPORT)
    return 'printer_busy';
  return undefined;
}

/**
 * The fault a device error code describes: the code, the device's words for the cashier and the
 * reason. `status`, read after a sub-mode error (72h), tells that error's reason.
 */
export function deviceFault(code: number, status?: ShortStatus): KktFault {
  const reason =
    REASON_BY_DEVICE_CODE.get(code) ??
    (code === DeviceErrorCode.SUBMODE && status ? printerReason(status) : undefined);
  return { deviceCode: code, deviceMessage: describeDeviceError(code).ru, ...(reason ? { reason } : {}) };
}
