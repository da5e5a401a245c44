// Builds the renderer (src/renderer) into dist/renderer with relative asset paths, so the same build
// loads from file:// in Electron and from http:// in the browser host. No inline scripts or styles
// end up in the HTML: the page's CSP (script-src 'self'; style-src 'self') forbids them.
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
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' }],
  };
}

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react(), noCrossorigin(), contentSecurityPolicyMeta()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // A data: URL inlined into the CSS/JS would be fine for img-src, but keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { port: 5173, strictPort: false },
});
