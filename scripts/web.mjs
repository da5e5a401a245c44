#!/usr/bin/env node
// `npm run web`: the browser host from its built bundle (dist/web/web.cjs), after building the renderer
// when its build is missing (a fresh clone) or older than its sources (a pull, an edit), and the bundle
// likewise. The bundle is loaded in this very process (as `npm run headless`): no TypeScript compiled at
// run time and no second Node; it handles SIGTERM/SIGINT itself and sets the exit code.
import { ensureRendererBuilt, runNodeBundle } from './build.mjs';

try {
  ensureRendererBuilt();
} catch (e) {
  console.error(`The renderer could not be built: ${e.message}`);
  process.exit(1);
}
await runNodeBundle('web', 'The browser host');
