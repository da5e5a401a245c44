// The composition root of the KKT: which device the station talks to. The core only knows the `Kkt`
// interface and the Shtrih driver over a ByteChannel; this file picks the channel from the
// configuration (`STATION_KKT`):
// - 'emulator': the byte-level emulator in this process, on an in-memory channel (state in dataDir);
// - 'tcp://host:port': a network KKT (port 7778 by default);
// - anything else: a serial port path such as '/dev/ttyUSB0' or 'COM3'.
// A real device that cannot be opened at start-up is retried on first use, so the till still starts.

import { join } from 'node:path';
import type { StationConfig } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { ConnectOnDemandKkt } from '../core/kkt/connect-on-demand.ts';
import type { Kkt } from '../core/kkt/kkt.ts';
import { ShtrihKkt, type ShtrihKktOptions } from '../core/kkt/shtrih-kkt.ts';
import { MemoryChannel } from '../../shtrih-protocol/memory-channel.ts';
import { SHTRIH_TCP_PORT } from '../../shtrih-protocol/stream-channel.ts';
import { KktEmulator, type EmulatorOptions } from '../../kkt-emulator/emulator.ts';
import { maskOfTaxSystems, parseTaxSystemList } from '../../shared/tax-systems.ts';

export interface OpenKktOptions {
  /** Directory for the in-process emulator's state file (kkt-emulator.json); absent = memory only. */
  dataDir?: string;
  /** Serial speed; default 115200. */
  baudRate?: number;
  driver?: ShtrihKktOptions;
  /** Options of the in-process emulator (clock, print delay…). */
  emulator?: EmulatorOptions;
}

/** The file the in-process emulator keeps its FN state in. */
export const EMULATOR_STATE_FILE = 'kkt-emulator.json';

/** The KKT of the station's configuration; a device that cannot be opened now is retried on first use, not fatal. */
export async function openConfiguredKkt(config: StationConfig, log: Logger): Promise<Kkt> {
  const open = () =>
    openKkt(config.kkt, {
      dataDir: config.dataDir,
      baudRate: config.kktBaud,
      driver: { ...kktLog(log), taxSystem: config.taxSystem ?? null },
      emulator: { registration: emulatorRegistration(config) },
    });
  if (config.kkt === 'emulator') return open();
  const first = await open().catch((e: Error) => {
    log.error(`The KKT on ${config.kkt} could not be opened (${e.message}); sales wait until it answers`);
    return null;
  });
  return new ConnectOnDemandKkt(open, config.kkt, first);
}

/** The in-process emulator's registration from the settings (validated by the config schema). */
function emulatorRegistration(config: StationConfig): EmulatorOptions['registration'] {
  return {
    ...(config.emulatorTaxSystems
      ? { taxSystems: maskOfTaxSystems(parseTaxSystemList(config.emulatorTaxSystems)) }
      : {}),
    ...(config.emulatorFnExpires ? { fnExpiresOn: config.emulatorFnExpires } : {}),
  };
}

/** The driver's log lines at debug, its device errors at warn, in the station log. */
export function kktLog(log: Logger): Pick<ShtrihKktOptions, 'log' | 'warn'> {
  return { log: (line) => log.debug(`kkt: ${line}`), warn: (line) => log.warn(`kkt: ${line}`) };
}

/** Opens the KKT named by `spec` ('emulator', 'tcp://host:port' or a serial port path). */
export async function openKkt(spec: string, options: OpenKktOptions = {}): Promise<ShtrihKkt> {
  if (spec === 'emulator') return (await openEmulatedKkt(options)).kkt;
  // serialport loads a native binding: import it only when a real device is asked for.
  if (spec.startsWith('tcp://')) {
    const url = new URL(spec);
    const { openTcpChannel } = await import('../core/kkt/shtrih/tcp-channel.ts');
    return new ShtrihKkt(
      await openTcpChannel(url.hostname, url.port ? Number(url.port) : SHTRIH_TCP_PORT),
      options.driver,
    );
  }
  const { openSerialChannel } = await import('../core/kkt/shtrih/serial-channel.ts');
  return new ShtrihKkt(
    await openSerialChannel({ path: spec, baudRate: options.baudRate ?? 115200 }),
    options.driver,
  );
}

/** The in-process emulator and a driver connected to it; tests use the emulator handle for faults. */
export async function openEmulatedKkt(
  options: OpenKktOptions = {},
): Promise<{ kkt: ShtrihKkt; emulator: KktEmulator }> {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, {
    statePath: options.dataDir ? join(options.dataDir, EMULATOR_STATE_FILE) : null,
    ...options.emulator,
  });
  const kkt = new ShtrihKkt(host, {
    emulated: true,
    ...options.driver,
    onClose: async () => {
      await emulator.close();
      await device.close();
      await options.driver?.onClose?.();
    },
  });
  return { kkt, emulator };
}
