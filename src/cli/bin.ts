import { detectors } from '../analyzers/index';
import { isAnalysisWorker, runAnalysisWorker } from '../core/analysis-worker';
import { loadCatalog } from '../core/default-catalog';
import { preferJsonTransfer } from '../core/oxc-binding';
import { main } from './main';

// A run parses each file at most once or twice: oxc's JSON beats raw transfer's cold deserializer
// (Node 22, Rocket.Chat 0.65 → 0.61 s), in the main thread and in the pool's workers alike.
preferJsonTransfer();

// dist/cli.js is also the scan pool's worker script (see runScan): started as one, it analyses files.
if (isAnalysisWorker()) runAnalysisWorker(loadCatalog(), detectors);
else {
  void main(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text)).then((code) => {
    process.exitCode = code;
    // The report is out and nothing else is left but teardown: the pool's worker ending and the
    // heaps freed, which a natural exit waits on (about 20 ms at scale, bench/README.md). Output still
    // queued (a pipe is written asynchronously on macOS) is waited for the natural way.
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  });
}
