#!/usr/bin/env node
// Runs the in-host integration tests (dist/vscode-tests/) in a real VS Code 1.100.3 without downloading one:
// code-server (installed by scripts/setup-vscode-test.sh) serves the workbench and runs the Node extension
// host; headless Debian Chromium, driven by playwright-core, is the window. VS Code reports the tests' output
// and exit code through the page functions codeAutomationLog / codeAutomationExit, as its own test driver does.
//
//   node test/vscode/run.mjs [--screenshots DIR] [--grep PATTERN] [--timeout SECONDS] [--keep] [--verbose]
//
// Build first (`npm run build`): this script builds nothing. Details: docs/testing-in-vscode.md.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_ENTRY = join(ROOT, `.vscode-test/code-server-${CODE_SERVER_VERSION}/node_modules/code-server/out/node/entry.js`);
const TESTS_INDEX = join(ROOT, 'dist/vscode-tests/index.js');
const WORKSPACE_SOURCE = join(ROOT, 'test/vscode/workspace');
const ARTIFACTS = join(ROOT, 'test/vscode/.artifacts');
const CHROMIUM = process.env.OFFBOX_CHROMIUM ?? '/usr/bin/chromium';

const { values: options } = parseArgs({
  options: {
    screenshots: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'extension-path': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  console.log(`Usage: node test/vscode/run.mjs [options]
  --screenshots DIR   save DIR/<name>.png whenever a test logs "SCREENSHOT <name>"
  --grep PATTERN      run only the tests whose full title matches PATTERN (mocha --grep)
  --timeout SECONDS   give up after this long (default 300)
  --keep              keep the per-run temp folder (workspace copy, logs, user data)
  --verbose           print code-server's own output too
  --extension-path D  test the extension in folder D (e.g. the .vsix installed by code-server
                      --install-extension) instead of this checkout's sources`);
  process.exit(0);
}
const TIMEOUT_MS = Number(options.timeout) * 1000;
const screenshotsDir = options.screenshots ? resolve(options.screenshots) : undefined;

// ---- preconditions: say what to run instead of failing obscurely -------------------------------------
const missing = [];
if (!existsSync(CODE_SERVER_ENTRY)) missing.push(`code-server ${CODE_SERVER_VERSION}: run \`bash scripts/setup-vscode-test.sh\``);
if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM}: run \`bash scripts/setup-vscode-test.sh\``);
if (!existsSync(TESTS_INDEX)) missing.push(`${TESTS_INDEX}: run \`npm run build\` (or \`node test/vscode/build-tests.mjs\`)`);
if (missing.length > 0) {
  console.error(`test/vscode/run.mjs: missing\n  ${missing.join('\n  ')}`);
  process.exit(2);
}
const mainEntry = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).main;
if (mainEntry && !existsSync(join(ROOT, mainEntry))) {
  console.warn(`test/vscode/run.mjs: warning: package.json main (${mainEntry}) does not exist; the extension will not activate. Run \`npm run build\`.`);
}

// ---- per-run folders: nothing is written to ~/.config, ~/.local or /tmp outside this folder ---------------
const runDir = mkdtempSync(join(tmpdir(), 'offbox-vscode-'));
const dirs = {};
for (const name of ['user-data', 'extensions', 'tmp', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-runtime']) {
  dirs[name] = join(runDir, name);
  mkdirSync(dirs[name], { recursive: true, mode: 0o700 });
}
// A copy, so tests may edit and save files (privacy.json, quick-fixes) without touching the repository.
const workspace = join(runDir, 'acme-tools');
cpSync(WORKSPACE_SOURCE, workspace, { recursive: true });
// User settings that keep the window quiet and deterministic (no welcome page, no update or
// extension-gallery checks, no git scanning of the temp folder).
mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
writeFileSync(
  join(dirs['user-data'], 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'security.workspace.trust.enabled': false,
      'git.enabled': false,
      'github.gitAuthentication': false,
      'editor.lightbulb.enabled': 'on',
      'window.dialogStyle': 'custom',
    },
    null,
    2,
  ),
);
const codeServerConfig = join(dirs['xdg-config'], 'code-server.yaml');
writeFileSync(codeServerConfig, 'auth: none\ncert: false\n');
const codeServerLogPath = join(runDir, 'code-server.log');
const codeServerLog = createWriteStream(codeServerLogPath);

// ---- cleanup: always, once, whatever happened ----------------------------------------------------------
let codeServer;
let browser;
let currentPage; // for the failure screenshot when the harness itself fails
let interrupted = false;
let cleaning;
/** Memoized: the signal handler and the main path may both ask; both wait for the same cleanup. */
function cleanup() {
  cleaning ??= (async () => {
    if (browser) await browser.close().catch(() => {});
    if (codeServer) {
      // code-server runs the extension host, pty host and file watcher as children: end its whole group,
      // wait for all of them, then force whatever is left.
      if (groupAlive()) killGroup('SIGTERM');
      const deadline = Date.now() + 5_000;
      while (groupAlive() && Date.now() < deadline) await sleep(100);
      if (groupAlive()) killGroup('SIGKILL');
    }
    codeServerLog.end();
    if (options.keep) console.log(`[run] kept ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  })();
  return cleaning;
}
function groupAlive() {
  try {
    process.kill(-codeServer.pid, 0);
    return true;
  } catch {
    return false;
  }
}
function killGroup(signal) {
  try {
    process.kill(-codeServer.pid, signal);
  } catch {
    /* already gone */
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`[run] ${signal}: stopping code-server and Chromium`);
    cleanup().finally(() => process.exit(130));
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function startCodeServer(port) {
  // Only non-npm variables: under `npm run`, npm_* settings would leak into the extension host's npm calls.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  Object.assign(env, {
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    XDG_RUNTIME_DIR: dirs['xdg-runtime'],
    // Read by the in-host runner (test/vscode/suite/index.ts): the extension host inherits this environment.
    OFFBOX_TEST_GREP: options.grep ?? '',
    // The folder screenshots go to: a test that asked for one waits until <name>.png appears there.
    OFFBOX_TEST_SCREENSHOTS: screenshotsDir ?? '',
  });
  const args = [
    CODE_SERVER_ENTRY,
    '--config', codeServerConfig,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // detached: its own process group, so cleanup() can end code-server and every child it started.
  codeServer = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`code-server did not start within 60 s (log: ${codeServerLogPath})`)), 60_000);
    const onData = (chunk) => {
      codeServerLog.write(chunk);
      if (options.verbose) process.stdout.write(`[code-server] ${chunk}`);
      if (chunk.toString().includes('HTTP server listening on')) {
        clearTimeout(timer);
        ready();
      }
    };
    codeServer.stdout.on('data', onData);
    codeServer.stderr.on('data', onData);
    codeServer.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`code-server exited early (${signal ?? code}); see ${codeServerLogPath}`));
    });
  });
}

// VS Code forwards console.log's arguments unformatted (mocha logs printf-style: '%s passing (%s)', 4, '1s');
// util.format applies them the way the extension host's console would (%c CSS arguments are dropped).
function formatLogArgs(args) {
  const parts = Array.isArray(args) ? args : [args];
  return typeof parts[0] === 'string' ? format(...parts) : parts.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
}

// Workbench chatter that says nothing about the tests (no network here, no marketplace, no vsda).
const NOISE = [/ENOTFOUND open-vsx\.org/, /\bvsda\b/, /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^Updating additional builtin extensions cache/, /^\[Service Worker\]/, /^ChatSessionStore:/];

// A webview (the Offbox Report) renders in nested iframes some time after the panel opens: an outer
// .../webview/browser/pre/index.html and, inside it, the frame with the extension's HTML. Wait (up to 10 s)
// until each such frame shows some text, so screenshots are not of an empty panel.
async function waitForWebviews(page) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const hosts = page.frames().filter((frame) => frame.url().includes('/webview/browser/pre/index.html'));
    const rendered = await Promise.all(
      hosts.map(async (host) => {
        for (const inner of host.childFrames()) {
          const text = await inner.evaluate(() => document.body?.innerText.trim().length ?? 0).catch(() => 0);
          if (text > 0) return true;
        }
        return false;
      }),
    );
    if (rendered.every(Boolean)) break;
    await sleep(200);
  }
  await sleep(300);
}

async function saveFailureArtifacts(page, reason) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const shot = join(ARTIFACTS, `failure-${stamp}.png`);
  if (page) {
    try {
      await page.screenshot({ path: shot, timeout: 10_000 });
      console.error(`[run] ${reason}: screenshot saved to ${shot}`);
    } catch (error) {
      console.error(`[run] ${reason}: could not take a screenshot (${error.message})`);
    }
  }
  try {
    codeServerLog.end();
    await sleep(100);
    copyFileSync(codeServerLogPath, join(ARTIFACTS, `failure-${stamp}-code-server.log`));
    console.error(`[run] code-server log saved to ${join(ARTIFACTS, `failure-${stamp}-code-server.log`)}`);
  } catch {
    /* no log yet */
  }
}

async function main() {
  const started = Date.now();
  const port = await freePort();
  await startCodeServer(port);
  console.log(`[run] code-server ${CODE_SERVER_VERSION} on http://127.0.0.1:${port} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our own SIGINT/SIGTERM handler closes Chromium *and* code-server; playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium writes crash-report settings to $XDG_CONFIG_HOME/chromium and dconf to $XDG_CACHE_HOME
    // whatever its profile folder is: keep those in the run folder too.
    env: { ...process.env, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_CACHE_HOME: dirs['xdg-cache'], XDG_DATA_HOME: dirs['xdg-data'], XDG_RUNTIME_DIR: dirs['xdg-runtime'] },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  currentPage = page;

  let finish;
  const finished = new Promise((done) => (finish = done));
  const pendingScreenshots = new Set();

  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = formatLogArgs(args);
    if (!options.verbose && NOISE.some((pattern) => pattern.test(text))) return;
    const stream = type === 'error' ? process.stderr : process.stdout;
    stream.write(`${text}\n`);
    // A test asks for a picture of the window: it logs "SCREENSHOT <name>" and waits until <name>.png exists.
    const match = /(?:^|\s)SCREENSHOT ([\w.-]+)\s*$/.exec(text);
    if (match && screenshotsDir) {
      mkdirSync(screenshotsDir, { recursive: true });
      const path = join(screenshotsDir, `${match[1]}.png`);
      rmSync(path, { force: true });
      const shot = waitForWebviews(page)
        .then(() => page.screenshot({ path, timeout: 10_000 }))
        .then(() => console.log(`[run] screenshot ${path}`))
        .catch((error) => console.error(`[run] screenshot ${match[1]} failed: ${error.message}`))
        .finally(() => pendingScreenshots.delete(shot));
      pendingScreenshots.add(shot);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish({ code: Number(code) }));
  page.on('pageerror', (error) => options.verbose && console.error(`[page error] ${error.message}`));
  page.on('crash', () => finish({ code: 1, reason: 'the Chromium page crashed' }));

  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options['extension-path'] ? resolve(options['extension-path']) : ROOT)],
    ['extensionTestsPath', remote(TESTS_INDEX)],
    ['skipWelcome', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) })}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  console.log(`[run] workbench opened on ${workspace}; waiting for the tests (timeout ${TIMEOUT_MS / 1000} s)`);

  const timeout = sleep(TIMEOUT_MS).then(() => ({ code: 1, reason: `timed out after ${TIMEOUT_MS / 1000} s: the tests never reported an exit code (codeAutomationExit)` }));
  const serverDied = new Promise((done) => codeServer.once('exit', (code, signal) => done({ code: 1, reason: `code-server exited (${signal ?? code}) before the tests finished` })));
  const result = await Promise.race([finished, timeout, serverDied]);
  await Promise.allSettled([...pendingScreenshots]);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (interrupted) return 130;
  if (result.code !== 0) {
    console.error(`[run] FAILED (exit ${result.code}${result.reason ? `: ${result.reason}` : ''}) after ${seconds} s`);
    await saveFailureArtifacts(page, result.reason ?? 'tests failed');
  } else {
    console.log(`[run] passed in ${seconds} s`);
  }
  return result.code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!interrupted) {
    console.error(`[run] harness error: ${error.stack ?? error}`);
    await saveFailureArtifacts(currentPage, 'harness error');
  }
  exitCode = 2;
} finally {
  await cleanup();
}
process.exit(interrupted ? 130 : exitCode);
