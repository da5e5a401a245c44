// Playwright's global setup: before any test, the builds the stations run from are made when missing or
// older than their sources (scripts/build.mjs decides by mtimes): the renderer's, and the bundles of the
// browser host and the mock OFD (dist/web/web.cjs, dist/ofd-mock/ofd-mock.cjs) that tests/ui/station.ts
// starts under plain Node. Once per run, so no test starts a stale build or pays for a build, and
// `npx playwright test tests/ui/x.spec.ts` works on a fresh clone too.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface BuildModule {
  ensureRendererBuilt(): void;
  ensureNodeBundlesBuilt(names: string[]): Promise<void>;
}

export default async function globalSetup(): Promise<void> {
  // JavaScript: imported by URL, so tsc does not type it.
  const build = (await import(pathToFileURL(join(ROOT, 'scripts/build.mjs')).href)) as BuildModule;
  build.ensureRendererBuilt();
  await build.ensureNodeBundlesBuilt(['web', 'ofd-mock']);
}
