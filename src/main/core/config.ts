// Station configuration: defaults, then the data directory's config.json, then STATION_* variables.
// A bad value stops start-up with a message that names the variable (or the file key) and says what
// a good value looks like.
import { isUsableOfdToken } from '../../shared/ofd-token.ts';
import { z } from 'zod';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseOfdServer } from './fn-relay/ofd-tcp.ts';
import {
  DEFAULT_WEIGHT_LAYOUT,
  WEIGHT_LAYOUT_PATTERN,
  parsePrefixes,
  type WeightLayout,
} from '../../shared/barcode.ts';
import { writeFileDurably } from './durable-file.ts';
import { legacyDataDirs, moveLegacyData } from './data-dir-move.ts';

export { writeFileDurably };
import { parseFnExpiryDate } from '../../shared/fn-health.ts';
import { TAX_SYSTEMS, parseTaxSystemList } from '../../shared/tax-systems.ts';

const port = z.coerce.number().int().min(0).max(65535);

/** A text setting that `parse` accepts; what it throws is the setting's message. */
function parsedBy(parse: (text: string) => unknown) {
  return (ctx: z.core.ParsePayload<string>): void => {
    try {
      parse(ctx.value);
    } catch (e) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: (e as Error).message });
    }
  };
}
const positive = z.coerce.number().int().min(1);

export const CONFIG_SCHEMA = z
  .object({
    apiPort: port.default(8000),
    apiToken: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    posId: z.string().trim().min(1).max(64).default('POS-1'),
    kkt: z.string().trim().min(1).default('emulator'),
    /** Tag 1055 of every receipt; default: the one the KKT is registered for, when it is only one. */
    taxSystem: z.enum(TAX_SYSTEMS, { error: `must be one of ${TAX_SYSTEMS.join(', ')}` }).optional(),
    /** The in-process emulator's registration (tests, demos): tax systems, comma-separated… */
    emulatorTaxSystems: z.string().check(parsedBy(parseTaxSystemList)).optional(),
    /** …and its FN's validity date, YYYY-MM-DD. */
    emulatorFnExpires: z.string().check(parsedBy(parseFnExpiryDate)).optional(),
    kktBaud: z.coerce
      .number()
      .int()
      .refine((n) => [2400, 4800, 9600, 19200, 38400, 57600, 115200].includes(n), {
        error: 'must be one of 2400, 4800, 9600, 19200, 38400, 57600, 115200',
      })
      .default(115200),
    ofdUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://ofd.example.ru' })
      .default('http://127.0.0.1:8090'),
    ofdToken: z
      .string()
      .refine(isUsableOfdToken, {
        error: 'must be printable Latin characters without spaces, as the OFD issued it',
      })
      .default('dev-ofd-token'),
    ofdTimeoutMs: positive.default(10_000),
    /** The OFD's TCP server for the FN's own messages (`host:port`): set = the station relays them for a
     * KKT without network (src/main/core/fn-relay); unset = the KKT sends by itself. */
    ofdServer: z
      .string()
      .trim()
      .check((ctx) => {
        const parsed = parseOfdServer(ctx.value);
        if (typeof parsed === 'string')
          ctx.issues.push({ code: 'custom', message: parsed, input: ctx.value });
      })
      .optional(),
    /** Permit-mode check of marking codes (marking/permit-check.ts); unset = offline mode. */
    markCheckUrl: z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL, e.g. https://permit.example.ru/codes/check',
      })
      .optional(),
    markCheckToken: z.string().min(1).optional(),
    /** How long a sale waits for the permit service before it goes on in offline mode. */
    markCheckTimeoutMs: positive.max(60_000).default(1_500),
    syncIntervalMs: z.coerce.number().int().min(100).default(10_000),
    syncBatchSize: positive.max(1000).default(50),
    syncConcurrency: positive.max(32).default(4),
    bufferCapacity: positive.max(1_000_000).default(200),
    /** «Максимальная скидка кассира, %»: a bigger discount needs the manager's PIN (discount-lines.ts). */
    cashierDiscountLimitPercent: z.coerce
      .number({ error: 'must be a per cent from 0 to 99.99' })
      .min(0, { error: 'must be a per cent from 0 to 99.99' })
      .max(99.99, { error: 'must be a per cent from 0 to 99.99 (a discount of 100 % is never given)' })
      .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
        error: 'must have at most 2 decimals, e.g. 10 or 12.5',
      })
      .default(10),
    breakerThreshold: positive.max(1000).default(5),
    breakerResetMs: z.coerce.number().int().min(100).default(60_000),
    maxAttempts: positive.max(10_000).default(20),
    backoffBaseMs: positive.default(1_000),
    backoffMaxMs: positive.default(60_000),
    /** Synced receipts are kept this long: refunds of a sale in the buffer are checked line by line (returns: 14 days). */
    retentionSyncedDays: positive.max(3650).default(30),
    retentionDlqDays: positive.default(90),
    /** A never-printed receipt (its request died with the station) is voided after this long (24 h). */
    unprintedTtlMs: z.coerce
      .number()
      .int()
      .min(1_000, { error: 'must be at least 1000 ms (1 s)' })
      .max(30 * 24 * 60 * 60 * 1000, { error: 'must be at most 30 days (2592000000 ms)' })
      .default(24 * 60 * 60 * 1000),
    /** A weight label's digits: P prefix, C item code, W grams, K check digit (EAN-13: 13 letters). */
    weightBarcodeLayout: z
      .string()
      .regex(WEIGHT_LAYOUT_PATTERN, { error: 'must be P…C…W…K letters, e.g. PPCCCCCWWWWWK' })
      .length(13, { error: 'must have 13 letters (an EAN-13 label), e.g. PPCCCCCWWWWWK' })
      .default(DEFAULT_WEIGHT_LAYOUT),
    /** The prefixes that mark a weight label: a range and/or a list, e.g. "20-29" or "21,22,27". */
    weightBarcodePrefixes: z.string().trim().min(1).default('20-29'),
    /** A barcode scanner in serial (COM) mode, e.g. /dev/ttyACM0 or COM3; none: a keyboard scanner. */
    scanner: z.string().trim().min(1).optional(),
    scannerBaud: z.coerce.number().int().min(1200).max(921_600).default(9600),
    /** The cash drawer: `kkt` (wired to the KKT's drawer port, opened with 28h) or `none` (this till has none). */
    cashDrawer: z.enum(['kkt', 'none'], { error: 'must be kkt or none' }).default('kkt'),
  })
  .strict();

export type StationConfigFile = z.input<typeof CONFIG_SCHEMA>;
export type StationConfig = z.output<typeof CONFIG_SCHEMA> & { dataDir: string; apiToken: string };

/** STATION_* variable → config key. */
export const ENV_VARS: Record<string, keyof z.output<typeof CONFIG_SCHEMA>> = {
  STATION_API_PORT: 'apiPort',
  STATION_API_TOKEN: 'apiToken',
  STATION_POS_ID: 'posId',
  STATION_KKT: 'kkt',
  STATION_KKT_BAUD: 'kktBaud',
  STATION_CASH_DRAWER: 'cashDrawer',
  STATION_TAX_SYSTEM: 'taxSystem',
  STATION_EMULATOR_TAX_SYSTEMS: 'emulatorTaxSystems',
  STATION_EMULATOR_FN_EXPIRES: 'emulatorFnExpires',
  STATION_OFD_URL: 'ofdUrl',
  STATION_OFD_TOKEN: 'ofdToken',
  STATION_OFD_TIMEOUT_MS: 'ofdTimeoutMs',
  STATION_OFD_SERVER: 'ofdServer',
  STATION_MARK_CHECK_URL: 'markCheckUrl',
  STATION_MARK_CHECK_TOKEN: 'markCheckToken',
  STATION_MARK_CHECK_TIMEOUT_MS: 'markCheckTimeoutMs',
  STATION_SYNC_INTERVAL_MS: 'syncIntervalMs',
  STATION_SYNC_BATCH_SIZE: 'syncBatchSize',
  STATION_SYNC_CONCURRENCY: 'syncConcurrency',
  STATION_BUFFER_CAPACITY: 'bufferCapacity',
  STATION_CASHIER_DISCOUNT_LIMIT_PERCENT: 'cashierDiscountLimitPercent',
  STATION_BREAKER_THRESHOLD: 'breakerThreshold',
  STATION_BREAKER_RESET_MS: 'breakerResetMs',
  STATION_MAX_ATTEMPTS: 'maxAttempts',
  STATION_BACKOFF_BASE_MS: 'backoffBaseMs',
  STATION_BACKOFF_MAX_MS: 'backoffMaxMs',
  STATION_UNPRINTED_TTL_MS: 'unprintedTtlMs',
  STATION_RETENTION_SYNCED_DAYS: 'retentionSyncedDays',
  STATION_WEIGHT_BARCODE_LAYOUT: 'weightBarcodeLayout',
  STATION_WEIGHT_BARCODE_PREFIXES: 'weightBarcodePrefixes',
  STATION_SCANNER: 'scanner',
  STATION_SCANNER_BAUD: 'scannerBaud',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const CONFIG_FILE_NAME = 'config.json';
const TOKEN_FILE_NAME = 'api-token';

/**
 * The one data directory of every host (the desktop app, headless, the browser host): on Windows in the
 * local, not the roaming, profile (a buffer must not follow the user to another PC); elsewhere in
 * $XDG_DATA_HOME. Older versions' folders are moved into it on first start (data-dir-move.ts).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'cashier-station');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'cashier-station');
}

/**
 * The data directory: STATION_DATA_DIR made absolute (against the working directory), else the default.
 * With the default, an older version's data is moved in first (data-dir-move.ts).
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STATION_DATA_DIR) return resolve(env.STATION_DATA_DIR);
  const dataDir = defaultDataDir(env);
  moveLegacyData(dataDir, legacyDataDirs(env));
  return dataDir;
}

const SECRET_KEYS = new Set<string>(['apiToken', 'ofdToken', 'markCheckToken']);

/** Loads and validates the configuration; throws ConfigError naming the bad variable or key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StationConfig {
  const dataDir = resolveDataDir(env);
  const file = join(dataDir, CONFIG_FILE_NAME);
  const fromFile = readConfigFile(file);
  if (fromFile) {
    const fileCheck = CONFIG_SCHEMA.partial().safeParse(fromFile);
    if (!fileCheck.success) {
      const i = fileCheck.error.issues[0]!;
      const unknownKeys = 'keys' in i && Array.isArray(i.keys) ? (i.keys as string[]) : [];
      const key =
        i.path.length > 0
          ? i.path.join('.')
          : (unknownKeys.length > 0 ? unknownKeys : Object.keys(fromFile)).join(',');
      throw new ConfigError(
        `${file}: "${key}" ${i.message}. Fix the file or remove the key to use the default.`,
      );
    }
  }
  const merged: Record<string, unknown> = { ...(fromFile ?? {}) };
  for (const [name, key] of Object.entries(ENV_VARS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const check = CONFIG_SCHEMA.shape[key].safeParse(value);
    if (!check.success) {
      // A secret is never echoed: the error goes to the console, the start-up dialog and the log.
      const shown = SECRET_KEYS.has(key) ? '(hidden)' : JSON.stringify(value);
      throw new ConfigError(`${name}=${shown}: ${check.error.issues[0]!.message}.`);
    }
    merged[key] = value;
  }
  const parsed = CONFIG_SCHEMA.parse(merged);
  if (parsed.backoffMaxMs < parsed.backoffBaseMs)
    throw new ConfigError('backoffMaxMs must not be below backoffBaseMs.');
  weightLayoutOf(parsed);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // private: see core/data-dir.ts
  return { ...parsed, dataDir, apiToken: parsed.apiToken ?? apiTokenOf(dataDir) };
}

/** The weight-label layout of a configuration; a ConfigError when the prefixes do not fit the layout. */
export function weightLayoutOf(c: {
  weightBarcodeLayout: string;
  weightBarcodePrefixes: string;
}): WeightLayout {
  const length = c.weightBarcodeLayout.indexOf('C');
  const prefixes = parsePrefixes(c.weightBarcodePrefixes, length);
  if (!prefixes)
    throw new ConfigError(
      `weightBarcodePrefixes (STATION_WEIGHT_BARCODE_PREFIXES) ${JSON.stringify(c.weightBarcodePrefixes)} must be ${length}-digit prefixes as a range or a list, e.g. "20-29" or "21,22"; the layout ${c.weightBarcodeLayout} has ${length} prefix digits.`,
    );
  return { layout: c.weightBarcodeLayout, prefixes };
}

/**
 * The data directory's config.json, or null when there is none. It must hold one JSON object (`null`,
 * an array, a number... is a ConfigError saying so, never a crash on the error's own path).
 */
function readConfigFile(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON (${(e as Error).message}); fix or delete it.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(
      `${file} must hold one JSON object of settings, such as {"apiPort": 8000}, but holds ${
        value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
      }; fix it, or delete it to use the defaults.`,
    );
  return value as Record<string, unknown>;
}

/**
 * The REST API token: generated once per data directory and kept there (mode 0600). A file that is
 * empty or too short (a power cut while it was first written) is replaced, never used: an empty token
 * would open the API to anyone.
 */
function apiTokenOf(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE_NAME);
  const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (/^[A-Za-z0-9_-]{16,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  writeFileDurably(file, `${token}\n`);
  return token;
}

/** Merges changed settings into the data directory's config.json (src/main/core/settings.ts saves through this). */
export function updateConfigFile(dataDir: string, patch: StationConfigFile): void {
  const file = join(dataDir, CONFIG_FILE_NAME);
  const current = readConfigFile(file) ?? {};
  writeFileDurably(file, `${JSON.stringify({ ...current, ...patch }, null, 2)}\n`);
}
