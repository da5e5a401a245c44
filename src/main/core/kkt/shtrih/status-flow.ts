// The KKT's status for the station (10h, FF01h, FF39h, FF40h; FF09h, FF03h and the FFD version once per
// connection): connection, shift, printer, FN health, registration and the tax system receipts are
// issued under, and the problem that blocks sales, in words a cashier understands. A device that does not answer (or whose
// line is lost) is a status with connected = false and the reason in `problem`, never an exception.

import type { KktStatus } from '../kkt.ts';
import { KktError } from '../../../../shared/errors.ts';
import { dateTimeIso } from '../../../../shtrih-protocol/bytes.ts';
import { DeviceMode, PrinterSubmode } from '../../../../shtrih-protocol/codes.ts';
import type { ShortStatus } from '../../../../shtrih-protocol/status-commands.ts';
import { fnWarningsOf } from '../../../../shared/fn-health.ts';
import { chooseTaxSystem, taxSystemsOfMask } from '../../../../shared/tax-systems.ts';
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
    const reg = await session.registration();
    const taxSystems = taxSystemsOfMask(reg.taxSystems);
    const choice = chooseTaxSystem(base.configuredTaxSystem, taxSystems);
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
      kktRegNumber: reg.regNumber,
      taxSystems,
      workModes: reg.workMode,
      taxSystem: choice.ok ? choice.system : null,
      taxSystemProblem: choice.ok ? null : choice.problem,
      ffdVersion: await session.ffdVersion(),
      fnExpiresOn: (await session.fnExpiry()).expiresOn,
      fnWarnings: fnWarningsOf(fn.warningFlags),
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
