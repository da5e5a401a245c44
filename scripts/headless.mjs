#!/usr/bin/env node
// `npm run headless`: the station with no window, from its built bundle (dist/headless/headless.cjs),
// built first when it is missing or older than its sources (a fresh clone, a pull, an edit). Loaded in
// this very process: no TypeScript is compiled at run time and no second Node starts, so the REST API
// answers well within a second (`npm run bench` measures it). The bundle handles the signals itself.
import { createRequire } from 'node:module';
import { ensureNodeBundlesBuilt, nodeBundlePath } from './build.mjs';

try {
  await ensureNodeBundlesBuilt(['headless']);
} catch (e) {
  console.error(`The headless station could not be built: ${e.message}`);
  process.exit(1);
}
createRequire(import.meta.url)(nodeBundlePath('headless'));
