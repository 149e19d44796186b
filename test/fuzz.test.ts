import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { detectors } from '../src/analyzers/index';
import { analyzeSource } from '../src/core/analyze';
import { loadCatalog } from '../src/core/default-catalog';
import { decodeSource } from '../src/core/files';
import { scanPaths } from '../src/core/scan';
import { fixtureFiles } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

// Sources mutated from the fixtures and examples must never make the scanner throw, hang or hit an
// internal error: every file ends with findings or a clear skip reason. CI runs a fixed seed;
// `npm run fuzz` runs longer (FUZZ_RUNS, FUZZ_SEED).
const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 2000);

const workspaces = [
  ...readdirSync(join(ROOT, 'test', 'fixtures')).map((name) => join(ROOT, 'test', 'fixtures', name)),
  ...readdirSync(join(ROOT, 'examples')).map((name) => join(ROOT, 'examples', name)),
];
const sources = workspaces.flatMap((workspace) => fixtureFiles(workspace).map((file) => ({ file, text: readFileSync(join(workspace, file), 'utf8') })));
const TOKENS = ['{', '}', '(', ')', '[', ']', '`', '${', '"', "'", '/*', '*/', '//', '<', '>', '</', '/>', '=>', ';', ',', '.', '?.', '!', 'fetch(', 'new ', 'import ', 'export ', 'require(', 'await ', 'return ', 'if (', '\\', '\u0000', '\uFEFF', '\r', '\n', '\u2028', '#!', '@', '??', '...'];

type Mutation = { kind: 'truncate' | 'flip' | 'delete-line' | 'duplicate-line' | 'insert'; at: number; value: number };

const mutation = fc.record({
  kind: fc.constantFrom('truncate', 'flip', 'delete-line', 'duplicate-line', 'insert'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  value: fc.nat(255),
}) as fc.Arbitrary<Mutation>;

/** Applies mutations to the bytes of a source; byte flips can make invalid UTF-8 on purpose. */
function mutate(text: string, mutations: Mutation[]): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  for (const { kind, at, value } of mutations) {
    const position = Math.floor(at * bytes.length);
    if (kind === 'truncate') bytes = bytes.subarray(0, position);
    else if (kind === 'flip' && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[Math.min(position, bytes.length - 1)] ^= value || 1;
    } else {
      const lines = bytes.toString('utf8').split('\n');
      const line = Math.floor(at * lines.length);
      if (kind === 'delete-line') lines.splice(line, 1);
      else if (kind === 'duplicate-line') lines.splice(line, 0, lines[line] ?? '');
      else lines[line] = `${(lines[line] ?? '').slice(0, value % 40)}${TOKENS[value % TOKENS.length]}${(lines[line] ?? '').slice(value % 40)}`;
      bytes = Buffer.from(lines.join('\n'), 'utf8');
    }
  }
  return bytes;
}

describe('fuzzing the scanner with mutated fixtures', () => {
  it(`analyses ${RUNS} mutated files without a throw, an internal error or a hang (seed ${SEED})`, () => {
    const catalog = loadCatalog();
    fc.assert(
      fc.property(fc.nat(sources.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const { file, text } = sources[index];
        const decoded = decodeSource(mutate(text, mutations));
        if ('skipped' in decoded) return true;
        const started = performance.now();
        const result = analyzeSource(file, decoded.text, detectors, catalog);
        const elapsed = performance.now() - started;
        assert.ok(elapsed < BUDGET_MS, `${file} took ${elapsed.toFixed(0)} ms`);
        assert.doesNotMatch(result.skipped ?? '', /internal error/, `${file}: ${result.skipped}`);
        return true;
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('scans whole mutated workspaces (wrappers, imported values, policy) without an internal error', () => {
    const catalog = loadCatalog();
    fc.assert(
      fc.property(fc.nat(workspaces.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        const workspace = workspaces[index];
        const root = tempDir('offbox-fuzz-');
        for (const file of fixtureFiles(workspace)) {
          mkdirSync(dirname(join(root, file)), { recursive: true });
          writeFileSync(join(root, file), mutate(readFileSync(join(workspace, file), 'utf8'), mutations));
        }
        const result = scanPaths(['.'], catalog, detectors, { cwd: root, includeTests: true });
        const internal = result.skipped.filter((skip) => /internal error/.test(skip.reason));
        assert.deepEqual(internal, []);
        return true;
      }),
      { seed: SEED, numRuns: Math.max(20, Math.floor(RUNS / 10)) },
    );
  });
});
