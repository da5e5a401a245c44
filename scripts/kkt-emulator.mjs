#!/usr/bin/env node
// `npm run kkt-emulator`: the KKT emulator from its built bundle (dist/kkt-emulator/kkt-emulator.cjs),
// built first when it is missing or stale. The arguments reach the bundle as they are.
import { runNodeBundle } from './build.mjs';

await runNodeBundle('kkt-emulator', 'The KKT emulator');
