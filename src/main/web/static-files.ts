// The built renderer (dist/renderer, `npm run build:renderer`) served from one directory. A request
// path is refused, not normalised, when it could leave that directory (dot segments, backslashes, NUL):
// no legitimate asset path has them. Vite's hashed assets are cached for good; index.html never.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECURITY_HEADERS, send } from './responses.ts';

/** dist/renderer of the checkout this code runs from: src/main/web/ under tsx, dist/web/ as the bundle. */
export const DEFAULT_STATIC_ROOT = join(
  checkoutRoot(dirname(fileURLToPath(import.meta.url))),
  'dist',
  'renderer',
);

/** The nearest folder up from `dir` with a package.json (the checkout), or `dir` itself when none has. */
function checkoutRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return dir;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The renderer has not been built: a one-line instruction, not a stack trace. */
export class MissingRendererError extends Error {
  constructor(root: string) {
    super(`The renderer is not built (no ${resolve(root, 'index.html')}): run npm run build:renderer first.`);
    this.name = 'MissingRendererError';
  }
}

/** Checked before anything starts: a missing build is a set-up mistake, not a runtime failure. */
export function assertRendererBuilt(staticRoot: string): void {
  if (!existsSync(resolve(staticRoot, 'index.html'))) throw new MissingRendererError(staticRoot);
}

/** GET or HEAD of `rawPath` (still URL-encoded, without the query) under `staticRoot` (absolute). */
export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticRoot: string,
  rawPath: string,
): void {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    return;
  }
  const segments = path.split('/');
  if (path.includes('\0') || path.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    return;
  }
  const file = resolve(staticRoot, `.${path === '/' ? '/index.html' : path}`);
  if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    return;
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    return;
  }
  const isIndex = file === resolve(staticRoot, 'index.html');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(size),
    // Vite's hashed assets never change under the same name; index.html names the current ones.
    'cache-control':
      !isIndex && path.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
