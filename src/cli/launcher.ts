import type { PrestartedWorker } from '../core/analysis-pool';
import { ANALYSIS_WORKER_ROLE } from '../core/pool-protocol';

/**
 * What bin/offbox.js leaves for the bundle it loads (globalThis, under LAUNCHER): the script it runs
 * as, and the pool worker it started before loading the bundle, for a cold scan.
 */
export interface Launcher {
  script: string;
  prestarted?: PrestartedWorker & { role: string };
  /** Raises V8's tier-up budget for the process, once (bin/offbox.js tierUpLater). */
  tierUp?: () => void;
}

export const LAUNCHER = Symbol.for('offbox.launcher');

function launcher(): Launcher | undefined {
  return (globalThis as { [LAUNCHER]?: Launcher })[LAUNCHER];
}

/**
 * The script pool workers start from: bin/offbox.js when it loaded this bundle, as it loads it with
 * V8's code cache for every thread; else the bundle itself (`node dist/cli.js`).
 */
export function workerScriptFor(bundle: string): string {
  return launcher()?.script ?? bundle;
}

/**
 * The worker bin/offbox.js started for this scan, handed over once. One started under another role
 * (a bin script and a bundle from different builds) would never answer the pool: it is ended instead.
 */
export function takePrestartedWorker(): PrestartedWorker | undefined {
  const found = launcher();
  const prestarted = found?.prestarted;
  if (!found || !prestarted) return undefined;
  found.prestarted = undefined;
  if (prestarted.role === ANALYSIS_WORKER_ROLE) return prestarted;
  void prestarted.worker.terminate();
  return undefined;
}

/**
 * Raises V8's tier-up budget before a scan, unless the worker bin/offbox.js started does so once it
 * has loaded: raised earlier, V8 would turn down the code cache of every module that worker loads,
 * Node's own included. Nothing without bin/offbox.js (`node dist/cli.js`, the tests).
 */
export function tierUpUnlessPrestarted(prestarted: PrestartedWorker | undefined): void {
  if (!prestarted || prestarted.failed) launcher()?.tierUp?.();
}
