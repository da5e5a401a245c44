// The renderer is served from `app://station/…` (protocol.handle), not from file://. Under Electron's
// default fuses a file:// page may read any local file, the data directory's api-token among them; a page
// of its own scheme can read only what this handler gives it: the files of the renderer's Electron build,
// each with the renderer's one Content-Security-Policy. Nothing outside that folder is ever answered,
// however the path is spelled (`..`, encoded `%2e%2e`, `%2f`, a backslash, a NUL, a drive letter).
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** registerSchemesAsPrivileged: a standard, secure scheme (relative URLs, a secure context); no CSP bypass. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

function refuse(status: number, why: string): Response {
  return new Response(why, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' } });
}

/**
 * The file under `rootDir` that `url` names, or null when the URL is not ours or points anywhere else.
 * Exported for the test of the path rules.
 */
export function rendererFileFor(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null; // a malformed escape
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const root = resolve(rootDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

/** The protocol handler's answer to one request. */
export async function rendererResponse(request: Request, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
  const file = rendererFileFor(request.url, rootDir);
  if (!file) return refuse(403, 'Forbidden');
  try {
    if (!(await stat(file)).isFile()) return refuse(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      },
    });
  } catch {
    return refuse(404, 'Not found');
  }
}
