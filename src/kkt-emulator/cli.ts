// Runs the KKT emulator on a serial device, e.g. one end of a socat pty pair:
//   socat -d -d pty,raw,echo=0,link=/tmp/kkt/host pty,raw,echo=0,link=/tmp/kkt/emu &
//   tsx src/kkt-emulator/cli.ts --port /tmp/kkt/emu --state .data/kkt-emulator.json
// and point the station at the other end (STATION_KKT=/tmp/kkt/host). Prints one line when ready;
// stops cleanly on SIGTERM/SIGINT. It is a test and demo device, never a fiscal one.

import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { SHTRIH_SERIAL_SETTINGS, StreamChannel } from '../shtrih-protocol/stream-channel.ts';
import { parseFnExpiryDate } from '../shared/fn-health.ts';
import { maskOfTaxSystems, parseTaxSystemList, taxSystemsOfMask } from '../shared/tax-systems.ts';
import { KktEmulator, type EmulatorOptions } from './emulator.ts';

const USAGE =
  'usage: kkt-emulator --port PATH [--state FILE] [--baud N] [--print-delay MS] [--fault KIND:CMD[:COUNT]]... [--verbose]\n' +
  '       [--reject-mark CODE[=crypto|status]]... [--mark-server online|no_answer|autonomous]\n' +
  '       [--tax-systems osn,usn_income,usn_income_expense,esn,patent] [--fn-expires YYYY-MM-DD] [--no-2d-barcodes]\n' +
  '  --fault arms a fault at start (docs/kkt.md): KIND dropAck|corrupt|lose|dropFrame, CMD the command code in hex (ff46, 50)';
const MARK_SERVER_MODES = ['online', 'no_answer', 'autonomous'] as const;

/** `--fault dropAck:ff46[:2]` → an armed fault; null when malformed. */
function parseFault(
  spec: string,
): { kind: 'dropAck' | 'corrupt' | 'lose' | 'dropFrame'; command: number; count: number } | null {
  const m = /^(dropAck|corrupt|lose|dropFrame):([0-9a-fA-F]{2,4})(?::(\d+))?$/.exec(spec);
  if (!m) return null;
  return { kind: m[1] as 'dropAck', command: parseInt(m[2]!, 16), count: m[3] ? Number(m[3]) : 1 };
}

/** --tax-systems and --fn-expires: a bad value stops the emulator with the value and what is allowed. */
function registrationOf(values: {
  'tax-systems'?: string;
  'fn-expires'?: string;
}): EmulatorOptions['registration'] {
  const reg: NonNullable<EmulatorOptions['registration']> = {};
  try {
    if (values['tax-systems'] !== undefined)
      reg.taxSystems = maskOfTaxSystems(parseTaxSystemList(values['tax-systems']));
  } catch (e) {
    throw new UsageError(`--tax-systems: ${(e as Error).message}`);
  }
  try {
    if (values['fn-expires'] !== undefined) reg.fnExpiresOn = parseFnExpiryDate(values['fn-expires']);
  } catch (e) {
    throw new UsageError(`--fn-expires: ${(e as Error).message}`);
  }
  return reg;
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      state: { type: 'string' },
      baud: { type: 'string', default: '115200' },
      'print-delay': { type: 'string', default: '0' },
      fault: { type: 'string', multiple: true, default: [] },
      'tax-systems': { type: 'string' },
      'fn-expires': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      // An older firmware without DDh/DEh: both answer 37h, so the station prints a copy's QR as text.
      'no-2d-barcodes': { type: 'boolean', default: false },
      // Marked goods: codes the FN (crypto) or the marking server (status, the default) rejects; GS may be
      // written as {GS} on a command line.
      'reject-mark': { type: 'string', multiple: true, default: [] },
      'mark-server': { type: 'string', default: 'online' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.port) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const baudRate = Number(values.baud);
  const printDelayMs = Number(values['print-delay']);
  if (!Number.isInteger(baudRate) || baudRate <= 0 || !Number.isFinite(printDelayMs) || printDelayMs < 0) {
    console.error(USAGE);
    process.exit(2);
  }

  const faults = values.fault.map(parseFault);
  const markServer = values['mark-server'] as (typeof MARK_SERVER_MODES)[number];
  if (faults.some((f) => f === null) || !MARK_SERVER_MODES.includes(markServer)) {
    console.error(USAGE);
    process.exit(2);
  }
  const registration = registrationOf(values);

  const port = new SerialPort({ path: values.port, baudRate, ...SHTRIH_SERIAL_SETTINGS, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new Error(`cannot open ${values.port}: ${err.message}`)) : resolve())),
  );
  const channel = new StreamChannel(
    port,
    `${values.port} @${baudRate}`,
    () => new Promise<void>((resolve) => port.close(() => resolve())),
  );
  const emulator = new KktEmulator(channel, {
    statePath: values.state ?? null,
    printDelayMs,
    registration,
    barcodes2d: !values['no-2d-barcodes'],
    log: values.verbose ? (line) => console.error(`[kkt-emulator] ${line}`) : undefined,
  });

  for (const f of faults) {
    const target = { command: f!.command, count: f!.count };
    if (f!.kind === 'dropAck') emulator.faults.dropAck(target);
    else if (f!.kind === 'corrupt') emulator.faults.corruptAnswer(target);
    else if (f!.kind === 'lose') emulator.faults.loseAnswer(target);
    else emulator.faults.dropFrame(target);
  }
  emulator.setMarkServer(markServer);
  for (const spec of values['reject-mark']) {
    const [, code, check] = /^(.*?)(?:=(crypto|status))?$/.exec(spec)!;
    try {
      emulator.rejectMarkCode(code!, (check as 'crypto' | 'status' | undefined) ?? 'status');
    } catch (e) {
      console.error(`kkt-emulator: --reject-mark ${spec}: ${(e as Error).message}`);
      process.exit(2);
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await emulator.close();
    await channel.close();
    console.error(`kkt-emulator: stopped (${signal})`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const s = emulator.snapshot();
  console.log(
    `KKT emulator ready on ${values.port} @${baudRate} (state ${values.state ?? 'in memory'}, FN ${s.identity.fnNumber} valid to ${s.identity.fnExpiresOn}, tax systems ${parseTaxSystemNames(s.identity.taxSystems)}, last FD ${s.lastFd}, drawer opened ${s.drawerOpenings?.[0] ?? 0} times) — not a fiscal device`,
  );
}

function parseTaxSystemNames(mask: number): string {
  return taxSystemsOfMask(mask).join(',') || `mask ${mask}`;
}

main().catch((err: unknown) => {
  console.error(`kkt-emulator: ${(err as Error).message}`);
  if (err instanceof UsageError) console.error(USAGE);
  process.exit(err instanceof UsageError ? 2 : 1);
});
