import { detectors } from '../analyzers/index';
import { isAnalysisWorker, runAnalysisWorker } from '../core/analysis-pool';
import { loadCatalog } from '../core/default-catalog';
import { main } from './main';

// dist/cli.js is also the scan pool's worker script (see runScan): started as one, it analyses files.
if (isAnalysisWorker()) runAnalysisWorker(loadCatalog(), detectors);
else void main(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text)).then((code) => (process.exitCode = code));
