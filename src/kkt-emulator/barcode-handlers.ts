// DDh «Загрузка данных» and DEh «Печать многомерного штрих-кода» (protocol v1.17 p.37–38): the emulated
// KKT keeps the loaded 64-byte blocks in a volatile buffer (a power cycle loses them) and draws a QR code
// from them. It really encodes the symbol (the qrcode package, byte mode), so DEh's long answer carries
// the version and mask used and the size in dots, and data that does not fit the version asked for is
// refused. What it printed goes on the tape as `[QR] <data>` and, with its parameters, into `printed`.
// Only QR codes are drawn (PDF417, DataMatrix and Aztec answer 36h, the emulator's choice). A firmware
// without the commands is played by `supported = false`: both answer 37h, as an older model does.
import QRCode, { type QRCodeMaskPattern } from 'qrcode';
import {
  BarcodeAlign,
  Barcode2dType,
  DATA_BLOCK_BYTES,
  DATA_TYPE_BARCODE,
  barcodeSpanProblem,
  blocksFor,
  parseLoadDataArgs,
  parsePrint2dArgs,
  print2dAnswerData,
  qrParamsOf,
  qrParamsProblem,
  type QrParams,
} from '../shtrih-protocol/barcode-commands.ts';
import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { decodeCp1251 } from '../shtrih-protocol/text.ts';
import type { EmulatedDevice } from './device.ts';

/** The tape line of a printed QR code: this prefix, then its data. */
export const QR_TAPE_PREFIX = '[QR] ';

/** One QR code the emulated printer drew. */
export interface PrintedQr {
  /** The data as text (cp1251, as the KKT prints text). */
  data: string;
  /** The version, mask (1…8 = pattern 0…7) and level used, and the dot size asked for. */
  used: QrParams;
  align: number;
  /** The symbol's side in dots (modules × dot size, no quiet zone). */
  sizeDots: number;
}

const LEVELS = ['L', 'M', 'Q', 'H'] as const;

export class BarcodeHandlers {
  /** False plays a firmware without DDh/DEh: both answer 37h. */
  supported = true;
  readonly printed: PrintedQr[] = [];
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    private readonly d: EmulatedDevice,
    private readonly log: (line: string) => void,
  ) {}

  /** DDh: one block into the buffer, any mode, nothing printed. */
  load(op: number, args: Buffer): Buffer | number {
    if (!this.supported) return E.NOT_SUPPORTED;
    let a;
    try {
      a = parseLoadDataArgs(args);
    } catch {
      return E.BAD_LENGTH;
    }
    if (a.dataType !== DATA_TYPE_BARCODE || barcodeSpanProblem(1, a.block)) return E.BAD_PARAMS;
    this.blocks.set(a.block, Buffer.from(a.data));
    return Buffer.from([op]);
  }

  /** DEh: a QR code from the loaded blocks; the long answer (p.37, note 2). */
  print(op: number, args: Buffer): Buffer | number {
    if (!this.supported) return E.NOT_SUPPORTED;
    let a;
    try {
      a = parsePrint2dArgs(args);
    } catch {
      return E.BAD_LENGTH;
    }
    if (a.type !== Barcode2dType.QR) return E.PARAMS_FOR_MODEL;
    const asked = qrParamsOf(a.params);
    if (
      barcodeSpanProblem(a.length, a.startBlock) ||
      qrParamsProblem(asked) ||
      !(Object.values(BarcodeAlign) as number[]).includes(a.align)
    )
      return E.BAD_PARAMS;
    const data = this.collect(a.startBlock, a.length);
    if (!data) return E.KKT_NO_DATA;
    const blocked = this.d.printBlocker();
    if (blocked !== null) return blocked;
    let symbol;
    try {
      symbol = QRCode.create([{ data, mode: 'byte' }], {
        errorCorrectionLevel: LEVELS[asked.errorCorrection],
        ...(asked.version > 0 ? { version: asked.version } : {}),
        ...(asked.mask > 0 ? { maskPattern: (asked.mask - 1) as QRCodeMaskPattern } : {}),
      });
    } catch (err) {
      this.log(`DEh: ${(err as Error).message}`); // the data does not fit the version asked for
      return E.BAD_PARAMS;
    }
    const used: QrParams = { ...asked, version: symbol.version, mask: (symbol.maskPattern ?? 0) + 1 };
    const sizeDots = symbol.modules.size * asked.dotSize;
    const text = decodeCp1251(data);
    this.printed.push({ data: text, used, align: a.align, sizeDots });
    this.d.tape.push(QR_TAPE_PREFIX + text);
    this.log(`DEh: QR code printed (version ${used.version}, ${sizeDots} dots): ${text}`);
    this.d.startPrinting();
    return print2dAnswerData(op, used, sizeDots, sizeDots);
  }

  /** `length` bytes from `start` on, or null when a block they need was never loaded. */
  private collect(start: number, length: number): Buffer | null {
    const parts: Buffer[] = [];
    for (let i = 0; i < blocksFor(length); i++) {
      const block = this.blocks.get(start + i);
      if (!block) return null;
      parts.push(block);
    }
    return Buffer.concat(parts, blocksFor(length) * DATA_BLOCK_BYTES).subarray(0, length);
  }
}
