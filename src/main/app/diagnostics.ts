// The support bundle: one .tar.gz with the logs, a status snapshot, the recent journal and the
// configuration, every secret redacted (API and OFD tokens, bearer headers, token query strings, the
// PIN hash, buyers' phones and e-mails masked), so it can be e-mailed to support as it is. The redaction
// is the log's own (core/logger.ts `redact`): one function, so the log file and the bundle never disagree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tarGz } from './tar.ts';
import type { StationConfig } from '../core/config.ts';
import { REDACTED, redact, redactJson } from '../core/logger.ts';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function redactedConfig(config: StationConfig): Record<string, unknown> {
  return { ...config, apiToken: REDACTED, ofdToken: REDACTED };
}

export interface DiagnosticsInput {
  config: StationConfig;
  snapshot: unknown;
  health: unknown;
  journal: unknown;
  about: Record<string, unknown>;
  now?: Date;
}

export function buildDiagnostics(input: DiagnosticsInput): { fileName: string; archive: Buffer } {
  const now = input.now ?? new Date();
  const secrets = [input.config.apiToken, input.config.ofdToken];
  const json = (v: unknown) => `${JSON.stringify(redactJson(v, secrets), null, 2)}\n`;
  const entries = [
    { name: 'about.json', content: json(input.about) },
    { name: 'status.json', content: json({ snapshot: input.snapshot, health: input.health }) },
    { name: 'journal.json', content: json(input.journal) },
    { name: 'config.json', content: json(redactedConfig(input.config)) },
  ];
  const logDir = join(input.config.dataDir, 'logs');
  if (existsSync(logDir)) {
    for (const name of readdirSync(logDir)
      .filter((n) => n.endsWith('.log'))
      .sort()) {
      const file = join(logDir, name);
      const size = statSync(file).size;
      const buf = readFileSync(file);
      const tail = size > MAX_LOG_BYTES ? buf.subarray(size - MAX_LOG_BYTES) : buf;
      entries.push({ name: `logs/${name}`, content: redact(tail.toString('utf8'), secrets) });
    }
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const folder = `cashier-station-diagnostics-${stamp}`;
  return {
    fileName: `${folder}.tar.gz`,
    archive: tarGz(entries.map((e) => ({ ...e, name: `${folder}/${e.name}`, mtime: now }))),
  };
}
