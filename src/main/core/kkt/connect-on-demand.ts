// A KKT that is opened when first needed and again after a failed open: a till whose KKT cable is
// unplugged at start-up still starts, shows "KKT not connected", and delivers its backlog to the OFD;
// every KKT operation until the device answers is refused with a message the cashier can act on.
import type { Kkt, KktStatus } from './kkt.ts';
import { KktError } from '../../../shared/errors.ts';

export class ConnectOnDemandKkt implements Kkt {
  private device: Kkt | null = null;
  private opening: Promise<Kkt> | null = null;

  constructor(
    private readonly open: () => Promise<Kkt>,
    private readonly where: string,
    first: Kkt | null,
  ) {
    this.device = first;
  }

  get label(): string {
    return this.device?.label ?? `ККТ ${this.where} (не подключена)`;
  }

  get emulated(): boolean {
    return this.device?.emulated ?? false;
  }

  private connected(): Promise<Kkt> {
    if (this.device) return Promise.resolve(this.device);
    this.opening ??= this.open()
      .then((k) => (this.device = k))
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

  async status(): Promise<KktStatus> {
    return (await this.connected()).status();
  }

  printReceipt: Kkt['printReceipt'] = async (r) => (await this.connected()).printReceipt(r);
  lastDocument: Kkt['lastDocument'] = async () => (await this.connected()).lastDocument();
  document: Kkt['document'] = async (fd) => (await this.connected()).document(fd);
  openShift: Kkt['openShift'] = async (c) => (await this.connected()).openShift(c);
  xReport: Kkt['xReport'] = async () => (await this.connected()).xReport();
  closeShift: Kkt['closeShift'] = async (c) => (await this.connected()).closeShift(c);
  cashIn: Kkt['cashIn'] = async (k) => (await this.connected()).cashIn(k);
  cashOut: Kkt['cashOut'] = async (k) => (await this.connected()).cashOut(k);
  cancelReceipt: Kkt['cancelReceipt'] = async () => (await this.connected()).cancelReceipt();
  continuePrint: Kkt['continuePrint'] = async () => (await this.connected()).continuePrint();

  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    await this.device?.close();
  }
}
