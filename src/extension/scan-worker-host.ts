import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanResult, ScanWorkerMessage, ScanWorkerReply } from './engine';

type ScanRequest = ScanWorkerMessage['request'];

// A worker idle this long is ended: its in-memory cache is on disk, so the next scan starts warm anyway.
const IDLE_MS = 10 * 60 * 1000;

/**
 * The host's side of the scan workers (dist/scan-worker.js): one per folder, kept up between scans
 * so that a re-scan finds its caches in memory. A worker that dies is replaced at the next scan.
 */
export class ScanWorkerHost {
  private readonly workers = new Map<string, { worker: Worker; idle?: NodeJS.Timeout; pending: number }>();
  private nextId = 0;

  constructor(private readonly extensionPath: string) {}

  scan(request: ScanRequest, onProgress: (done: number, total: number) => void): Promise<ScanResult> {
    const entry = this.workerFor(request.root);
    clearTimeout(entry.idle);
    entry.pending += 1;
    const id = (this.nextId += 1);
    return new Promise<ScanResult>((resolve, reject) => {
      const settle = () => {
        entry.worker.off('message', onMessage);
        entry.worker.off('error', onError);
        entry.worker.off('exit', onExit);
        entry.pending -= 1;
        // The idle clock starts when the last pending scan of this worker is answered; it ends this
        // worker, not whichever replaced it.
        clearTimeout(entry.idle);
        if (entry.pending === 0) {
          entry.idle = setTimeout(() => this.end(request.root, entry.worker), IDLE_MS);
          entry.idle.unref();
        }
      };
      const onMessage = (reply: ScanWorkerReply) => {
        if (reply.id !== id) return;
        if (reply.type === 'progress') onProgress(reply.done, reply.total);
        else if (reply.type === 'result') {
          settle();
          resolve({ ...reply.result, suppressions: new Map(reply.result.suppressions) });
        } else {
          settle();
          reject(new Error(`the scan failed: ${reply.message}`));
        }
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        reject(new Error(`the scan worker exited with code ${code}`));
      };
      entry.worker.on('message', onMessage);
      entry.worker.on('error', onError);
      entry.worker.on('exit', onExit);
      entry.worker.postMessage({ type: 'scan', id, request } satisfies ScanWorkerMessage);
    });
  }

  dispose(): void {
    for (const [root, entry] of [...this.workers]) this.end(root, entry.worker);
  }

  private workerFor(root: string) {
    let entry = this.workers.get(root);
    if (!entry) {
      const worker = new Worker(path.join(this.extensionPath, 'dist', 'scan-worker.js'));
      // An idle worker never keeps the extension host alive.
      worker.unref();
      worker.on('exit', () => {
        if (this.workers.get(root)?.worker === worker) this.workers.delete(root);
      });
      // Errors reach the pending scan's listener; this one keeps an unhandled 'error' from throwing.
      worker.on('error', () => undefined);
      entry = { worker, pending: 0 };
      this.workers.set(root, entry);
    }
    return entry;
  }

  private end(root: string, worker: Worker): void {
    const entry = this.workers.get(root);
    if (entry?.worker !== worker) return;
    clearTimeout(entry.idle);
    this.workers.delete(root);
    void entry.worker.terminate();
  }
}
