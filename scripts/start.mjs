#!/usr/bin/env node
// `npm start`: the desktop app when this machine has the Electron binary (build, then launch it);
// otherwise the same app in a browser through the browser host (`npm run web`, which builds the renderer
// first when it is missing or older than its sources). Signals are passed on, so Ctrl+C stops the station gracefully either way.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The Electron executable, or null. Deliberately not `require('electron')`: since Electron's binary is
 * fetched lazily, requiring the package without it starts a download, which on a closed network hangs
 * or fails. The package records the executable's path in path.txt once it has been installed.
 */
function electronBinary() {
  const pkg = join(ROOT, 'node_modules', 'electron');
  let relative = 'electron';
  try {
    relative = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  }
  const exe = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(pkg, 'dist', relative);
  return existsSync(exe) ? exe : null;
}

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
  // `electron .` once package.json's "main" names the bundle (then app.getVersion() reads package.json).
  const { main } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  foreground(electron, [main ? '.' : join(ROOT, 'dist/main/main.cjs')]);
} else {
  console.log(
    'Electron binary not available on this machine; starting the browser host instead (npm run web).',
  );
  foreground(process.execPath, [join(ROOT, 'scripts/web.mjs')]);
}
