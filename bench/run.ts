// `npm run bench` (tsx bench/run.ts): the station benchmarks, the start-up (bench/startup.ts), the
// catalogue's, the FN relay's, then the KKT benchmarks when bench/kkt.ts is there, printed with what
// produced them (command, date, Node, CPU). All figures come from one run and are compared as ratios
// within it: the machines are shared and noisy.
import { existsSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchStation } from './station.ts';
import { benchCatalog } from './catalog.ts';
import { benchFnRelay } from './fn-relay.ts';
import { benchStartup } from './startup.ts';

type Bench = () => Promise<string[]>;

function commandLine(): string {
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  if (process.env.npm_lifecycle_event && process.env.npm_lifecycle_script?.includes('bench/run.ts'))
    return `${env}npm run ${process.env.npm_lifecycle_event}   (${process.env.npm_lifecycle_script ?? ''})`;
  const script = process.argv[1] ? relative(process.cwd(), process.argv[1]) : 'bench/run.ts';
  return `${env}tsx ${script}${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
}

async function section(title: string, run: Bench): Promise<string[]> {
  const t0 = Date.now();
  try {
    const lines = await run();
    return [`== ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`, ...lines, ''];
  } catch (e) {
    process.exitCode = 1;
    return [
      `== ${title}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(e as Error).stack ?? String(e)}`,
      '',
    ];
  }
}

async function kktBench(): Promise<Bench | string> {
  const file = fileURLToPath(new URL('./kkt.ts', import.meta.url));
  if (!existsSync(file)) return 'bench/kkt.ts is absent: KKT benchmarks skipped.';
  const specifier = './kkt.ts'; // not a literal import: the file may not exist when this one is type-checked
  const mod = (await import(specifier)) as { benchKkt?: unknown };
  if (typeof mod.benchKkt !== 'function')
    return 'bench/kkt.ts does not export benchKkt(): KKT benchmarks skipped.';
  return mod.benchKkt as Bench;
}

async function main(): Promise<void> {
  const started = new Date();
  const cpu = cpus();
  const header = [
    `command: ${commandLine()}`,
    `cwd:     ${process.cwd()}`,
    `date:    ${started.toISOString()}`,
    `node:    ${process.version} (${platform()} ${release()})`,
    `cpu:     ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
  ];
  const out = [...header];
  out.push(...(await section('Station', benchStation)));
  out.push(...(await section('Start-up', benchStartup)));
  out.push(...(await section('Catalogue', benchCatalog)));
  let kkt: Bench | string;
  try {
    kkt = await kktBench();
  } catch (e) {
    process.exitCode = 1;
    kkt = `bench/kkt.ts failed to load: ${(e as Error).message}`;
  }
  if (typeof kkt === 'string') out.push(`== KKT: ${kkt}`, '');
  else out.push(...(await section('KKT', kkt)));
  out.push(...(await section('FN → OFD relay', benchFnRelay)));
  out.push(`total ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s; produced by: ${commandLine()}`);
  console.log(out.join('\n'));
}

await main();
