#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/ by `npm run build` (npm ci runs it through the prepare script).
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('offbox: the CLI is not built yet. Run `npm run build` (or `npm ci`) in the Offbox checkout first.\n');
  process.exit(2);
}
const { isMainThread, workerData } = require('node:worker_threads');
// Whether tierUpLater has run in this thread (declared before the bundle runs: the CLI calls it).
let tieredUp = false;
// Options after which a scan's pool may never start, or starts at another size (prestartScanWorker).
const NO_PRESTART = /^(?:--(?:cache|cache-location|watch|jobs|help|version)(?:=|$)|-[hv]$)/;
// A pool worker runs this script too (the code cache below serves it as well). Only the main thread
// starts a worker; the CLI raises V8's tier-up budget (tierUpLater) when it starts to scan, unless
// the worker started here does once it has loaded.
if (isMainThread) {
  globalThis[Symbol.for('offbox.launcher')] = { script: __filename, prestarted: prestartScanWorker(process.argv.slice(2)), tierUp: tierUpLater };
  runBundle(bundle);
} else {
  runBundle(bundle);
  if (workerData?.tierUp === true) tierUpLater();
}

/**
 * Starts the scan's first pool worker now, for a cold `offbox scan`: a worker thread takes 50 to 70 ms
 * to start on the two-core machines measured, and begun before the bundle loads it is ready about
 * when discovery ends, where it was 30 to 100 ms later (bench/README.md). The CLI adopts it
 * (src/cli/launcher.ts). Not for a scan whose pool may never start or has another size (--cache,
 * --watch, --jobs) nor on one core: there, and if the CLI stops early (a usage error), nothing adopts
 * it, and unref'd it does not keep the process alive.
 */
function prestartScanWorker(args) {
  if (args[0] !== 'scan' || args.some((arg) => NO_PRESTART.test(arg))) return undefined;
  if (require('node:os').availableParallelism() < 2) return undefined;
  try {
    // The role is the pool's ANALYSIS_WORKER_ROLE; the CLI adopts the worker only under that role.
    const role = 'offbox-analysis';
    // `tierUp`: it raises V8's tier-up budget once it has loaded (tierUpLater), for the whole process.
    const worker = new (require('node:worker_threads').Worker)(__filename, { workerData: { role, tierUp: true } });
    const prestarted = { worker, role, failed: false };
    // Heard from the start: a worker that fails before the pool adopts it is one the pool must not wait on.
    const fail = () => (prestarted.failed = true);
    worker.on('error', fail);
    worker.on('exit', fail);
    worker.unref();
    return prestarted;
  } catch {
    // The pool starts its own.
    return undefined;
  }
}

/**
 * A scan is over in about a second, and V8 spends much of it optimising: by default a function is
 * compiled by TurboFan, on the second core, after little work, and on Rocket.Chat that compiling
 * took 0.4 s of CPU for code that then ran for a few milliseconds. With many times the work before
 * a function is considered (on Node 20 about 37 times, on Node 22 fifteen), only the code that runs
 * long is optimised: a cold scan used a quarter less CPU and, on two cores, left the second one to
 * the analysing worker (bench/README.md).
 * Set once this thread's bundle, and a worker's, have loaded: V8 accepts a code cache only under the
 * flags it was made with, Node's own for its modules included. Set first thing, it made a worker take
 * 57 ms to start instead of 28, every one of Node's modules it loaded compiled anew (bench/README.md).
 * So the bundle's cache is made, and read, under V8's defaults; the build's run that writes it never
 * raises the budget. Once per process: the flags are the process's, every thread's.
 */
function tierUpLater() {
  if (tieredUp || process.env.OFFBOX_WRITE_CODE_CACHE === '1') return;
  tieredUp = true;
  const flag = tierUpFlag(process.versions.v8);
  if (!flag) return;
  try {
    require('node:v8').setFlagsFromString(flag);
  } catch {
    // A runtime without node:v8's setFlagsFromString runs with its defaults.
  }
}

/**
 * The flag for "many times the work" in this V8. V8 11.3 (Node 20) counts bytecode run
 * (`--interrupt-budget`, default 67,584; 1,000,000 measured slower at scale than 2,500,000, and
 * 4,000,000 no faster); from 11.8 (Node 21 on) it counts invocations (`--invocation-count-for-turbofan`,
 * default 3,000; 90,000 and 150,000 no faster than 45,000). A flag V8 does not know is not an error
 * it throws: it prints "unrecognized flag" on stderr, so the name is chosen by the version.
 */
function tierUpFlag(v8Version) {
  const [major, minor] = String(v8Version).split('.').map(Number);
  // No V8 version to go by (another runtime): no flag.
  if (!Number.isInteger(major) || !Number.isInteger(minor)) return undefined;
  return major < 11 || (major === 11 && minor < 8) ? '--interrupt-budget=2500000' : '--invocation-count-for-turbofan=45000';
}

/**
 * Loads the bundle as `require` would, with V8's code cache when the build left one for exactly this
 * bundle: compiling 700 KB of JavaScript at every start is a tenth of a re-scan from the cache. The
 * build writes the cache (OFFBOX_WRITE_CODE_CACHE, scripts/build.mjs) under the bundle's hash; V8
 * rejects one made by another Node version or with other flags, and the bundle is then compiled as
 * usual. Nothing is written at run time.
 */
function runBundle(path) {
  let source;
  let cacheFile;
  let script;
  try {
    const Module = require('node:module');
    const vm = require('node:vm');
    const bytes = readFileSync(path);
    source = bytes.toString('utf8');
    cacheFile = join(dirname(path), `cli.${require('node:crypto').createHash('sha1').update(bytes).digest('hex').slice(0, 16)}.v8cache`);
    const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
    script = new vm.Script(Module.wrap(source), {
      filename: path,
      cachedData,
      ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
    });
    const module = new Module(path, require.main);
    module.filename = path;
    module.paths = Module._nodeModulePaths(dirname(path));
    Module._cache[path] = module;
    const localRequire = (id) => module.require(id);
    localRequire.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    localRequire.main = require.main;
    localRequire.cache = Module._cache;
    const writeTo = process.env.OFFBOX_WRITE_CODE_CACHE === '1' && isMainThread ? cacheFile : undefined;
    // After the run, the cache holds the functions the run compiled too, not only the top level.
    if (writeTo) process.on('exit', () => writeFileSync(writeTo, script.createCachedData()));
    const wrapper = script.runInThisContext();
    module.loaded = true;
    wrapper.call(module.exports, module.exports, localRequire, module, path, dirname(path));
  } catch (error) {
    // Only a failure to set the loader up falls back; the CLI's own errors are its to report.
    if (script === undefined) require(path);
    else throw error;
  }
}
