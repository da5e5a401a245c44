#!/usr/bin/env node
// `npm run build`: everything the desktop app and the browser host load, into dist/:
//   dist/renderer/           the React renderer's browser build, HTTP + SSE transport (vite.config.ts)
//   dist/renderer-electron/  the React renderer's Electron build, the preload's IPC transport only
//   dist/main/main.cjs       the Electron main process: the shell plus the core, one CommonJS bundle
//   dist/preload/preload.cjs the preload: ONE self-contained file, since a sandboxed preload has no
//                            module loader (only `require('electron')` works there)
//   dist/headless/headless.cjs  `npm run headless`: the core, REST API and worker, one CommonJS bundle,
//                            so a start does not compile TypeScript (tsx took most of a second)
// `npm run build:renderer` (= `--renderer-only`): only the two renderer builds (about a second each),
// which is all the browser host and the UI suite need.
//
// Needs no Electron binary: esbuild and vite run under plain Node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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

/** esbuild options for `npm run headless` (src/main/cli/headless.ts) under plain Node. */
export function headlessBuildOptions(outfile = HEADLESS_BUNDLE) {
  return {
    ...mainBuildOptions(outfile),
    entryPoints: [join(ROOT, 'src/main/cli/headless.ts')],
    target: 'node20',
  };
}

export const HEADLESS_BUNDLE = join(ROOT, 'dist/headless/headless.cjs');

/** What the headless bundle is made of: a change to any of these makes it stale. */
const HEADLESS_SOURCES = [
  'src/main',
  'src/shared',
  'src/shtrih-protocol',
  'src/kkt-emulator',
  'package-lock.json',
  'scripts/build.mjs',
];

export async function buildHeadless(outfile) {
  await build(headlessBuildOptions(outfile));
}

/** Whether the headless bundle is missing or older than any of its sources (mtimes, as for the renderer). */
export function headlessBuildIsStale(root = ROOT, bundle = HEADLESS_BUNDLE) {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return HEADLESS_SOURCES.some((p) => existsSync(join(root, p)) && newestMtimeMs(join(root, p)) > built);
}

/** Builds the headless bundle when it is missing or stale: what `npm run headless` relies on. */
export async function ensureHeadlessBuilt() {
  if (!headlessBuildIsStale()) return;
  console.log('The headless build is missing or older than its sources: building it (about a second).');
  await buildHeadless();
}

export async function buildMain(outfile) {
  await build(mainBuildOptions(outfile));
}

export async function buildPreload(outfile) {
  await build(preloadBuildOptions(outfile));
}

/** The renderer's builds, one per host; vite.config.ts gives each its output folder and transport. */
const RENDERER_HOSTS = ['browser', 'electron'];

/** Builds the renderer for one host: 'browser' (dist/renderer) or 'electron' (dist/renderer-electron). */
export function buildRenderer(host) {
  if (!RENDERER_HOSTS.includes(host))
    throw new Error(`Unknown renderer host ${host}: one of ${RENDERER_HOSTS.join(', ')}.`);
  if (!existsSync(join(ROOT, 'vite.config.ts')))
    throw new Error('vite.config.ts is missing: the renderer cannot be built.');
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const mode = host === 'electron' ? ['--mode', 'electron'] : [];
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'vite.config.ts'), ...mode], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build (${host}) failed (exit ${r.status ?? r.signal}).`);
}

/** What the renderer's build is made of: a change to any of these makes a build stale. */
const RENDERER_SOURCES = [
  'src/renderer',
  'src/shared',
  'vite.config.ts',
  'tsconfig.renderer.json',
  'package-lock.json',
];

function newestMtimeMs(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file changes its folder's mtime
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

/**
 * Whether the browser build in `outDir` is missing or older than any of its sources under `root`
 * (mtimes: a fresh clone has no dist/, a pull or an edit makes a source newer than the build).
 */
export function rendererBuildIsStale(root = ROOT, outDir = join(root, 'dist/renderer')) {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return RENDERER_SOURCES.some((p) => existsSync(join(root, p)) && newestMtimeMs(join(root, p)) > built);
}

/** Builds the renderer when its build is missing or stale: what `npm start` and `npm run web` rely on. */
export function ensureRendererBuilt() {
  if (!rendererBuildIsStale()) return;
  console.log('The renderer build is missing or older than its sources: building it (about 10 s).');
  for (const host of RENDERER_HOSTS) buildRenderer(host);
}

async function main() {
  const rendererOnly = process.argv.includes('--renderer-only');
  const started = Date.now();
  for (const host of RENDERER_HOSTS) buildRenderer(host);
  if (!rendererOnly) {
    for (const dir of ['dist/main', 'dist/preload', 'dist/headless'])
      rmSync(join(ROOT, dir), { recursive: true, force: true });
    await Promise.all([buildMain(), buildPreload(), buildHeadless()]);
  }
  const renderers = 'dist/renderer, dist/renderer-electron';
  console.log(
    `Built ${rendererOnly ? renderers : `${renderers}, dist/main/main.cjs, dist/preload/preload.cjs, dist/headless/headless.cjs`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

// Run as a script, not when a test imports the build options.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`Build failed: ${e.message}`);
    process.exit(1);
  });
}
