#!/usr/bin/env node
// `npm test`: checks the machine has what the tests need (installing Debian packages when run as
// root), builds the renderer and the programs' bundles, then runs two lanes side by side:
//   ui           the Playwright UI suite in Debian's chromium (shown live)
//   checks+node  the format check (Prettier), lint (ESLint), the layering rules (dependency-cruiser,
//                .dependency-cruiser.cjs), the type checks, the fleet's Prometheus alert rules (promtool
//                check rules + test rules, ops/prometheus/), then every tests/**/*.test.ts under Node's
//                test runner (each step's output printed whole when it ends)
// A lane stops at its first failure, the other goes on; the exit code is the first failure's, and a
// summary lists each step's time.
//   npm test                           everything
//   npm test -- tests/buffer.test.ts   only the given files (no lint, no type check, no UI suite)
//   npm test -- --ui                   only the UI suite
//   npm test -- --alerts               only the alert rules (npm run test:alerts)
import { spawn, spawnSync } from 'node:child_process';
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

if (!existsSync(join(root, 'node_modules', 'tsx'))) {
  console.error('Dependencies are not installed: run npm install first.');
  process.exit(1);
}
ensureSystemTools();

/** A step of a lane: a command line, and how the summary names it. */
const step = (cmd, cmdArgs, label = [cmd, ...cmdArgs].join(' ')) => ({ cmd, cmdArgs, label });

/** The alert rules are valid and each alert fires when it should and only then (ops/prometheus/alerts.test.yml). */
const ALERT_RULES = [
  step('promtool', ['check', 'rules', 'ops/prometheus/alerts.yml']),
  step('promtool', ['test', 'rules', 'ops/prometheus/alerts.test.yml']),
];
const STATIC_CHECKS = [
  step('npx', ['prettier', '--check', '.']),
  step('npx', ['eslint', '.']),
  step('npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']),
  ...['tsconfig.json', 'tsconfig.renderer.json', 'tsconfig.ui.json'].map((p) =>
    step('npx', ['tsc', '--noEmit', '-p', p]),
  ),
];
const nodeTests = (testFiles) =>
  step(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      // The spec reporter also when the output is not a terminal (CI, or the lane's buffer below).
      '--test-reporter=spec',
      '--test-concurrency=2',
      '--test-timeout=120000',
      ...testFiles,
    ],
    `node --import tsx --test --test-concurrency=2 (${testFiles.length} files)`,
  );
const UI_SUITE = step('npx', ['playwright', 'test']);
// The whole run splits the UI suite between the lanes: every spec at 1024×768 in the UI lane, the main
// flows again at 1366×768 (and the electron project, which skips itself here) at the end of the other
// lane, with its own output directory (Playwright empties its output directory at start).
const UI_SUITE_1024 = step('npx', ['playwright', 'test', '--project', 'web-1024']);
const UI_SUITE_OTHER_SIZES = step('npx', [
  'playwright',
  'test',
  '--project',
  'web-1366',
  '--project',
  'electron',
  '--output',
  'test-results/ui-other-sizes',
]);
const BUILD_RENDERER = step(process.execPath, ['scripts/build.mjs', '--renderer-only']);

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs one step. A live step's output is passed on line by line as it comes; a buffered step's is printed
 * as one block when it ends, so the two lanes below never mix within a line or a step.
 */
function runStep({ cmd, cmdArgs, label }, lane, live) {
  const started = Date.now();
  // Colours survive the pipe when the person runs npm test in a terminal.
  const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
  if (live) console.log(`$ ${label}`);
  const child = spawn(cmd, cmdArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let kept = '';
  let partial = '';
  const take = (d) => {
    if (!live) return void (kept += d);
    const text = partial + d;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut > 0) process.stdout.write(text.slice(0, cut));
    partial = text.slice(cut);
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  return new Promise((resolve) => {
    let settled = false;
    const done = (status) => {
      if (settled) return; // a failed spawn reports 'error', and may report 'close' too
      settled = true;
      const ms = Date.now() - started;
      const verdict = status === 0 ? 'passed' : `FAILED (exit ${status})`;
      if (live) process.stdout.write(partial ? `${partial}\n` : '');
      else
        process.stdout.write(`\n── [${lane}] $ ${label}\n${kept}${kept.endsWith('\n') || !kept ? '' : '\n'}`);
      if (!live || status !== 0) console.log(`── [${lane}] ${verdict} in ${seconds(ms)}: ${label}`);
      resolve({ lane, label, status, ms });
    };
    child.on('error', (e) => {
      kept += `${e.message}\n`;
      partial += `${e.message}`;
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** A lane's steps one after another; it stops at its first failure (the other lanes go on). */
async function runLane(name, steps, live) {
  const results = [];
  for (const s of steps) {
    const r = await runStep(s, name, live);
    results.push(r);
    if (r.status !== 0) break;
  }
  return results;
}

const everything = files.length === 0 && !uiOnly && !alertsOnly;
/** Lanes run side by side; the first is shown live, the others step by step as each step ends. */
const lanes = [];
if (alertsOnly) lanes.push(['alerts', ALERT_RULES]);
else if (uiOnly) lanes.push(['ui', [BUILD_RENDERER, UI_SUITE]]);
else if (!everything) lanes.push(['node', [nodeTests(files)]]);
else {
  // The whole suite in two lanes (measured in README «Tests»): the UI suite at 1024×768, the longest,
  // beside the static checks, the Node tests and then the UI suite's other sizes, so that the two lanes
  // end about together. Each lane alone leaves much of the two cores idle (the UI suite waits on
  // chromium and its stations, the Node tests on fsyncs, child processes and timers).
  lanes.push(['ui', [UI_SUITE_1024]]);
  lanes.push([
    'checks+node',
    [
      ...(noLint ? [] : STATIC_CHECKS),
      ...ALERT_RULES,
      nodeTests(findTests(join(root, 'tests'))),
      UI_SUITE_OTHER_SIZES,
    ],
  ]);
}

const started = Date.now();
const results = [];
if (everything) {
  // Built once before the lanes fork: the renderer (fresh for the UI suite) and the programs' bundles,
  // which the Node tests' helpers and Playwright's global setup would otherwise both build at once.
  results.push(...(await runLane('build', [BUILD_RENDERER], true)));
  if (results[0].status !== 0) process.exit(results[0].status);
  const { ensureNodeBundlesBuilt } = await import('./build.mjs');
  await ensureNodeBundlesBuilt();
}
results.push(...(await Promise.all(lanes.map(([name, steps], i) => runLane(name, steps, i === 0)))).flat());
if (lanes.length > 1) {
  console.log(`\nnpm test: ${seconds(Date.now() - started)} in all`);
  for (const r of results)
    console.log(
      `  [${r.lane}] ${r.status === 0 ? 'ok    ' : 'FAILED'} ${seconds(r.ms).padStart(8)}  ${r.label}`,
    );
}
const failed = results.find((r) => r.status !== 0);
process.exit(failed ? failed.status : 0);
