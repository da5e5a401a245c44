#!/usr/bin/env node
// `npm run catalog`: the catalogue CLI (src/main/cli/catalog.ts) from its built bundle
// (dist/catalog/catalog.cjs), built first when it is missing or stale. The arguments (`-- import goods.csv`)
// reach the bundle's process.argv as they are.
import { runNodeBundle } from './build.mjs';

await runNodeBundle('catalog', 'The catalogue CLI');
