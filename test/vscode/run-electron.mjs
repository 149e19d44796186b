#!/usr/bin/env node
// Runs the same in-host suite (dist/vscode-tests/) in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code (update.code.visualstudio.com). On the offline build machines use
// test/vscode/run.mjs (code-server + Chromium) instead; the tests are identical.
//
//   npm run build && node test/vscode/run-electron.mjs [--vscode-version 1.100.3|stable|insiders] [--grep PATTERN]
//
// On Linux without a display, run it under xvfb: `xvfb-run -a node test/vscode/run-electron.mjs`.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TESTS_INDEX = join(ROOT, 'dist/vscode-tests/index.js');

const { values: options } = parseArgs({
  options: {
    // 1.100.3 by default: the oldest VS Code engines.vscode allows and the one run.mjs tests (code-server 4.100.3).
    'vscode-version': { type: 'string', default: process.env.VSCODE_VERSION ?? '1.100.3' },
    grep: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

if (!existsSync(TESTS_INDEX)) {
  console.error(`test/vscode/run-electron.mjs: ${TESTS_INDEX} is missing: run \`npm run build\` first`);
  process.exit(2);
}

// Same isolation as run.mjs: a copy of the test workspace the tests may edit, and fresh user data and
// extension folders so the developer's own settings and extensions play no part.
const runDir = mkdtempSync(join(tmpdir(), 'offbox-vscode-electron-'));
const workspace = join(runDir, 'acme-tools');
cpSync(join(ROOT, 'test/vscode/workspace'), workspace, { recursive: true });

let exitCode = 1;
try {
  exitCode = await runTests({
    version: options['vscode-version'],
    // The download lives next to code-server in the git-ignored .vscode-test/, whatever the cwd.
    cachePath: join(ROOT, '.vscode-test'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: TESTS_INDEX,
    // Not --disable-extensions: that also disables the built-in language support the extension activates on.
    launchArgs: [
      workspace,
      '--user-data-dir', join(runDir, 'user-data'),
      '--extensions-dir', join(runDir, 'extensions'),
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-telemetry',
      '--disable-updates',
      '--disable-gpu',
      '--no-sandbox',
    ],
    extensionTestsEnv: {
      OFFBOX_TEST_GREP: options.grep ?? '',
      // No launcher watches for "SCREENSHOT <name>" lines here: the tests just log them.
      OFFBOX_TEST_SCREENSHOTS: '',
    },
  });
} catch (error) {
  // runTests rejects with TestRunFailedError (code = VS Code's exit code) when a test fails.
  console.error(`test/vscode/run-electron.mjs: ${error instanceof Error ? error.message : error}`);
  exitCode = typeof error?.code === 'number' && error.code !== 0 ? error.code : 1;
} finally {
  if (options.keep) console.log(`kept ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(exitCode);
