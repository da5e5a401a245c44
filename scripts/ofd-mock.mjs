#!/usr/bin/env node
// `npm run ofd-mock`: the mock OFD from its built bundle (dist/ofd-mock/ofd-mock.cjs), built first when
// it is missing or older than its sources, and loaded in this very process (as `npm run headless`): no
// TypeScript compiled at run time. The arguments (`-- --port 8090`) reach the bundle's process.argv as is.
import { createRequire } from 'node:module';
import { ensureNodeBundlesBuilt, nodeBundlePath } from './build.mjs';

try {
  await ensureNodeBundlesBuilt(['ofd-mock']);
} catch (e) {
  console.error(`The mock OFD could not be built: ${e.message}`);
  process.exit(1);
}
createRequire(import.meta.url)(nodeBundlePath('ofd-mock'));
