#!/usr/bin/env node
// `npm run kkt-emulator`: the KKT emulator from its built bundle (dist/kkt-emulator/kkt-emulator.cjs),
// built first when it is missing or older than its sources, and loaded in this very process (as
// `npm run headless`): no TypeScript compiled at run time. The arguments reach the bundle as they are.
import { createRequire } from 'node:module';
import { ensureNodeBundlesBuilt, nodeBundlePath } from './build.mjs';

try {
  await ensureNodeBundlesBuilt(['kkt-emulator']);
} catch (e) {
  console.error(`The KKT emulator could not be built: ${e.message}`);
  process.exit(1);
}
createRequire(import.meta.url)(nodeBundlePath('kkt-emulator'));
