// Opens the host's ByteChannel on a TCP connection to a network Shtrih model. The errors are worded
// for the cashier's status line.

import { connect } from 'node:net';
import { SHTRIH_TCP_PORT, StreamChannel } from '../../../../shtrih-protocol/stream-channel.ts';

export function openTcpChannel(
  host: string,
  port = SHTRIH_TCP_PORT,
  connectTimeoutMs = 5_000,
): Promise<StreamChannel> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`ККТ ${host}:${port} не отвечает (TCP)`));
    }, connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      // From here the StreamChannel listens to 'error', 'end' and 'close': the line is lost, the link
      // fails fast and connect-on-demand reconnects.
      resolve(
        new StreamChannel(socket, `tcp://${host}:${port}`, async () => {
          await new Promise<void>((done) => socket.end(() => done()));
          socket.destroy();
        }),
      );
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Не удалось подключиться к ККТ ${host}:${port}: ${err.message}`));
    });
  });
}
