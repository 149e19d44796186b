/**
 * Runs a workspace scan off the extension host's thread (see runScanWorker in engine.ts), or, started
 * by that scan's pool, analyses files for it (runAnalysisWorker). This entry is a few lines so the worker reuses dist/engine.js instead of a second copy of the scanner.
 */
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
(require(path.join(__dirname, 'engine.js')) as { runWorker(): void }).runWorker();
