// `npm run web` and `npm start` build the renderer when its build is missing (a fresh clone) or older than
// any of its sources (a pull, an edit): scripts/build.mjs's rendererBuildIsStale decides, on real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helpers/headless.ts';

const { rendererBuildIsStale } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/build.mjs')).href)) as {
  rendererBuildIsStale: (root: string, outDir?: string) => boolean;
};

function tree(): { root: string; touch: (path: string, secondsAgo: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'renderer-build-'));
  const touch = (path: string, secondsAgo: number) => {
    const file = join(root, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'x');
    const t = new Date(Date.now() - secondsAgo * 1000);
    // The file and the folders up to the root: as if the whole path had been written at that moment.
    for (let p = file; p.startsWith(root) && p !== root; p = join(p, '..')) utimesSync(p, t, t);
  };
  return { root, touch };
}

test('no build at all (a fresh clone) is stale', () => {
  const { root, touch } = tree();
  try {
    touch('src/renderer/main.tsx', 100);
    assert.equal(rendererBuildIsStale(root), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a build newer than every source is current; a newer source anywhere makes it stale', () => {
  const { root, touch } = tree();
  try {
    touch('src/renderer/app/App.tsx', 300);
    touch('src/shared/money.ts', 300);
    touch('vite.config.ts', 300);
    touch('dist/renderer/index.html', 200);
    assert.equal(rendererBuildIsStale(root), false);

    touch('src/shared/money.ts', 100); // a shared rule changed after the build
    assert.equal(rendererBuildIsStale(root), true);

    touch('dist/renderer/index.html', 50); // rebuilt
    assert.equal(rendererBuildIsStale(root), false);

    touch('src/renderer/app/sale/New.tsx', 10); // a new file deep in the renderer
    assert.equal(rendererBuildIsStale(root), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
