#!/usr/bin/env node
// `npm run web`: the browser host, after building the renderer when its build is missing (a fresh clone)
// or older than its sources (a pull, an edit). Signals are passed on, so Ctrl+C stops the station
// gracefully; the host's exit code becomes ours.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureRendererBuilt } from './build.mjs';

try {
  ensureRendererBuilt();
} catch (e) {
  console.error(`The renderer could not be built: ${e.message}`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/web/cli.ts')], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
