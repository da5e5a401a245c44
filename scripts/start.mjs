#!/usr/bin/env node
// `npm start`: the desktop app when this machine has the Electron binary (build, then launch it);
// otherwise the same app in a browser through the browser host (`npm run web`, which builds the renderer
// first when it is missing or older than its sources). Signals are passed on, so Ctrl+C stops the station gracefully either way.
// Before launching Electron it checks the Electron build of better-sqlite3 (scripts/native-build.mjs) and
// makes it when missing; when that cannot be done (offline), it says the one command that does, and stops.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, ensureElectronBuild } from './native-build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runBuild(args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Runs the child in the foreground: our signals go to it, its exit code becomes ours. */
function foreground(cmd, args) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron) {
  runBuild([]);
  const native = await ensureElectronBuild({ executable: electron });
  if (!native.ok) {
    console.error(`The desktop app cannot open its database under Electron: ${native.reason}`);
    process.exit(1);
  }
  // `electron .` once package.json's "main" names the bundle (then app.getVersion() reads package.json).
  const { main } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  foreground(electron, [main ? '.' : join(ROOT, 'dist/main/main.cjs')]);
} else {
  console.log(
    'Electron binary not available on this machine; starting the browser host instead (npm run web).',
  );
  foreground(process.execPath, [join(ROOT, 'scripts/web.mjs')]);
}
