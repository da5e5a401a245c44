#!/usr/bin/env node
// `npm run ofd-mock`: the mock OFD from its built bundle (dist/ofd-mock/ofd-mock.cjs), built first when
// it is missing or stale. The arguments (`-- --port 8090`) reach the bundle's process.argv as they are.
import { runNodeBundle } from './build.mjs';

await runNodeBundle('ofd-mock', 'The mock OFD');
