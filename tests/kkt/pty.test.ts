// The same flows over a real pseudo-terminal pair (socat) with the emulator CLI as a child process:
// serialport on the host end, the emulator on the other. Also: the emulator is killed with SIGKILL
// and restarted, and the numbering continues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KktError } from '../../src/shared/errors.ts';
import type { ShtrihKkt } from '../../src/main/core/kkt/shtrih-kkt.ts';
import { openKkt } from '../../src/main/app/open-kkt.ts';
import { line, sale, tempDir } from './helpers.ts';
import { bundlePath } from '../helpers/bundles.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LINK = { ctlTimeoutMs: 500, byteTimeoutMs: 200, maxTries: 4 };

function startEmulator(port: string, statePath: string): Promise<{ child: ChildProcess; readyLine: string }> {
  const child = spawn(process.execPath, [bundlePath('kkt-emulator'), '--port', port, '--state', statePath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${err}`)));
    waitFor('the emulator ready line', () => out.includes('\n'), 20_000).then(
      () => resolve({ child, readyLine: out.trim() }),
      (e: unknown) => reject(new Error(`${(e as Error).message}; stderr: ${err}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test(
  'flows over a socat pty pair with the emulator CLI; SIGKILL + restart keeps numbering',
  { timeout: 60_000 },
  async () => {
    assert.equal(
      spawnSync('sh', ['-c', 'command -v socat']).status,
      0,
      'socat is required: apt-get install -y socat',
    );
    const t = tempDir('kkt-pty-');
    const hostPath = join(t.dir, 'kkt-host');
    const emuPath = join(t.dir, 'kkt-emu');
    const statePath = join(t.dir, 'state.json');
    const socat = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${emuPath}`],
      { stdio: 'ignore' },
    );
    let emu: ChildProcess | null = null;
    let kkt: ShtrihKkt | null = null;
    try {
      await waitFor('socat pty links', () => existsSync(hostPath) && existsSync(emuPath));
      const started = await startEmulator(emuPath, statePath);
      emu = started.child;
      assert.match(started.readyLine, /KKT emulator ready on .*kkt-emu .*not a fiscal device/);

      kkt = await openKkt(hostPath, { baudRate: 115200, driver: { link: LINK, pollIntervalMs: 20 } });
      assert.equal(kkt.emulated, false, 'over a port the driver cannot know it is an emulator');
      let s = await kkt.status();
      assert.equal(s.connected, true);
      assert.equal(s.fnNumber, '9999078900000001');

      const opened = await kkt.openShift('Иванов И.И.');
      assert.equal(opened.fdNumber, 1);
      for (let i = 0; i < 10; i++) {
        const price = (1000 + 100 * i) * 100;
        await kkt.printReceipt(
          sale(
            [line(`Товар ${i + 1}`, price, 1000, { vat: i % 2 ? 'vat20' : 'vat22' })],
            i < 5 ? { cashKop: price } : { cardKop: price },
            { cashierName: 'Иванов И.И.' },
          ),
        );
      }
      const refund = await kkt.printReceipt({ ...sale([line('Товар 1', 100_000)]), operation: 'refund' });
      assert.match(refund.qr, /&n=2$/);
      await kkt.cashIn(50_000);
      await kkt.cashOut(20_000);
      const x = await kkt.xReport();
      assert.deepEqual(x.sales, { cashKop: 600_000, cardKop: 850_000, otherKop: 0, totalKop: 1_450_000 });
      assert.equal(x.refunds.cashKop, 100_000);
      assert.equal(x.cashInDrawerKop, 600_000 - 100_000 + 50_000 - 20_000);
      assert.equal(await kkt.cancelReceipt(), false);
      assert.equal((await kkt.lastDocument())?.fdNumber, refund.fdNumber);

      // kill -9 the device right after an acknowledged receipt, then bring it back.
      const lastBeforeKill = await kkt.printReceipt(sale([line('Перед сбоем', 7_700)]));
      emu.kill('SIGKILL');
      await exited(emu);
      const down = await kkt.status();
      assert.equal(down.connected, false);
      assert.match(down.problem ?? '', /не отвечает/);
      await assert.rejects(
        kkt.printReceipt(sale([line('Без связи', 100)])),
        (e: unknown) => e instanceof KktError && e.failure === 'refused',
      );
      emu = (await startEmulator(emuPath, statePath)).child;
      s = await kkt.status();
      assert.equal(s.lastFdNumber, lastBeforeKill.fdNumber);
      assert.equal(s.shiftOpen, true);
      const afterRestart = await kkt.printReceipt(sale([line('После сбоя', 1_100)]));
      assert.equal(afterRestart.fdNumber, lastBeforeKill.fdNumber + 1);

      const z = await kkt.closeShift('Иванов И.И.');
      assert.equal(z.saleReceipts, 12);
      assert.equal(z.fdNumber, afterRestart.fdNumber + 1);

      // SIGTERM stops the CLI cleanly.
      emu.kill('SIGTERM');
      assert.equal(await exited(emu), 0);
      emu = null;
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
        lastFd: number;
        shift: { open: boolean };
      };
      assert.equal(state.lastFd, z.fdNumber);
      assert.equal(state.shift.open, false);
    } finally {
      await kkt?.close();
      if (emu && emu.exitCode === null) {
        emu.kill('SIGKILL');
        await exited(emu);
      }
      socat.kill('SIGTERM');
      await exited(socat);
      t.cleanup();
    }
  },
);
