#!/usr/bin/env node
// `npm run package`: the installer for THIS machine's platform, on a developer's or the release machine
// (it needs the Electron binary and the internet):
//   Linux   → out/*.deb (the tills' package: it installs chrome-sandbox SUID, see electron-builder.yml)
//   Windows → out/*.exe (NSIS); build it on Windows: the native module is compiled for the machine it is
//             built on, so a Windows installer made on Linux would ship a Linux better_sqlite3.node.
//
// Steps: the full build (scripts/build.mjs); the Electron build of better-sqlite3 made or checked
// (scripts/native-build.mjs); electron-builder (npmRebuild: false, so node_modules keeps its Node build
// and `npm test` still works afterwards); then the packaged native file's ABI is checked again, and a
// package whose database could not open is refused with exit 1, never shipped.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  checkBuild,
  electronBinary,
  electronBuildDir,
  ensureElectronBuild,
  NATIVE_FILE_NAME,
  ROOT,
} from './native-build.mjs';

/** electron-builder's target and its unpacked output folder per platform. */
const TARGETS = {
  linux: { args: ['--linux', 'deb'], unpacked: 'linux-unpacked' },
  win32: { args: ['--win', 'nsis'], unpacked: 'win-unpacked' },
};

function run(what, args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal}).`);
}

function fail(message) {
  console.error(`\nPACKAGING FAILED: ${message}`);
  process.exit(1);
}

const target = TARGETS[process.platform];
if (!target)
  fail(`no package is made on ${process.platform}: build the .deb on Linux and the installer on Windows.`);

run('npm run build', [join(ROOT, 'scripts/build.mjs')]);

const native = await ensureElectronBuild({ executable: electronBinary() });
if (!native.ok) fail(native.reason);
console.log(`Electron build of better-sqlite3: ${native.file} (ABI ${native.abi})`);

run('electron-builder', [
  join(ROOT, 'node_modules/electron-builder/cli.js'),
  ...target.args,
  '--publish',
  'never',
]);

// What the package will load, checked where it was packed (asarUnpack: native/**).
const dir = electronBuildDir(native.abi, process.platform, process.arch, '');
const packed = join(ROOT, 'out', target.unpacked, 'resources', 'app.asar.unpacked', dir, NATIVE_FILE_NAME);
const check = checkBuild(packed, native.abi);
if (!check.ok) fail(`the package's database module is wrong: ${check.reason}`);
console.log(`Package checked: ${packed} is built for Electron's ABI ${native.abi}.`);
