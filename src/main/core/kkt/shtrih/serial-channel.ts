// Opens the host's ByteChannel on a serial port (RS-232, USB-CDC, or one end of a socat pty pair),
// with the Shtrih-M line settings. The errors are worded for the cashier's status line.

import { SerialPort } from 'serialport';
import { SHTRIH_SERIAL_SETTINGS, StreamChannel } from '../../../../shtrih-protocol/stream-channel.ts';

export interface SerialChannelOptions {
  path: string;
  /** 115200 on most current models; 4800 on some older ones. */
  baudRate?: number;
}

export async function openSerialChannel(options: SerialChannelOptions): Promise<StreamChannel> {
  const port = new SerialPort({
    path: options.path,
    baudRate: options.baudRate ?? 115200,
    ...SHTRIH_SERIAL_SETTINGS,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((err) =>
      err ? reject(new Error(`Не удалось открыть порт ККТ ${options.path}: ${err.message}`)) : resolve(),
    ),
  );
  return new StreamChannel(port, `${port.path} @${port.baudRate}`, async () => {
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  });
}
