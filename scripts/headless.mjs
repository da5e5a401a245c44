#!/usr/bin/env node
// `npm run headless`: the station with no window, from its built bundle (dist/headless/headless.cjs),
// built first when it is missing or older than its sources (a fresh clone, a pull, an edit): the REST API
// answers well within a second (`npm run bench` measures it). build.mjs runNodeBundle says how.
import { runNodeBundle } from './build.mjs';

await runNodeBundle('headless', 'The headless station');
