#!/usr/bin/env node
// `npm test`: checks the machine has what the tests need (installing Debian packages when run as
// root), then the format check (Prettier), lint (ESLint), the layering rules (dependency-cruiser,
// .dependency-cruiser.cjs), type check, every tests/**/*.test.ts under Node's test runner, and the
// Playwright UI suite against a fresh build of the renderer in Debian's chromium.
//   npm test                           everything
//   npm test -- tests/buffer.test.ts   only the given files (no lint, no type check, no UI suite)
//   npm test -- --ui                   only the UI suite
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const noLint = args.includes('--no-lint');
const uiOnly = args.includes('--ui');
const files = args.filter((a) => !a.startsWith('--'));

/** Debian packages the suites use: command → package. */
const SYSTEM_TOOLS = [
  ['socat', 'socat'],
  ['chromium', 'chromium'],
];

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function ensureSystemTools() {
  const missing = SYSTEM_TOOLS.filter(([cmd]) => !hasCommand(cmd));
  if (missing.length === 0) return;
  const pkgs = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing system packages: ${pkgs.join(' ')}. Install them with: sudo apt-get install -y ${pkgs.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing Debian packages the tests need: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env,
    });
  }
  if (r.status !== 0) {
    console.error(`Could not install ${pkgs.join(' ')}; install them by hand and run npm test again.`);
    process.exit(1);
  }
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function run(cmd, cmdArgs) {
  console.log(`$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(join(root, 'node_modules', 'tsx'))) {
  console.error('Dependencies are not installed: run npm install first.');
  process.exit(1);
}
ensureSystemTools();
const everything = files.length === 0 && !uiOnly;
if (everything && !noLint) {
  run('npx', ['prettier', '--check', '.']);
  run('npx', ['eslint', '.']);
  run('npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']);
  for (const project of ['tsconfig.json', 'tsconfig.renderer.json', 'tsconfig.ui.json'])
    run('npx', ['tsc', '--noEmit', '-p', project]);
}
if (!uiOnly) {
  const testFiles = files.length ? files : findTests(join(root, 'tests'));
  run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=120000',
    ...testFiles,
  ]);
}
if (everything || uiOnly) {
  run(process.execPath, ['scripts/build.mjs', '--renderer-only']);
  run('npx', ['playwright', 'test']);
}
