import * as ts from 'typescript';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { astConverter } from '@typescript-eslint/typescript-estree/use-at-your-own-risk';
import type { ParseSettings } from '@typescript-eslint/typescript-estree/use-at-your-own-risk';

export interface ParseResult {
  program?: TSESTree.Program;
  /** Set when the file had syntax errors and the tree holds only what TypeScript could recover. */
  partial?: { line: number; message: string };
  /** Set when no tree could be built at all. */
  failure?: string;
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** The extensions Offbox reads. */
export const SOURCE_EXTENSIONS = Object.keys(SCRIPT_KINDS);

// The converter reads only these settings; the rest of typescript-estree's ParseSettings
// concern type-aware linting, which a per-file scan never needs.
const CONVERTER_SETTINGS = {
  allowInvalidAST: true,
  errorOnUnknownASTType: false,
  suppressDeprecatedPropertyWarnings: true,
  range: true,
  loc: true,
  comment: false,
  tokens: false,
} as unknown as ParseSettings;

/**
 * Parses TypeScript or JavaScript into an ESTree program, tolerating syntax errors.
 *
 * typescript-estree's own `parse` throws on the first syntax error, but TypeScript's parser always
 * recovers and builds a tree. We parse with TypeScript, note its first diagnostic, and convert the
 * recovered tree, so a file that is being typed still yields findings for what can be read.
 */
export function parseSource(fileName: string, text: string): ParseResult {
  const extension = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  const scriptKind = SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS;
  try {
    const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind);
    const diagnostics = (sourceFile as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics;
    let partial: ParseResult['partial'];
    if (diagnostics.length > 0) {
      const first = diagnostics[0];
      const { line } = sourceFile.getLineAndCharacterOfPosition(first.start);
      partial = { line: line + 1, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
      (sourceFile as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics = [];
    }
    const { estree } = astConverter(sourceFile, CONVERTER_SETTINGS, false);
    return { program: estree, partial };
  } catch (error) {
    if (error instanceof RangeError) return { failure: 'nesting too deep to parse (stack overflow)' };
    return { failure: `parser failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
