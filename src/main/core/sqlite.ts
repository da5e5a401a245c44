// Every SQLite file of the station (the buffer, the data directory's lock) is opened here, so that the
// native half of better-sqlite3 always fits the runtime that loads it.
//
// Two builds live side by side: node_modules/better-sqlite3 holds the one for Node (tests, headless, the
// browser host), compiled against Node's ABI; the desktop app needs one compiled against Electron's ABI
// (NODE_MODULE_VERSION 115 vs 150 for Node 20 and Electron 45), kept in its own folder
// `native/electron-v<abi>-<platform>-<arch>/better_sqlite3.node` (made by `npm run rebuild:electron`,
// scripts/native-build.mjs, which names the folder by the same rule). Under Electron that file is loaded
// through better-sqlite3's `nativeBinding` option; a missing one is a clear error naming the fix, never
// "was compiled against a different Node.js version" from deep inside the app.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type SqliteDb = Database.Database;

/** The Electron build's folder name for a runtime: the same rule as scripts/native-build.mjs. */
export function electronBuildName(
  abi: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  return `electron-v${abi}-${platform}-${arch}`;
}

export const NATIVE_FILE_NAME = 'better_sqlite3.node';

let electronNativeDir: string | null = null;

/** The Electron shell says where its `native/` folder is (inside the package it is app.asar.unpacked). */
export function useElectronNativeDir(dir: string): void {
  electronNativeDir = dir;
}

export class NativeBuildMissingError extends Error {
  constructor(readonly file: string) {
    super(
      `The Electron build of better-sqlite3 is missing: ${file}. On a developer's machine run ` +
        '`npm run rebuild:electron` (needs the internet), or build the package with `npm run package`.',
    );
    this.name = 'NativeBuildMissingError';
  }
}

/**
 * The `nativeBinding` for these runtime versions: none under Node (better-sqlite3 finds its own build),
 * the Electron build's file under Electron. Throws NativeBuildMissingError when that file is absent.
 */
export function nativeBindingFor(
  versions: NodeJS.ProcessVersions,
  nativeDir: string | null,
  fileExists: (file: string) => boolean = existsSync,
): string | undefined {
  if (!versions.electron) return undefined;
  if (!nativeDir)
    throw new Error('Running under Electron, but the shell did not say where its native builds are.');
  const file = join(nativeDir, electronBuildName(versions.modules), NATIVE_FILE_NAME);
  if (!fileExists(file)) throw new NativeBuildMissingError(file);
  return file;
}

/** `new Database(file, options)` with the native build that fits this runtime. */
export function openSqlite(file: string, options: Database.Options = {}): SqliteDb {
  const nativeBinding = nativeBindingFor(process.versions, electronNativeDir);
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
