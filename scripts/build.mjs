#!/usr/bin/env node
// `npm run build`: everything the desktop app loads, into dist/:
//   dist/renderer/          the React renderer (vite build, vite.config.ts)
//   dist/main/main.cjs      the Electron main process: the shell plus the core, one CommonJS bundle
//   dist/preload/preload.cjs the preload: ONE self-contained file, since a sandboxed preload has no
//                           module loader (only `require('electron')` works there)
// `npm run build:renderer` (= `--renderer-only`): only the renderer, which is all the browser host needs.
//
// Needs no Electron binary: esbuild and vite run under plain Node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Native modules and Electron stay outside the bundle; electron-builder ships them in node_modules. */
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'electron-log'];

/** esbuild options for the main process; `outfile` may be overridden (tests build into a temp dir). */
export function mainBuildOptions(outfile = join(ROOT, 'dist/main/main.cjs')) {
  return {
    entryPoints: [join(ROOT, 'src/main/electron/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22', // Electron 45's Node
    external: MAIN_EXTERNALS,
    // The core tells errors apart by class name (error.name === 'KktError'): keep names through bundling.
    keepNames: true,
    sourcemap: true,
    logLevel: 'warning',
  };
}

/** esbuild options for the preload: browser platform, so a Node built-in sneaking in fails the build. */
export function preloadBuildOptions(outfile = join(ROOT, 'dist/preload/preload.cjs')) {
  return {
    entryPoints: [join(ROOT, 'src/preload/index.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    sourcemap: 'inline',
    logLevel: 'warning',
  };
}

export async function buildMain(outfile) {
  await build(mainBuildOptions(outfile));
}

export async function buildPreload(outfile) {
  await build(preloadBuildOptions(outfile));
}

export function buildRenderer() {
  if (!existsSync(join(ROOT, 'vite.config.ts'))) throw new Error('vite.config.ts is missing: the renderer cannot be built.');
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'vite.config.ts')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal}).`);
}

async function main() {
  const rendererOnly = process.argv.includes('--renderer-only');
  const started = Date.now();
  buildRenderer();
  if (!rendererOnly) {
    for (const dir of ['dist/main', 'dist/preload']) rmSync(join(ROOT, dir), { recursive: true, force: true });
    await Promise.all([buildMain(), buildPreload()]);
  }
  console.log(`Built ${rendererOnly ? 'dist/renderer' : 'dist/renderer, dist/main/main.cjs, dist/preload/preload.cjs'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Run as a script, not when a test imports the build options.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`Build failed: ${e.message}`);
    process.exit(1);
  });
}
