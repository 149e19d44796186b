import type * as TypeScript from 'typescript';
import { setLineStarts, spanOf, type Node } from './ast';
import { commentsBlanked } from './regexp';
import { loadOxc, readRaw, useRawTransfer, type Oxc, type OxcModule } from './oxc-binding';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { ParseSettings } from '@typescript-eslint/typescript-estree/use-at-your-own-risk';

export interface ParseResult {
  program?: TSESTree.Program;
  /** Set when the file had syntax errors and the tree holds only what TypeScript could recover. */
  partial?: { line: number; message: string };
  /** Set when no tree could be built at all. */
  failure?: string;
}

const SCRIPT_KINDS: Record<string, 'TS' | 'TSX' | 'JS' | 'JSX'> = {
  '.ts': 'TS',
  '.mts': 'TS',
  '.cts': 'TS',
  '.tsx': 'TSX',
  '.js': 'JS',
  '.mjs': 'JS',
  '.cjs': 'JS',
  '.jsx': 'JSX',
};

/** The extensions Offbox reads. */
export const SOURCE_EXTENSIONS = Object.keys(SCRIPT_KINDS);

/** Whether the file's tree can hold JSX: both parsers read .ts, .mts, .cts (and unknown extensions) without it. */
export function mayHoldJsx(fileName: string): boolean {
  return (SCRIPT_KINDS[fileName.slice(fileName.lastIndexOf('.')).toLowerCase()] ?? 'TS') !== 'TS';
}

let reference: { ts: typeof TypeScript; astConverter: typeof import('@typescript-eslint/typescript-estree/use-at-your-own-risk').astConverter } | undefined;

/** TypeScript and typescript-estree, loaded the first time a file needs the reference parser. */
function referenceParser() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  reference ??= { ts: require('typescript'), astConverter: require('@typescript-eslint/typescript-estree/use-at-your-own-risk').astConverter };
  return reference!;
}

// The converter reads only these settings; the rest of typescript-estree's ParseSettings
// concern type-aware linting, which a per-file scan never needs.
const CONVERTER_SETTINGS = {
  allowInvalidAST: true,
  errorOnUnknownASTType: false,
  suppressDeprecatedPropertyWarnings: true,
  range: true,
  // Lines are counted from offsets as for oxc (setLineStarts, `\n` only, as the editor and the
  // suppression comments count them): TypeScript's own `loc` also breaks lines at U+2028, U+2029
  // and a lone `\r`, which put a file's findings a line off once it had a syntax error.
  loc: false,
  comment: false,
  tokens: false,
} as unknown as ParseSettings;

/** Which parser builds the tree: oxc for speed, TypeScript + typescript-estree as the reference. */
export type ParserName = 'oxc' | 'typescript';

const OXC_LANG: Record<string, 'js' | 'jsx' | 'ts' | 'tsx'> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'jsx', '.mjs': 'jsx', '.cjs': 'jsx', '.jsx': 'jsx' };

/**
 * Parses TypeScript or JavaScript into an ESTree program (the TS-ESTree shape ESLint rules see).
 *
 * oxc parses about four times faster than typescript-estree and emits the same node types; it is
 * used for every file it parses without error. A file with a syntax error goes to the reference
 * path, so partial parses behave exactly as before (test/parser-parity.test.ts holds the two to the
 * same findings on every fixture and example; OFFBOX_PARSER=typescript forces the reference).
 */
export function parseSource(fileName: string, text: string, parser: ParserName = defaultParser()): ParseResult {
  const oxc = parser === 'oxc' ? loadOxc() : undefined;
  // oxc overflows its native stack (SIGSEGV: the whole process dies, nothing can catch it) at about
  // 10,000 nested brackets; deeply nested files go to the reference parser, whose overflow is a
  // RangeError that becomes a skip reason.
  if (oxc && !nestsDeeperThan(text, MAX_OXC_NESTING)) {
    try {
      const result = runOxc(oxc, fileName, text);
      // A top-level `return` (CommonJS and Meteor modules) is an error to oxc but not to TypeScript's
      // parser, and oxc's tree is complete: the reference parser would read the same program.
      if (result.errors.every((error) => BENIGN_OXC_ERRORS.has(error.message))) {
        const program = oxcProgram(oxc, result);
        restoreImportKinds(program, text);
        setLineStarts(program, text);
        return { program };
      }
    } catch {
      // Anything oxc cannot do, the reference parser does.
    }
  }
  return parseWithTypeScript(fileName, text);
}

/**
 * Parses a snippet with oxc alone, for the editor's incremental re-parse: the program when oxc reads it
 * without any error, else undefined (the caller then parses the whole file as usual).
 */
export function parseSnippetWithOxc(fileName: string, text: string, sourceType: 'module' | 'script'): TSESTree.Program | undefined {
  const oxc = defaultParser() === 'oxc' ? loadOxc() : undefined;
  if (!oxc || nestsDeeperThan(text, MAX_OXC_NESTING)) return undefined;
  try {
    const result = runOxc(oxc, fileName, text, sourceType);
    if (result.errors.length > 0) return undefined;
    const program = oxcProgram(oxc, result);
    restoreImportKinds(program, text);
    return program;
  } catch {
    return undefined;
  }
}

/**
 * How oxc is asked to parse a file. JavaScript files may hold JSX, as TypeScript's parser allows;
 * parentheses are not nodes in ESTree. TypeScript files are read into the JavaScript shape of the
 * tree (`astType: 'js'`): the same nodes, TypeScript's expressions (`x as T`, `x!`) and declarations
 * (enums, namespaces) included, without the fields only types need (annotations, type arguments,
 * access modifiers), which nothing here reads. Its JSON is smaller, and JSON.parse is most of a
 * parse without raw transfer: over the 571 files a scan of the three corpora parses, 10 to 30% less
 * time (bench/README.md). The one such field that is read, `importKind`, is restored from the text
 * (restoreImportKinds).
 */
function oxcOptions(oxc: Oxc, fileName: string, sourceType?: 'module' | 'script'): Parameters<OxcModule['parseSync']>[2] {
  const extension = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  return { lang: OXC_LANG[extension] ?? 'ts', astType: 'js', ...(sourceType ? { sourceType } : {}), preserveParens: false, showSemanticErrors: false, experimentalRawTransfer: useRawTransfer(oxc) } as Parameters<OxcModule['parseSync']>[2];
}

/**
 * Sets `importKind` on import declarations and their specifiers as the TypeScript shape has it:
 * `'type'` for `import type { A }`, `import type * as n`, `import type D` and `import { type B }`,
 * else `'value'` (`import type from 'm'` imports a default named `type`). Imports stand at the top
 * level of a program or of a `declare module` block.
 */
function restoreImportKinds(program: TSESTree.Program, text: string): void {
  const statements: TSESTree.Node[] = [...program.body];
  for (let statement = statements.pop(); statement; statement = statements.pop()) {
    if (statement.type === 'TSModuleDeclaration') {
      const body = statement.body;
      if (body?.type === 'TSModuleBlock') statements.push(...body.body);
      else if (body) statements.push(body);
      continue;
    }
    if (statement.type !== 'ImportDeclaration') continue;
    const first = statement.specifiers[0];
    statement.importKind = startsWithType(text, spanOf(statement)[0] + 'import'.length, spanOf(first ?? statement.source)[0]) ? 'type' : 'value';
    for (const specifier of statement.specifiers) {
      if (specifier.type !== 'ImportSpecifier') continue;
      specifier.importKind = startsWithType(text, spanOf(specifier)[0], spanOf(specifier.imported)[0]) ? 'type' : 'value';
    }
  }
}


/** Whether the text from `start` to `end` is the keyword `type` and what may follow it there: space, comments, `{`. */
function startsWithType(text: string, start: number, end: number): boolean {
  if (end - start < 4) return false;
  const between = text.slice(start, end);
  return LEADING_TYPE.test(commentsBlanked(between));
}

const LEADING_TYPE = /^\s*type(?![\w$])/;

const MAX_OXC_NESTING = 2000;

/**
 * Whether the file may nest deeper than `limit` anywhere (counted roughly: strings and comments too,
 * which only errs on the safe side). Brackets nest, and so do constructs without any, which oxc
 * recurses into as deep and which killed the process at 15,000 levels: `a ? b : c ? …`, `a => b => …`,
 * `a = b = …`, `<a><a>…`, `yield yield …`. Their marks are counted in each run that no bracket, `;` or
 * `,` ends, since none of them nests across those (a 100,000-line file of `export const v = 1;` is fine).
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  // Rare enough to be counted whole: a generator of 2,000 yields is read by the reference parser.
  if (text.includes('yield') && (text.match(YIELD) ?? []).length > limit) return true;
  // One native pass leaves the marks (a tenth of a file, or less): no more of them, no deeper nesting.
  const marks = text.replace(NOT_A_NESTING_MARK, '');
  if (marks.length <= limit) return false;
  let depth = 0;
  let run = 0;
  for (let index = 0; index < marks.length; index += 1) {
    const code = marks.charCodeAt(index);
    if (code === 63 || code === 61 || code === 60) {
      // `?`, `=`, `<`
      if (++run + depth > limit) return true;
      continue;
    }
    run = 0;
    if (code === 40 || code === 91 || code === 123) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code !== 59 && code !== 44 && depth > 0) depth -= 1;
  }
  return false;
}

const NOT_A_NESTING_MARK = /[^()[\]{}?=<;,]+/g;
const YIELD = /\byield\b/g;

const BENIGN_OXC_ERRORS = new Set(["A 'return' statement can only be used within a function body."]);

/**
 * One oxc parse: its errors, and the tree's JSON (read only once the errors allow), or with raw
 * transfer the tree itself, or oxc-parser's parseSync result where its pieces could not be loaded.
 */
type OxcRun = { errors: ReadonlyArray<{ message: string }> } & ({ json: string } | { program: unknown } | { wrapped: { program: unknown } });

/**
 * The native binding is called directly and its JSON read here (or, with raw transfer, oxc's buffer
 * deserialized, readRaw), as oxc-parser's own parseSync does, but without the getters it hands the
 * tree out through: their closure kept the last tree alive past its file, so a young-generation
 * collection moved it to the old generation. Parsing 653 corpus files in a row, 211 MB were promoted
 * that way against 8 MB, and parse and walk took a quarter longer. With raw transfer on Node 22,
 * making that object, read or not, kept every tree to the next full collection: at scale the worker
 * promoted 62-77 MB against 13 MB, and a scan took 1.58 s against 1.42 s (bench/README.md).
 */
function runOxc(oxc: Oxc, fileName: string, text: string, sourceType?: 'module' | 'script'): OxcRun {
  const options = oxcOptions(oxc, fileName, sourceType);
  const raw = useRawTransfer(oxc);
  if (!raw && oxc.json) {
    const result = oxc.json.parseSync(fileName, text, options);
    return { errors: result.errors, json: result.program };
  }
  if (raw && oxc.raw) return readRaw(oxc.raw, fileName, text, options);
  const wrapped = oxc.module!.parseSync(fileName, text, options);
  return { errors: wrapped.errors, wrapped };
}

function oxcProgram(oxc: Oxc, run: OxcRun): TSESTree.Program {
  return ('json' in run ? oxc.json!.jsonParseAst(run.json) : 'program' in run ? run.program : run.wrapped.program) as TSESTree.Program;
}

/** Loads the parser that will serve files here, ahead of the first file (a pool worker, while the scan discovers files). */
export function preloadParser(): void {
  if (defaultParser() === 'oxc') loadOxc();
}

/** Which parser serves files here and how oxc hands its tree over: for the extension's log and its tests. */
export function parserInfo(): { parser: ParserName; rawTransfer: boolean } {
  const oxc = defaultParser() === 'oxc' ? loadOxc() : undefined;
  return { parser: oxc ? 'oxc' : 'typescript', rawTransfer: oxc ? useRawTransfer(oxc) : false };
}

function defaultParser(): ParserName {
  return process.env.OFFBOX_PARSER === 'typescript' ? 'typescript' : 'oxc';
}

/**
 * typescript-estree's own `parse` throws on the first syntax error, but TypeScript's parser always
 * recovers and builds a tree. We parse with TypeScript, note its first diagnostic, and convert the
 * recovered tree, so a file that is being typed still yields findings for what can be read.
 */
function parseWithTypeScript(fileName: string, text: string): ParseResult {
  const extension = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  try {
    const { ts, astConverter } = referenceParser();
    const scriptKind = ts.ScriptKind[SCRIPT_KINDS[extension] ?? 'TS'];
    const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind);
    const diagnostics = (sourceFile as unknown as { parseDiagnostics: TypeScript.DiagnosticWithLocation[] }).parseDiagnostics;
    let partial: ParseResult['partial'];
    if (diagnostics.length > 0) {
      const first = diagnostics[0];
      const line = text.slice(0, first.start).split('\n').length;
      partial = { line, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
      (sourceFile as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics = [];
    }
    const { estree } = astConverter(sourceFile, CONVERTER_SETTINGS, false);
    setLineStarts(estree as unknown as Node, text);
    return { program: estree, partial };
  } catch (error) {
    if (error instanceof RangeError) return { failure: 'nesting too deep to parse (stack overflow)' };
    return { failure: `parser failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
