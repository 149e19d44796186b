// Peer row: ESLint's Node API with @typescript-eslint/parser and ONE rule that
// flags fetch(...) calls, the method of parser-speed.md section (g). It shows what
// "just write an ESLint rule" would cost on the same files.
//
//   node bench/eslint-peer.mjs <file-list> <corpus-dir>
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { readFileList, report } from './lib/child.mjs';

const files = readFileList(process.argv[2]);
const cwd = process.argv[3] ?? process.cwd();

// Timed from here, like (g): constructing ESLint is part of the cost.
const t0 = performance.now();
const eslint = new ESLint({
  cwd,
  overrideConfigFile: true, // ignore the corpus's own eslint configs
  cache: false,
  concurrency: 'off', // 2 cores: ESLint's workers gained nothing in parser-speed.md
  warnIgnored: false,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
      languageOptions: {
        parser: tsParser,
        // JSX on: this corpus has JSX in plain .js files.
        parserOptions: { ecmaFeatures: { jsx: true } },
      },
      rules: { 'no-restricted-syntax': ['error', "CallExpression[callee.name='fetch']"] },
    },
  ],
});
const results = await eslint.lintFiles(files);
const seconds = (performance.now() - t0) / 1000;

let hits = 0;
let fatalFiles = 0;
for (const r of results) {
  for (const m of r.messages) if (m.ruleId === 'no-restricted-syntax') hits++;
  // Fatal = the file could not be parsed, or (ESLint 10) an obsolete /* eslint-env */ comment.
  if (r.fatalErrorCount > 0) fatalFiles++;
}
report({ tool: 'eslint', files: results.length, hits, fatalFiles, seconds });
