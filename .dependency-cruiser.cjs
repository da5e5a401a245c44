// The layering of the tree, checked in `npm test` (`npm run lint:deps`). docs/architecture.md draws the same
// picture; a change of layering changes both. Paths are relative to the repository root.
//
//   src/shtrih-protocol   the wire protocol: a leaf, imports nothing of ours
//   src/shared            browser-safe rules and the renderer↔main contract: imports only itself
//   src/main/core         plain Node: shared + protocol; no electron, react, host, emulator or mock OFD
//   src/main/app          the application layer over the core; never a host
//   src/main/{rest,web,electron,cli}   hosts; entry points may start the REST API, rest starts no host
//   src/preload, src/renderer          only src/shared
//   src/kkt-emulator      only the protocol and shared; src/ofd-mock only shared
/** @type {import('dependency-cruiser').IConfiguration} */
const ours = '^src/';
const only = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: ours, pathNot: [from, ...allowed] },
});

module.exports = {
  forbidden: [
    only(
      'protocol-is-a-leaf',
      '^src/shtrih-protocol/',
      [],
      'The wire protocol is shared by the driver and the emulator: it imports nothing of ours.',
    ),
    only(
      'shared-is-self-contained',
      '^src/shared/',
      [],
      'src/shared runs in the renderer too: it imports only itself.',
    ),
    only(
      'renderer-only-shared',
      '^src/renderer/',
      ['^src/shared/'],
      'The renderer talks to the station only through the contract in src/shared.',
    ),
    only(
      'preload-only-shared',
      '^src/preload/',
      ['^src/shared/'],
      'The preload exposes the contract and nothing else.',
    ),
    only(
      'emulator-only-protocol',
      '^src/kkt-emulator/',
      ['^src/shtrih-protocol/', '^src/shared/'],
      'The emulator is a device: it speaks the protocol, it does not use the station.',
    ),
    only('ofd-mock-only-shared', '^src/ofd-mock/', ['^src/shared/'], 'The mock OFD is a stand-alone server.'),
    only(
      'core-below-hosts',
      '^src/main/core/',
      ['^src/shared/', '^src/shtrih-protocol/'],
      'The core knows no host, no application layer, no emulator and no mock OFD.',
    ),
    only(
      'app-is-no-host',
      '^src/main/app/',
      ['^src/main/core/', '^src/shared/', '^src/shtrih-protocol/', '^src/kkt-emulator/'],
      'The application layer serves every host and imports none of them.',
    ),
    only(
      'rest-is-a-host',
      '^src/main/rest/',
      ['^src/main/app/', '^src/main/core/', '^src/shared/'],
      'The REST API sits beside the other hosts, over the application layer.',
    ),
    only(
      'web-host',
      '^src/main/web/',
      ['^src/main/rest/', '^src/main/app/', '^src/main/core/', '^src/shared/'],
      'The browser host: over the application layer, serving the REST API too.',
    ),
    only(
      'cli-host',
      '^src/main/cli/',
      ['^src/main/rest/', '^src/main/app/', '^src/main/core/', '^src/shared/'],
      'npm run headless: the application layer and the REST API.',
    ),
    only(
      'electron-host',
      '^src/main/electron/',
      ['^src/main/rest/', '^src/main/app/', '^src/main/core/', '^src/shared/'],
      'The Electron shell: over the application layer, serving the REST API too.',
    ),
    {
      name: 'electron-only-in-the-shell',
      comment:
        'Only the Electron shell and the preload import electron: everything else runs under plain Node.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main/electron/', '^src/preload/'] },
      to: { path: '^electron(/|$)|node_modules/electron/' },
    },
    {
      name: 'react-only-in-the-renderer',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/renderer/' },
      to: { path: 'node_modules/(react|react-dom|zustand)/' },
    },
    {
      name: 'no-node-in-the-browser',
      comment: 'src/shared and the renderer run in a sandboxed page: no Node built-ins.',
      severity: 'error',
      from: { path: '^src/(shared|renderer)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular-folders',
      comment: 'Folders depend one way: a cycle between two folders means a rule lives in the wrong one.',
      severity: 'error',
      scope: 'folder',
      from: { path: ours },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: ours },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: { path: ours },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // Every import names its file (.ts), so resolution needs no tsconfig but for one path alias: the
    // renderer's `#transport`, which each Vite build points at its own host's file. The renderer's
    // tsconfig maps it; both transport files are cruised either way.
    tsConfig: { fileName: 'tsconfig.renderer.json' },
    exclude: { path: '^dist/' },
  },
};
