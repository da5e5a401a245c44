#!/usr/bin/env node
// The Electron build of better-sqlite3, beside the Node one (src/main/core/sqlite.ts says why two).
//
//   node scripts/native-build.mjs --check     is the Electron build there, and of Electron's ABI? (exit 1 if not)
//   node scripts/native-build.mjs --rebuild   make it: `npm run rebuild:electron` (needs the internet)
//
// The build goes to native/electron-v<abi>-<platform>-<arch>/better_sqlite3.node (the folder name is the
// rule of electronBuildName in src/main/core/sqlite.ts). It is made by @electron/rebuild in a scratch
// copy of node_modules/better-sqlite3 (.native-build/), never in place: node_modules keeps the Node build
// that `npm test`, headless and the browser host load.
//
// The ABI check reads the file instead of loading it (a build for another ABI cannot be loaded here):
// an addon built with NODE_MODULE_INIT exports `node_register_module_v<ABI>`, which names its ABI in
// ELF, PE and Mach-O alike.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const NATIVE_FILE_NAME = 'better_sqlite3.node';
/** The one command that makes the Electron build, for messages. */
export const REBUILD_COMMAND = 'npm run rebuild:electron';

/**
 * The ABI a native addon was built for: a number (NODE_MODULE_VERSION), 'napi' for a Node-API addon
 * (loads under any runtime), or null when the file is no addon we recognise.
 */
export function readModuleAbi(file) {
  const text = readFileSync(file).toString('latin1');
  const abi = /node_register_module_v(\d+)/.exec(text);
  if (abi) return Number(abi[1]);
  return /napi_register_module_v\d+/.test(text) ? 'napi' : null;
}

/** The Electron build's folder: the same rule as electronBuildName in src/main/core/sqlite.ts. */
export function electronBuildDir(abi, platform = process.platform, arch = process.arch, root = ROOT) {
  return join(root, 'native', `electron-v${abi}-${platform}-${arch}`);
}

/**
 * The Electron executable, or null. Deliberately not `require('electron')`: since Electron's binary is
 * fetched lazily, requiring the package without it starts a download, which on a closed network hangs
 * or fails. The package records the executable's path in path.txt once it has been installed.
 */
export function electronBinary(root = ROOT) {
  const pkg = join(root, 'node_modules', 'electron');
  let executable = 'electron';
  try {
    executable = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  }
  const exe = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable)
    : join(pkg, 'dist', executable);
  return existsSync(exe) ? exe : null;
}

/** The installed electron package's version, or null. */
export function electronVersion(root = ROOT) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * Electron's NODE_MODULE_VERSION: asked of the binary itself when there is one (run as Node), else
 * looked up in node-abi's table (installed with prebuild-install and @electron/rebuild).
 */
export function electronAbi(version, executable = null) {
  if (executable) {
    const r = spawnSync(executable, ['-p', 'process.versions.modules'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const abi = Number(r.stdout?.trim());
    if (r.status === 0 && Number.isInteger(abi) && abi > 0) return abi;
  }
  const nodeAbi = createRequire(join(ROOT, 'package.json'))('node-abi');
  return Number(nodeAbi.getAbi(version, 'electron'));
}

/**
 * Whether `file` is a build for `abi`: { ok: true } or { ok: false, reason } in words a developer acts on.
 */
export function checkBuild(file, abi) {
  if (!existsSync(file))
    return { ok: false, reason: `${file} does not exist. Make it with: ${REBUILD_COMMAND}` };
  const found = readModuleAbi(file);
  if (found === abi || found === 'napi') return { ok: true };
  return {
    ok: false,
    reason:
      `${file} is built for ${found === null ? 'an unknown runtime' : `NODE_MODULE_VERSION ${found}`}, ` +
      `Electron needs ${abi}. Make it again with: ${REBUILD_COMMAND}`,
  };
}

/** Makes the Electron build of better-sqlite3 with @electron/rebuild; returns the file. Needs the internet. */
export async function rebuildForElectron({ version, abi, arch = process.arch, root = ROOT }) {
  const scratch = join(root, '.native-build');
  const moduleDir = join(scratch, 'node_modules', 'better-sqlite3');
  rmSync(scratch, { recursive: true, force: true });
  // A copy without its Node build. Inside the repository, so @electron/rebuild finds prebuild-install
  // (a prebuilt binary for Electron from better-sqlite3's releases, else a compile from source).
  cpSync(join(root, 'node_modules/better-sqlite3'), moduleDir, {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const rel = relative(join(root, 'node_modules/better-sqlite3'), src);
      return rel !== 'build' && !rel.startsWith(`build${sep}`);
    },
  });
  try {
    const pkg = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8'));
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({
        name: 'native-build',
        private: true,
        dependencies: { 'better-sqlite3': pkg.version },
      }),
    );
    const { rebuild } = await import('@electron/rebuild');
    console.log(`Building better-sqlite3 ${pkg.version} for Electron ${version} (ABI ${abi}, ${arch})…`);
    // projectRootPath: the scratch folder, so the walk never reaches (and rebuilds) node_modules' copy.
    await rebuild({
      buildPath: scratch,
      projectRootPath: scratch,
      electronVersion: version,
      arch,
      onlyModules: ['better-sqlite3'],
      force: true,
    });
    const built = join(moduleDir, 'build', 'Release', NATIVE_FILE_NAME);
    const check = checkBuild(built, abi);
    if (!check.ok) throw new Error(`@electron/rebuild did not produce an Electron build: ${check.reason}`);
    const dir = electronBuildDir(abi, process.platform, arch, root);
    mkdirSync(dir, { recursive: true });
    cpSync(built, join(dir, NATIVE_FILE_NAME));
    writeFileSync(
      join(dir, 'build-info.json'),
      `${JSON.stringify({ betterSqlite3: pkg.version, electron: version, abi, platform: process.platform, arch }, null, 2)}\n`,
    );
    return join(dir, NATIVE_FILE_NAME);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Electron build for the installed Electron, made when missing or of the wrong ABI (when `rebuild`).
 * Returns { ok, file, abi, reason }.
 */
export async function ensureElectronBuild({ executable = null, rebuild = true } = {}) {
  const version = electronVersion();
  if (!version) return { ok: false, reason: 'The electron package is not installed (npm install).' };
  const abi = electronAbi(version, executable);
  const file = join(electronBuildDir(abi), NATIVE_FILE_NAME);
  let check = checkBuild(file, abi);
  if (check.ok || !rebuild) return { ...check, file, abi };
  console.log(
    `The Electron build of better-sqlite3 is missing or stale: ${check.reason.split('. Make')[0]}.`,
  );
  try {
    await rebuildForElectron({ version, abi });
  } catch (e) {
    return {
      ok: false,
      file,
      abi,
      reason: `${e.message}\nIt needs the internet (Electron's headers or a prebuilt binary). When online: ${REBUILD_COMMAND}`,
    };
  }
  check = checkBuild(file, abi);
  return { ...check, file, abi };
}

async function main() {
  const rebuild = process.argv.includes('--rebuild');
  if (!rebuild && !process.argv.includes('--check')) {
    console.error('Usage: node scripts/native-build.mjs --check | --rebuild');
    process.exit(2);
  }
  const version = electronVersion();
  if (!version) throw new Error('The electron package is not installed (npm install).');
  const abi = electronAbi(version);
  if (rebuild) {
    const file = await rebuildForElectron({ version, abi });
    console.log(`Electron build ready: ${relative(ROOT, file).split(sep).join('/')} (ABI ${abi})`);
    return;
  }
  const file = join(electronBuildDir(abi), NATIVE_FILE_NAME);
  const check = checkBuild(file, abi);
  if (!check.ok) {
    console.error(check.reason);
    process.exit(1);
  }
  console.log(`${relative(ROOT, file)}: Electron ${version}, ABI ${abi}: OK`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
