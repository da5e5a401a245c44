// The copy's QR over a real pseudo-terminal pair (socat) with the emulator CLI: the driver draws the QR
// with DDh/DEh through serialport and the CLI's --verbose log shows what it printed (what another host
// sees); with --no-2d-barcodes (an older firmware) the same printout carries the QR's text instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openKkt } from '../../src/main/app/open-kkt.ts';
import { line, sale, tempDir } from './helpers.ts';
import { bundlePath } from '../helpers/bundles.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LINK = { ctlTimeoutMs: 500, byteTimeoutMs: 200, maxTries: 4 };

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

for (const old of [false, true]) {
  test(
    `copy QR over a socat pty with the emulator CLI${old ? ' --no-2d-barcodes' : ''}`,
    { timeout: 60_000 },
    async () => {
      assert.equal(spawnSync('sh', ['-c', 'command -v socat']).status, 0, 'socat is required');
      const t = tempDir('kkt-qr-pty-');
      const [hostPath, emuPath] = [join(t.dir, 'host'), join(t.dir, 'emu')];
      const socat = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${emuPath}`], {
        stdio: 'ignore',
      });
      let emu: ChildProcess | null = null;
      let kkt: Awaited<ReturnType<typeof openKkt>> | null = null;
      try {
        await waitFor('socat pty links', () => existsSync(hostPath) && existsSync(emuPath));
        const args = ['--port', emuPath, '--state', join(t.dir, 'state.json'), '--verbose'];
        emu = spawn(
          process.execPath,
          [bundlePath('kkt-emulator'), ...args, ...(old ? ['--no-2d-barcodes'] : [])],
          {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let log = '';
        emu.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        emu.stderr!.on('data', (d: Buffer) => (log += d.toString()));
        await waitFor('the emulator ready line', () => out.includes('ready'), 20_000);

        kkt = await openKkt(hostPath, { baudRate: 115200, driver: { link: LINK, pollIntervalMs: 20 } });
        const attrs = await kkt.printReceipt(sale([line('Хлеб', 45_50)]));
        const result = await kkt.printText(['*** КОПИЯ ЧЕКА ***', { qr: attrs.qr }, '*** КОПИЯ ***']);
        if (old) {
          assert.equal(result.qrAsText[0]?.deviceCode, 0x37);
          assert.doesNotMatch(log, /QR code printed/);
        } else {
          assert.deepEqual(result.qrAsText, []);
          await waitFor('the CLI logs the drawn QR', () => log.includes(`QR code printed`));
          assert.ok(log.includes(`dots): ${attrs.qr}\n`), log);
        }
      } finally {
        await kkt?.close();
        if (emu && emu.exitCode === null) {
          emu.kill('SIGTERM');
          await exited(emu);
        }
        socat.kill('SIGTERM');
        await exited(socat);
        t.cleanup();
      }
    },
  );
}
