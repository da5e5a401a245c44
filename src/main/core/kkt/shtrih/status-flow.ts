// The KKT's status for the station (10h, FF01h, FF39h, FF40h): connection, shift, printer, FN and the
// problem that blocks sales, in words a cashier understands. A device that does not answer (or whose
// line is lost) is a status with connected = false and the reason in `problem`, never an exception.

import type { KktStatus } from '../kkt.ts';
import { KktError } from '../../../../shared/errors.ts';
import { dateTimeIso } from '../../../../shtrih-protocol/bytes.ts';
import { DeviceMode, PrinterSubmode } from '../../../../shtrih-protocol/codes.ts';
import type { ShortStatus } from '../../../../shtrih-protocol/status-commands.ts';
import { paperOut } from './device-fault.ts';
import type { ShtrihSession } from './session.ts';

/** The device's status over `base` (what is known without asking it). */
export async function readStatus(
  session: ShtrihSession,
  base: KktStatus,
  shiftOpenedAt: (shiftNumber: number) => Promise<string | null>,
): Promise<KktStatus> {
  try {
    const st = await session.shortStatus();
    const fn = await session.fnStatus();
    const ofd = await session.ofdStatus();
    const shift = await session.shiftParameters();
    const printer = printerState(st);
    const status: KktStatus = {
      ...base,
      connected: true,
      shiftOpen: fn.shiftOpen,
      shiftNumber: shift.shiftNumber,
      shiftOpenedAt: fn.shiftOpen ? await shiftOpenedAt(shift.shiftNumber) : null,
      shiftExpired: st.mode === DeviceMode.SHIFT_EXPIRED,
      paperPresent: st.receiptPaperPresent && !paperOut(st),
      coverOpen: st.coverOpen,
      fnNumber: fn.fnNumber,
      kktRegNumber: await session.regNumber(),
      lastFdNumber: fn.lastFdNumber,
      unsentCount: ofd.unsentCount,
      oldestUnsentAt: ofd.firstUnsentDatetime ? dateTimeIso(ofd.firstUnsentDatetime) : null,
      printer,
    };
    const problem = describeProblem(st, printer);
    if (problem) status.problem = problem;
    return status;
  } catch (err) {
    if (err instanceof KktError) return { ...base, problem: err.message };
    throw err;
  }
}

function printerState(st: ShortStatus): NonNullable<KktStatus['printer']> {
  if (paperOut(st)) return 'paper_out';
  if (st.submode === PrinterSubmode.AWAITING_CONTINUE) return 'awaiting_continue';
  if (st.submode === PrinterSubmode.PRINTING_REPORT || st.submode === PrinterSubmode.PRINTING)
    return 'printing';
  return 'ready';
}

function describeProblem(st: ShortStatus, printer: NonNullable<KktStatus['printer']>): string | undefined {
  if (st.coverOpen) return 'Открыта крышка ККТ';
  if (printer === 'paper_out') return 'Нет бумаги в ККТ — вставьте новый рулон';
  if (printer === 'awaiting_continue') return 'Бумага заменена: нажмите «Продолжить печать»';
  if (st.mode === DeviceMode.SHIFT_EXPIRED) return 'Смена превысила 24 часа — закройте смену (Z-отчёт)';
  return undefined;
}
