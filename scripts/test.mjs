#!/usr/bin/env node
// `npm test`: checks the machine has what the tests need (installing Debian packages when run as
// root), then the format check (Prettier), lint (ESLint), the layering rules (dependency-cruiser,
// .dependency-cruiser.cjs), type check, every tests/**/*.test.ts under Node's test runner, and the
// Playwright UI suite against a fresh build of the renderer in Debian's chromium, and the fleet's
// Prometheus alert rules (promtool check rules + promtool test rules, ops/prometheus/).
//   npm test                           everything
//   npm test -- tests/buffer.test.ts   only the given files (no lint, no type check, no UI suite)
//   npm test -- --ui                   only the UI suite
//   npm test -- --alerts               only the alert rules (npm run test:alerts)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const noLint = args.includes('--no-lint');
const uiOnly = args.includes('--ui');
const alertsOnly = args.includes('--alerts');
const files = args.filter((a) => !a.startsWith('--'));

/** Debian packages the suites use: command → package. */
const SYSTEM_TOOLS = [
  ['socat', 'socat'],
  ['chromium', 'chromium'],
  // promtool checks ops/prometheus/ and a real /metrics scrape (tests/fleet.test.ts). The package also
  // holds the Prometheus daemon, which the tests never start (on a machine with systemd, apt enables it:
  // `systemctl disable --now prometheus` if it is not wanted there).
  ['promtool', 'prometheus'],
  // strace counts the sale path's fsyncs (tests/intake-durability.test.ts, npm run bench).
  ['strace', 'strace'],
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
/** The alert rules are valid and each alert fires when it should and only then (ops/prometheus/alerts.test.yml). */
function checkAlertRules() {
  run('promtool', ['check', 'rules', 'ops/prometheus/alerts.yml']);
  run('promtool', ['test', 'rules', 'ops/prometheus/alerts.test.yml']);
}

ensureSystemTools();
if (alertsOnly) {
  checkAlertRules();
  process.exit(0);
}
const everything = files.length === 0 && !uiOnly;
if (everything && !noLint) {
  run('npx', ['prettier', '--check', '.']);
  run('npx', ['eslint', '.']);
  run('npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']);
  for (const project of ['tsconfig.json', 'tsconfig.renderer.json', 'tsconfig.ui.json'])
    run('npx', ['tsc', '--noEmit', '-p', project]);
}
if (everything) checkAlertRules();
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
