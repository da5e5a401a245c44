// A KKT that is opened when first needed and again after it was lost: a till whose KKT cable is
// unplugged at start-up still starts, shows "KKT not connected", and delivers its backlog to the OFD;
// every KKT operation until the device answers is refused with a message the cashier can act on.
//
// Losing the line (issue #8): a device whose line is gone (`lineLost`: the OS closed the port when
// the cable was pulled or socat died; a write never completed) is dropped — closed in the
// background, bounded — and the next operation (a sale, or the station's periodic status poll)
// opens the port again. So a device that comes back at the same path is used again without a
// restart, and while it is away every operation is refused at once ('refused', reason
// not_connected), never hung. What an interrupted receipt became is the fiscal service's business:
// it reconciles with the archive of the reopened device before printing anything else.
import type { Kkt, KktStatus } from './kkt.ts';
import type { FnExchangePort } from './fn-exchange-port.ts';
import { KktError } from '../../../shared/errors.ts';

export class ConnectOnDemandKkt implements Kkt {
  private device: Kkt | null = null;
  private opening: Promise<Kkt> | null = null;
  /** Closes of dropped devices still running; close() waits for them (each is bounded). */
  private readonly dropping = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly open: () => Promise<Kkt>,
    private readonly where: string,
    first: Kkt | null,
  ) {
    this.device = first;
  }

  get label(): string {
    return this.device && !this.device.lineLost ? this.device.label : `ККТ ${this.where} (не подключена)`;
  }

  get emulated(): boolean {
    return this.device?.emulated ?? false;
  }

  private connected(): Promise<Kkt> {
    if (this.closed)
      return Promise.reject(
        new KktError('refused', 'Соединение с ККТ закрыто: станция останавливается', {
          reason: 'not_connected',
        }),
      );
    this.dropIfLost();
    if (this.device) return Promise.resolve(this.device);
    this.opening ??= this.open()
      .then((k) => {
        if (this.closed) {
          void k.close().catch(() => undefined);
          throw new Error('станция останавливается');
        }
        return (this.device = k);
      })
      .catch((e: Error) => {
        throw new KktError(
          'refused',
          `ККТ не подключена (${this.where}): ${e.message}. Проверьте кабель, питание и порт в настройках.`,
          { reason: 'not_connected' },
        );
      })
      .finally(() => (this.opening = null));
    return this.opening;
  }

  /** Forgets a device whose line is gone; its close (bounded) runs in the background. */
  private dropIfLost(): void {
    const dead = this.device;
    if (!dead?.lineLost) return;
    this.device = null;
    const closing = dead
      .close()
      .catch(() => undefined)
      .finally(() => this.dropping.delete(closing));
    this.dropping.add(closing);
  }

  /** One operation on the device; a line lost during it drops the device at once. */
  private async use<T>(op: (k: Kkt) => Promise<T>): Promise<T> {
    try {
      return await op(await this.connected());
    } finally {
      this.dropIfLost();
    }
  }

  status(): Promise<KktStatus> {
    return this.use((k) => k.status());
  }

  printReceipt: Kkt['printReceipt'] = (r) => this.use((k) => k.printReceipt(r));
  lastDocument: Kkt['lastDocument'] = () => this.use((k) => k.lastDocument());
  document: Kkt['document'] = (fd) => this.use((k) => k.document(fd));
  openShift: Kkt['openShift'] = (c) => this.use((k) => k.openShift(c));
  xReport: Kkt['xReport'] = () => this.use((k) => k.xReport());
  closeShift: Kkt['closeShift'] = (c) => this.use((k) => k.closeShift(c));
  cashIn: Kkt['cashIn'] = (a) => this.use((k) => k.cashIn(a));
  cashOut: Kkt['cashOut'] = (a) => this.use((k) => k.cashOut(a));
  cancelReceipt: Kkt['cancelReceipt'] = () => this.use((k) => k.cancelReceipt());
  continuePrint: Kkt['continuePrint'] = () => this.use((k) => k.continuePrint());
  openDrawer: Kkt['openDrawer'] = (n) => this.use((k) => k.openDrawer(n));
  printText: Kkt['printText'] = (lines) => this.use((k) => k.printText(lines));

  /** The relay's commands on whichever device is connected now (opened on demand like the rest). */
  readonly fnExchange: FnExchangePort = {
    ensureHostMode: () => this.use((k) => port(k).ensureHostMode()),
    bufferStatus: () => this.use((k) => port(k).bufferStatus()),
    readBlock: (o, n) => this.use((k) => port(k).readBlock(o, n)),
    startWrite: (t) => this.use((k) => port(k).startWrite(t)),
    writeBlock: (o, c) => this.use((k) => port(k).writeBlock(o, c)),
    unsentCount: () => this.use((k) => port(k).unsentCount()),
  };

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    const device = this.device;
    this.device = null;
    await Promise.all([device?.close(), ...this.dropping]);
  }
}

function port(k: Kkt): FnExchangePort {
  if (!k.fnExchange) throw new KktError('refused', 'Эта ККТ не умеет передавать документы ОФД через кассу');
  return k.fnExchange;
}
