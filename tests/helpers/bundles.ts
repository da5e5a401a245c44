// The station's programs as tests start them: their bundles under plain Node (scripts/build.mjs
// NODE_BUNDLES), as `npm run headless`, `web`, `ofd-mock`, `kkt-emulator` and `catalog` run them. Compiling
// them with tsx took 0.6–1.9 s of every start, and some tests start a station many times (kill -9 rounds). Built on
// import when missing or older than their sources, so an edit is always what runs; two test files
// building at once is safe (each bundle is swapped in by rename).
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type BundleName = 'headless' | 'web' | 'ofd-mock' | 'kkt-emulator' | 'catalog';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const build = (await import(pathToFileURL(join(ROOT, 'scripts/build.mjs')).href)) as {
  ensureNodeBundlesBuilt: (names: BundleName[]) => Promise<void>;
  nodeBundlePath: (name: BundleName) => string;
};
await build.ensureNodeBundlesBuilt(['headless', 'web', 'ofd-mock', 'kkt-emulator', 'catalog']);

/** The bundle's file: `spawn(process.execPath, [bundlePath('headless'), ...args])`. */
export function bundlePath(name: BundleName): string {
  return build.nodeBundlePath(name);
}
