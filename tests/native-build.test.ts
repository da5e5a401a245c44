// The two builds of better-sqlite3 (src/main/core/sqlite.ts, scripts/native-build.mjs): the ABI check
// that `npm start` and `npm run package` rely on, on the real Node build in node_modules and on files
// that name another ABI; the folder rule shared by the script and the core; and the nativeBinding the
// core passes under Electron (and not under Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  electronBuildName,
  nativeBindingFor,
  NativeBuildMissingError,
  NATIVE_FILE_NAME,
} from '../src/main/core/sqlite.ts';
import { tempDir } from './helpers/fixture.ts';
import { REPO_ROOT } from './helpers/headless.ts';

interface NativeBuildModule {
  readModuleAbi(file: string): number | 'napi' | null;
  checkBuild(file: string, abi: number): { ok: boolean; reason?: string };
  electronBuildDir(abi: number, platform?: string, arch?: string, root?: string): string;
  electronAbi(version: string, executable?: string | null): number;
  electronVersion(): string | null;
  NATIVE_FILE_NAME: string;
  REBUILD_COMMAND: string;
}
const script = async () =>
  (await import(pathToFileURL(join(REPO_ROOT, 'scripts/native-build.mjs')).href)) as NativeBuildModule;

/** A stand-in for a compiled addon: some machine code around the symbol the loader looks for. */
function fakeAddon(dir: string, name: string, symbol: string): string {
  const file = join(dir, name);
  const filler = Buffer.alloc(4096, 0x90);
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF'), filler, Buffer.from(`\0${symbol}\0`), filler]));
  return file;
}

test("the Node build in node_modules is read as this Node's ABI", async () => {
  const { readModuleAbi, checkBuild } = await script();
  const nodeBuild = join(
    dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
    'build/Release/better_sqlite3.node',
  );
  assert.equal(readModuleAbi(nodeBuild), Number(process.versions.modules));
  assert.deepEqual(checkBuild(nodeBuild, Number(process.versions.modules)), { ok: true });
  // The very file that made the desktop app fail: a Node build where Electron 45 needs ABI 150.
  const forElectron = checkBuild(nodeBuild, 150);
  assert.equal(forElectron.ok, false);
  assert.match(
    forElectron.reason!,
    new RegExp(`NODE_MODULE_VERSION ${process.versions.modules}, Electron needs 150`),
  );
  assert.match(forElectron.reason!, /npm run rebuild:electron/);
});

test('the ABI check tells an Electron build, a Node-API addon, a foreign file and a missing one apart', async (t) => {
  const { readModuleAbi, checkBuild, REBUILD_COMMAND } = await script();
  const dir = tempDir(t, 'abi-');
  const electron = fakeAddon(dir, 'electron.node', 'node_register_module_v150');
  const napi = fakeAddon(dir, 'napi.node', 'napi_register_module_v1');
  const foreign = fakeAddon(dir, 'foreign.node', 'something_else');
  assert.equal(readModuleAbi(electron), 150);
  assert.equal(readModuleAbi(napi), 'napi');
  assert.equal(readModuleAbi(foreign), null);
  assert.deepEqual(checkBuild(electron, 150), { ok: true });
  assert.deepEqual(checkBuild(napi, 150), { ok: true }, 'Node-API loads under any runtime');
  assert.match(checkBuild(electron, 151).reason!, /NODE_MODULE_VERSION 150, Electron needs 151/);
  assert.match(checkBuild(foreign, 150).reason!, /an unknown runtime/);
  const missing = checkBuild(join(dir, 'absent.node'), 150);
  assert.equal(missing.ok, false);
  assert.ok(missing.reason!.endsWith(`Make it with: ${REBUILD_COMMAND}`), missing.reason);
});

test("Electron 45's ABI is 150, and the script and the core name the build's folder alike", async () => {
  const { electronAbi, electronVersion, electronBuildDir, NATIVE_FILE_NAME: scriptFile } = await script();
  assert.equal(electronAbi('45.5.0'), 150, "node-abi's table (no binary here)");
  assert.match(electronVersion() ?? '', /^45\./, 'the installed electron package');
  assert.equal(scriptFile, NATIVE_FILE_NAME);
  for (const [platform, arch] of [
    ['linux', 'x64'],
    ['win32', 'x64'],
    ['linux', 'arm64'],
  ] as const)
    assert.equal(
      relative(join(REPO_ROOT, 'native'), electronBuildDir(150, platform, arch)),
      electronBuildName('150', platform, arch),
    );
});

test('under Electron the core passes the Electron build as nativeBinding; under Node nothing', () => {
  const node = { ...process.versions };
  delete (node as { electron?: string }).electron;
  assert.equal(
    nativeBindingFor(node, '/opt/app/native', () => false),
    undefined,
  );

  const electron = { ...process.versions, electron: '45.5.0', modules: '150' };
  const expected = join('/opt/app/native', electronBuildName('150'), 'better_sqlite3.node');
  assert.equal(
    nativeBindingFor(electron, '/opt/app/native', (f) => f === expected),
    expected,
  );
  assert.throws(
    () => nativeBindingFor(electron, '/opt/app/native', () => false),
    (e: Error) =>
      e instanceof NativeBuildMissingError &&
      e.message.includes(expected) &&
      /rebuild:electron/.test(e.message),
  );
  assert.throws(() => nativeBindingFor(electron, null), /did not say where/);
});
