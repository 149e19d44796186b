import type { PrestartedWorker } from '../core/analysis-pool';
import { ANALYSIS_WORKER_ROLE } from '../core/pool-protocol';

/**
 * What bin/offbox.js leaves for the bundle it loads (globalThis, under LAUNCHER): the script it runs
 * as, and the pool worker it started before loading the bundle, for a cold scan.
 */
export interface Launcher {
  script: string;
  prestarted?: PrestartedWorker & { role: string };
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
