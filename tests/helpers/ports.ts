// A free loopback TCP port: bind port 0, read what the kernel picked, release it. There is a small
// window in which another process could take it; the callers retry a start-up on EADDRINUSE
// (startHeadless in headless.ts does).
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not read the picked port'))));
    });
  });
}
