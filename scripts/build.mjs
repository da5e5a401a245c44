#!/usr/bin/env node
// `npm run build`: everything the desktop app and the browser host load, into dist/:
//   dist/renderer/           the React renderer's browser build, HTTP + SSE transport (vite.config.ts)
//   dist/renderer-electron/  the React renderer's Electron build, the preload's IPC transport only
//   dist/main/main.cjs       the Electron main process: the shell plus the core, one CommonJS bundle
//   dist/preload/preload.cjs the preload: ONE self-contained file, since a sandboxed preload has no
//                            module loader (only `require('electron')` works there)
//   dist/headless/headless.cjs, dist/web/web.cjs, dist/ofd-mock/ofd-mock.cjs, dist/kkt-emulator/…,
//   dist/catalog/catalog.cjs
//                            `npm run headless`, `web`, `ofd-mock`, `kkt-emulator`, `catalog` (and the tests'
//                            stations): one CommonJS bundle each, so a start does not compile TypeScript
//                            (NODE_BUNDLES; each is also built on its own when missing or stale)
// `npm run build:renderer` (= `--renderer-only`): only the two renderer builds (about a second each);
// the Node bundles are built on their own when missing or stale (the npm scripts, the tests' helpers and
// the UI suite's global setup see to it).
//
// Needs no Electron binary: esbuild and vite run under plain Node.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * The programs that run under plain Node from a bundle of their own, so a start compiles no TypeScript
 * (tsx took 0.6–1.9 s of every start, and the UI suite starts a browser host and a mock OFD per test).
 * `sources` are what the bundle is made of: a change to any of them makes it stale (mtimes).
 */
const STATION_SOURCES = [
  'src/main',
  'src/shared',
  'src/shtrih-protocol',
  'src/kkt-emulator',
  'package-lock.json',
  'scripts/build.mjs',
];
export const NODE_BUNDLES = {
  /** `npm run headless`: the core, REST API and worker. */
  headless: {
    entry: 'src/main/cli/headless.ts',
    outfile: 'dist/headless/headless.cjs',
    sources: STATION_SOURCES,
  },
  /** `npm run web`: the browser host (the core, REST API and worker, plus the page's HTTP + SSE). */
  web: { entry: 'src/main/web/cli.ts', outfile: 'dist/web/web.cjs', sources: STATION_SOURCES },
  /** `npm run kkt-emulator`: the byte-level KKT emulator on a serial device. */
  'kkt-emulator': {
    entry: 'src/kkt-emulator/cli.ts',
    outfile: 'dist/kkt-emulator/kkt-emulator.cjs',
    sources: [
      'src/kkt-emulator',
      'src/shtrih-protocol',
      'src/shared',
      'package-lock.json',
      'scripts/build.mjs',
    ],
  },
  /** `npm run catalog`: the catalogue's CSV import and export on a data directory. */
  catalog: {
    entry: 'src/main/cli/catalog.ts',
    outfile: 'dist/catalog/catalog.cjs',
    sources: STATION_SOURCES,
  },
  /** `npm run ofd-mock`: the mock OFD. */
  'ofd-mock': {
    entry: 'src/ofd-mock/cli.ts',
    outfile: 'dist/ofd-mock/ofd-mock.cjs',
    sources: ['src/ofd-mock', 'src/shared', 'package-lock.json', 'scripts/build.mjs'],
  },
};

function nodeBundle(name) {
  const bundle = NODE_BUNDLES[name];
  if (!bundle) throw new Error(`Unknown bundle ${name}: one of ${Object.keys(NODE_BUNDLES).join(', ')}.`);
  return bundle;
}

/** Where a bundle is written by default: dist/<name>/<name>.cjs. */
export function nodeBundlePath(name) {
  return join(ROOT, nodeBundle(name).outfile);
}

/** esbuild options for one of NODE_BUNDLES under plain Node; `outfile` may be overridden (tests). */
export function nodeBundleOptions(name, outfile = nodeBundlePath(name)) {
  return {
    ...mainBuildOptions(outfile),
    entryPoints: [join(ROOT, nodeBundle(name).entry)],
    target: 'node20',
    // A CommonJS file has no import.meta: give the code its real URL, the bundle's own (the browser host
    // finds dist/renderer from it, src/main/web/static-files.ts).
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleUrl' },
  };
}

/**
 * Builds a bundle and then swaps it in by rename, so a process starting it meanwhile (a UI test, a
 * second `npm run web`) loads the old file or the new one, never half of one.
 */
export async function buildNodeBundle(name, outfile = nodeBundlePath(name)) {
  const result = await build({ ...nodeBundleOptions(name, outfile), write: false });
  mkdirSync(dirname(outfile), { recursive: true });
  // The source map first, then the bundle: the bundle names the map, and is the file the staleness check dates.
  const maps = result.outputFiles.filter((f) => f.path.endsWith('.map'));
  for (const file of [...maps, ...result.outputFiles.filter((f) => !maps.includes(f))]) {
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}

/** Whether a bundle is missing or older than any of its sources (mtimes, as for the renderer). */
export function nodeBundleIsStale(name, root = ROOT, bundle = join(root, nodeBundle(name).outfile)) {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return nodeBundle(name).sources.some(
    (p) => existsSync(join(root, p)) && newestMtimeMs(join(root, p)) > built,
  );
}

/** Builds the named bundles that are missing or stale: what `npm run headless|web|ofd-mock` rely on. */
export async function ensureNodeBundlesBuilt(names = Object.keys(NODE_BUNDLES)) {
  const stale = names.filter((name) => nodeBundleIsStale(name));
  if (stale.length === 0) return;
  console.log(
    `Building ${stale.map((n) => nodeBundle(n).outfile).join(', ')} (missing or older than their sources).`,
  );
  await Promise.all(stale.map((name) => buildNodeBundle(name)));
}

/**
 * What `npm run headless`, `web`, `ofd-mock` and `kkt-emulator` do: build the bundle when it is missing
 * or stale, then load it in this very process (no TypeScript compiled at run time, no second Node; the
 * bundle reads process.argv and handles its signals itself). `what` names it in a build failure.
 */
export async function runNodeBundle(name, what) {
  try {
    await ensureNodeBundlesBuilt([name]);
  } catch (e) {
    console.error(`${what} could not be built: ${e.message}`);
    process.exit(1);
  }
  createRequire(import.meta.url)(nodeBundlePath(name));
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
    const bundles = Object.values(NODE_BUNDLES).map((b) => dirname(b.outfile));
    for (const dir of ['dist/main', 'dist/preload', ...bundles])
      rmSync(join(ROOT, dir), { recursive: true, force: true });
    await Promise.all([
      buildMain(),
      buildPreload(),
      ...Object.keys(NODE_BUNDLES).map((name) => buildNodeBundle(name)),
    ]);
  }
  const built = ['dist/renderer', 'dist/renderer-electron'];
  if (!rendererOnly)
    built.push(
      'dist/main/main.cjs',
      'dist/preload/preload.cjs',
      ...Object.values(NODE_BUNDLES).map((b) => b.outfile),
    );
  console.log(`Built ${built.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Run as a script, not when a test imports the build options.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`Build failed: ${e.message}`);
    process.exit(1);
  });
}
