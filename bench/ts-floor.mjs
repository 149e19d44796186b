// Floor row: TypeScript's own parser (ts.createSourceFile, no type checking, no
// parent pointers) over every file. Any AST-based scanner in Node pays at least this.
//
//   node bench/ts-floor.mjs <file-list>
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import ts from 'typescript';
import { readFileList, report } from './lib/child.mjs';

const files = readFileList(process.argv[2]);

const KIND = {
  '.ts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.jsx': ts.ScriptKind.JSX,
  '.js': ts.ScriptKind.JS, // TS parses JSX in .js too
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
};

const t0 = performance.now();
let errorFiles = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, KIND[extname(file)]);
  if (sf.parseDiagnostics.length > 0) errorFiles++;
}
const seconds = (performance.now() - t0) / 1000;
report({ tool: 'ts-floor', files: files.length, errorFiles, seconds });
