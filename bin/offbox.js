#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/ by `npm run build` (npm ci runs it through the prepare script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('offbox: the CLI is not built yet. Run `npm run build` (or `npm ci`) in the Offbox checkout first.\n');
  process.exit(2);
}
require(bundle);
