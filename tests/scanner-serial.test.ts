// A barcode scanner in serial (COM) mode over a real socat pseudo-terminal pair: the station opened
// with STATION_SCANNER pushes each line as a scanner.scan event — a receipt's QR too, longer than a
// barcode, for «Возврат»; a DataMatrix with the raw group separator (0x1D) real serial scanners send,
// which the till's marking-code path takes with its exact code; noise (other control bytes too) and
// over-long lines are dropped; a lost port is reopened when it comes back at the same path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { startSerialScanner } from '../src/main/core/catalog/serial-scanner.ts';
import { SCANNER_LINE_MAX_LENGTH } from '../src/shared/scanner-line.ts';
import { SCAN_PATTERN } from '../src/shared/barcode.ts';
import { GS, MARK_SCAN_PATTERN, parseMarkCode } from '../src/shared/marking-code.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

/** A receipt's QR as the KKT prints it: 68 characters, more than a barcode's 64. */
const RECEIPT_QR = 't=20261130T1002&s=1234.50&fn=9999078900012345&i=42&fp=3522609126&n=1';
/** A DataMatrix with a 91/92 crypto tail as a serial scanner sends it: GS as the raw byte 0x1D. */
const DATAMATRIX = `0104600439931256215Cc9Mgx7Vb1YU${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;

function ptyPair(dir: string): { child: ChildProcess; host: string; device: string; stop(): Promise<void> } {
  const host = join(dir, 'scanner-host');
  const device = join(dir, 'scanner-device');
  const child = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], {
    stdio: 'ignore',
  });
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    host,
    device,
    async stop() {
      child.kill('SIGKILL');
      await gone;
    },
  };
}

/** What the scanner does: write the code and its terminator to its end of the line. */
function scan(device: string, text: string): void {
  const fd = openSync(device, 'w');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

test(
  'serial scanner: each line is a scan, noise is dropped, a lost port is reopened',
  { timeout: 60_000 },
  async (t) => {
    assert.equal(
      spawnSync('sh', ['-c', 'command -v socat']).status,
      0,
      'socat is required: apt-get install -y socat',
    );
    const dir = tempDir(t);
    let pair = ptyPair(dir);
    t.after(() => pair.stop());
    await waitFor('the pty pair', () => existsSync(pair.host) && existsSync(pair.device), 10_000);
    const scans: string[] = [];
    const warnings: string[] = [];
    const scanner = startSerialScanner({
      path: pair.host,
      baudRate: 9600,
      log: { ...silentLogger, warn: (m) => warnings.push(m) },
      onScan: (c) => scans.push(c),
      reopenMs: 200,
    });
    t.after(() => scanner.close());
    await new Promise((r) => setTimeout(r, 300));
    scan(pair.device, '4600000000015\r');
    scan(pair.device, '2200123007544\r\n');
    scan(pair.device, 'ABC-128 x\n'); // a space: not a code
    scan(pair.device, `${'7'.repeat(SCANNER_LINE_MAX_LENGTH + 1)}\r\n`); // longer than any code a screen takes
    scan(pair.device, 'CODE128-XYZ\n');
    scan(pair.device, `${RECEIPT_QR}\r`);
    scan(pair.device, `${DATAMATRIX}\r\n`);
    scan(pair.device, '46000\x0700015\r\n'); // a control byte other than GS: noise
    scan(pair.device, 'CODE128-END\n');
    await waitFor('six scans', () => scans.length >= 6, 10_000);
    assert.deepEqual(scans, [
      '4600000000015',
      '2200123007544',
      'CODE128-XYZ',
      RECEIPT_QR,
      DATAMATRIX,
      'CODE128-END',
    ]);
    assert.equal(warnings.filter((w) => /not a barcode/.test(w)).length, 3);

    // The DataMatrix reaches the till's marking-code path as it is: taken while the till asks for a
    // code (never as a barcode), and parsed to the exact code the KKT is sent.
    const read = scans[4]!;
    assert.equal(MARK_SCAN_PATTERN.test(read), true);
    assert.equal(SCAN_PATTERN.test(read), false);
    const mark = parseMarkCode(read);
    assert.equal(mark.code, DATAMATRIX);
    assert.equal(mark.kind, 'crypto44');
    assert.equal(mark.key, 'FFD0');

    // The cable is pulled and plugged back: the same path comes back, the scanner reads again.
    await pair.stop();
    pair = ptyPair(dir);
    await waitFor('the pty pair again', () => existsSync(pair.device), 10_000);
    await waitFor(
      'the scanner reopened',
      async () => {
        scan(pair.device, '4607000000014\n');
        await new Promise((r) => setTimeout(r, 150));
        return scans.includes('4607000000014');
      },
      15_000,
    );
  },
);
