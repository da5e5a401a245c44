// Builds the renderer (src/renderer) twice, once per host, with relative asset paths:
//   vite build                 → dist/renderer           the browser build: HTTP + SSE transport
//                                                        (served by the browser host, src/main/web/)
//   vite build --mode electron → dist/renderer-electron  the Electron build: the preload's IPC transport
//                                                        (loaded from file:// by src/main/electron/main.ts)
// The renderer imports its transport as `#transport`; the alias below points it at the host's platform
// file (src/renderer/transport/index.<host>.ts), so each build carries exactly one transport and never
// picks at run time. tsconfig.renderer.json maps `#transport` to the browser file for the type check
// (both files are checked; they export the same `connectStation`).
// No inline scripts or styles end up in the HTML: the page's CSP (script-src 'self'; style-src 'self')
// forbids them.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './src/shared/csp.ts';

/** Drops `crossorigin` from the emitted tags: same-origin over http, and file:// in Electron has no CORS. */
function noCrossorigin(): Plugin {
  return {
    name: 'cashier-station:no-crossorigin',
    enforce: 'post',
    transformIndexHtml: (html) => html.replace(/\s+crossorigin(?:=(?:"[^"]*"|'[^']*'))?(?=[\s>])/g, ''),
  };
}

/** Writes the one CSP (src/shared/csp.ts) into index.html's <meta>: the source page carries no copy of it. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'cashier-station:csp-meta',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
        injectTo: 'head-prepend',
      },
    ],
  };
}

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Where each host's build goes and which transport it bundles. */
const HOSTS = {
  browser: { outDir: 'dist/renderer', transport: 'src/renderer/transport/index.browser.ts' },
  electron: { outDir: 'dist/renderer-electron', transport: 'src/renderer/transport/index.electron.ts' },
} as const;

export default defineConfig(({ mode }) => {
  // Any other mode (production, the dev server's development) is the browser build.
  const host = HOSTS[mode === 'electron' ? 'electron' : 'browser'];
  return {
    root: path('./src/renderer'),
    base: './',
    plugins: [react(), noCrossorigin(), contentSecurityPolicyMeta()],
    resolve: { alias: { '#transport': path(`./${host.transport}`) } },
    build: {
      outDir: path(`./${host.outDir}`),
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: true,
      // A data: URL inlined into the CSS/JS would be fine for img-src, but keep every asset a file.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
    server: { port: 5173, strictPort: false },
  };
});
