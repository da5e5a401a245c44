// Marked goods over a real pseudo-terminal pair (socat) with the emulator CLI as a child process: the
// driver checks and binds a code on the wire, a code the CLI was told to reject (--reject-mark) is
// refused with nothing printed, and the state file records the code bound to its receipt line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarkRejectedError } from '../../src/shared/errors.ts';
import type { ShtrihKkt } from '../../src/main/core/kkt/shtrih-kkt.ts';
import type { KktLineMark } from '../../src/main/core/kkt/kkt.ts';
import { openKkt } from '../../src/main/app/open-kkt.ts';
import { GS, parseMarkCode } from '../../src/shared/marking-code.ts';
import { line, sale, tempDir } from './helpers.ts';
import { bundlePath } from '../helpers/bundles.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;
const WATER = `0104600439931256215Nf9Mgx7Vb1YU${GS}93dGVz`;

function mark(code: string): KktLineMark {
  const mc = parseMarkCode(code);
  return { code: mc.code, gtin: mc.gtin, serial: mc.serial, measured: false };
}

function exited(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}

test(
  'marked sale and a rejected code over a socat pty pair with the emulator CLI',
  { timeout: 60_000 },
  async () => {
    assert.equal(spawnSync('sh', ['-c', 'command -v socat']).status, 0, 'socat is required');
    const t = tempDir('kkt-mark-pty-');
    const hostPath = join(t.dir, 'kkt-host');
    const emuPath = join(t.dir, 'kkt-emu');
    const statePath = join(t.dir, 'state.json');
    const socat = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${emuPath}`], {
      stdio: 'ignore',
    });
    let emu: ChildProcess | null = null;
    let kkt: ShtrihKkt | null = null;
    try {
      await waitFor('socat pty links', () => existsSync(hostPath) && existsSync(emuPath));
      emu = spawn(
        process.execPath,
        [
          bundlePath('kkt-emulator'),
          '--port',
          emuPath,
          '--state',
          statePath,
          '--reject-mark',
          `${WATER.replaceAll(GS, '{GS}')}=status`,
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      emu.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await waitFor('the emulator ready line', () => out.includes('\n'), 20_000);

      kkt = await openKkt(hostPath, {
        baudRate: 115200,
        driver: { link: { ctlTimeoutMs: 500, byteTimeoutMs: 200, maxTries: 4 }, pollIntervalMs: 20 },
      });
      await kkt.openShift();
      const sold = await kkt.printReceipt(
        sale([
          line('Хлеб', 5_000),
          line('Кроссовки', 150_000, 1000, { paymentSubject: 33, mark: mark(SHOES) }),
        ]),
      );
      await assert.rejects(
        kkt.printReceipt(sale([line('Вода', 9_000, 1000, { mark: mark(WATER) })])),
        (e: unknown) => e instanceof MarkRejectedError && e.info.rejectedBy === 'marking_server',
      );
      assert.equal((await kkt.lastDocument())?.fdNumber, sold.fdNumber, 'nothing after the sale');
      const status = await kkt.status();
      assert.equal(status.lastFdNumber, sold.fdNumber);

      emu.kill('SIGTERM');
      await exited(emu);
      emu = null;
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
        archive: { fd: number; marks?: { line: number; code: string; result2106: number }[] }[];
      };
      const doc = state.archive.find((d) => d.fd === sold.fdNumber)!;
      assert.deepEqual(doc.marks, [{ line: 1, code: SHOES, result2106: 0x0f }]);
      assert.equal(state.archive.length, 2, 'shift opening and one receipt');
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
