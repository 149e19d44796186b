import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, enclosingFunctionName, isFunctionNode, locOf, parentOf, spanOf, staticPath, unwrap } from './ast';
import type { Catalog } from './catalog';
import type { Detector, DetectorContext, Report, Visitor } from './detector';
import { destinationLabel, fingerprintOf, formatMessage, type Finding, type Range } from './finding';
import { payloadNames } from './data-types';
import { mayHoldJsx, parseSource, type ParseResult } from './parse';
import { ScopeMap, type ImportOriginResolver, type ImportResolver } from './scope';
import { collectModuleLinks, type ModuleLinks, type WalkedNodes } from './module-links';
import { dominatingGuards, type ParsedGuard } from './guards';
import { readSuppressions, type SuppressionDirective } from './suppressions';
import type { Origin } from './origin';
import type { ImportedNames } from './analysis-job';

/** What one file yields: its findings, and what the workspace index needs to follow wrappers. */
export interface FileAnalysis {
  file: string;
  findings: Finding[];
  /** Sends decided by a parameter (`exec(command)` in a wrapper): findings only at their callers. Indexed after `findings` in `links`. */
  latent?: Finding[];
  /** Set when the file had syntax errors: findings cover what could be read. */
  partial?: { line: number; message: string };
  /** Set when the file could not be analysed at all. */
  skipped?: string;
  links?: ModuleLinks;
  /** The file's `offbox-ignore` comments; the scan applies them to its findings, wrapper calls included. */
  suppressions?: SuppressionDirective[];
  /** The in-repo modules it imports, and which names (set by a scan's job): the wrapper rounds read them. */
  imports?: ImportedNames[];
  /** Which exported clients the analysis followed (set by a scan's job); redone when that changes. */
  clientSignature?: string;
}

// Read once: a bundled import is a getter, and the walk reads it for every node.
const VISITOR_KEYS: Record<string, readonly string[] | undefined> = visitorKeys;

// Type annotations and declarations never run, so the walk does not enter them.
const SKIPPED_KEYS = new Set(['parent', 'typeAnnotation', 'typeParameters', 'typeArguments', 'returnType', 'superTypeArguments', 'decorators']);
const SKIPPED_TYPES = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSModuleDeclaration', 'TSEnumDeclaration']);

/**
 * Parses one file once, walks it once, and runs every detector's visitor on the way.
 * The walk sets parent pointers and fills the scope map first; detectors then see nodes in source
 * order with every declaration of the file known, so hoisted names resolve.
 */
export interface AnalyzeOptions {
  /** Whether an import specifier names a module of this workspace (relative, an alias, a workspace package). */
  isInRepoModule?: (source: string) => boolean;
  /** privacy.json guards, parsed: each finding records the ones that dominate it. */
  guards?: readonly ParsedGuard[];
  /** Reads values exported by other in-repo modules (see ModuleValues). */
  importResolver?: (fromFile: string) => ImportResolver;
  /** Follows clients other in-repo modules export to the package they come from (see ModuleValues). */
  importOrigin?: (fromFile: string) => ImportOriginResolver;
  /** Whether an exported value's origin is a client a detector reads (ModuleLinks.clientExports). */
  isClientOrigin?: (origin: Origin) => boolean;
  /** Parses the text instead of parseSource: the editor's IncrementalParser for an open document. */
  parse?: (text: string) => ParseResult;
  /** Whether to collect the exports and in-repo calls the wrapper index joins (default true); the editor, which takes wrapper calls from the last scan, skips them on every keystroke. */
  links?: boolean;
}

export function analyzeSource(file: string, text: string, detectors: readonly Detector[], catalog: Catalog, options: AnalyzeOptions = {}): FileAnalysis {
  try {
    return analyzeParsed(file, text, detectors, catalog, options);
  } catch (error) {
    // A bug of ours on one file must not cost the whole scan: the file is reported as skipped, with why.
    const reason = error instanceof RangeError ? 'nesting too deep to analyse (stack overflow)' : `internal error while analysing (${error instanceof Error ? error.message : String(error)}); please report it`;
    return { file, findings: [], skipped: reason };
  }
}

function analyzeParsed(file: string, text: string, detectors: readonly Detector[], catalog: Catalog, options: AnalyzeOptions): FileAnalysis {
  const parsed = options.parse ? options.parse(text) : parseSource(file, text);
  if (!parsed.program) return { file, findings: [], skipped: parsed.failure ?? 'could not be parsed' };
  const program = parsed.program;
  const scopes = new ScopeMap();
  scopes.importResolver = options.importResolver?.(file);
  scopes.importOrigin = options.importOrigin?.(file);
  const reports: Array<{ detector: Detector; report: Report }> = [];
  const handlers = new Map<string, Array<(node: Node) => void>>();
  const exits: Array<() => void> = [];
  for (const detector of detectors) {
    const context: DetectorContext = { file, scopes, catalog, report: (report) => reports.push({ detector, report }) };
    const visitor = detector.create(context);
    for (const [type, handler] of Object.entries(visitor) as Array<[keyof Visitor, ((node: Node) => void) | undefined]>) {
      if (!handler) continue;
      if (type === 'Program:exit') exits.push(handler as () => void);
      else handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    }
  }
  // Calls into other in-repo modules, and functions stored on an object (not run where they are
  // defined), are collected in the same walk, for the workspace's wrapper index.
  const walked: WalkedNodes = { calls: [], storedFunctions: [] };
  handlers.set('CallExpression', [...(handlers.get('CallExpression') ?? []), (node) => walked.calls.push(node as TSESTree.CallExpression)]);
  handlers.set('AssignmentExpression', [
    ...(handlers.get('AssignmentExpression') ?? []),
    (node) => {
      const { left, right } = node as TSESTree.AssignmentExpression;
      const path = left.type === AST_NODE_TYPES.MemberExpression && isFunctionNode(unwrap(right)) ? staticPath(left) : undefined;
      if (path) walked.storedFunctions.push({ stored: unwrap(right), path });
    },
  ]);
  const dispatch = walk(program, scopes, handlers);
  for (const node of dispatch) for (const handler of handlers.get(node.type) ?? []) handler(node);
  for (const exit of exits) exit();
  const guards = options.guards ?? [];
  const built = buildFindings(file, text, reports, scopes, catalog, guards);
  const findings = built.filter((_, index) => !reports[index].report.latent);
  const latent = built.filter((_, index) => reports[index].report.latent);
  const links = options.links === false ? undefined : collectModuleLinks(file, program, scopes, [...findings, ...latent], walked, text, options.isInRepoModule, guards, options.isClientOrigin);
  return { file, findings, latent, partial: parsed.partial, links, suppressions: readSuppressions(text, mayHoldJsx(file)) };
}

/** Parses a module and fills its scopes without running detectors: for reading its exported values. */
export function parseModule(file: string, text: string): { program: TSESTree.Program; scopes: ScopeMap } | undefined {
  const parsed = parseSource(file, text);
  if (!parsed.program) return undefined;
  const scopes = new ScopeMap();
  walk(parsed.program, scopes, new Map());
  // Nodes of this module may become related locations of another file's finding: they must know their file.
  MODULE_FILES.set(parsed.program, file);
  return { program: parsed.program, scopes };
}

const MODULE_FILES = new WeakMap<Node, string>();

/** The file of a node that came from a module read through parseModule, else undefined (the file being analysed). */
function moduleFileOf(node: Node): string | undefined {
  let root: Node = node;
  for (let parent = parentOf(root); parent; parent = parentOf(root)) root = parent;
  return MODULE_FILES.get(root);
}

/** One iterative pre-order walk (deep nesting must not overflow the stack). Returns the nodes detectors asked for, in order. */
function walk(program: TSESTree.Program, scopes: ScopeMap, handlers: Map<string, unknown>): Node[] {
  const wanted: Node[] = [];
  const stack: Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    scopes.collect(node);
    if (handlers.has(node.type)) wanted.push(node);
    const keys = walkedKeys(node);
    for (let keyIndex = keys.length - 1; keyIndex >= 0; keyIndex -= 1) {
      const value = (node as unknown as Record<string, unknown>)[keys[keyIndex]];
      if (Array.isArray(value)) {
        for (let index = value.length - 1; index >= 0; index -= 1) pushChild(stack, value[index], node);
      } else {
        pushChild(stack, value, node);
      }
    }
  }
  return wanted;
}

// The keys the walk enters, by node type: the visitor keys less the skipped ones, filtered once per
// type rather than tested key by key at every node (over the trees a scan at scale parses first,
// 131 -> 68 ms cold, 43 -> 38 ms warm).
const WALKED_KEYS = new Map<string, readonly string[]>();

function walkedKeys(node: Node): readonly string[] {
  let keys = WALKED_KEYS.get(node.type);
  if (keys === undefined) {
    const known = VISITOR_KEYS[node.type];
    // A node type the visitor keys do not know (a newer parser's) is walked through all its fields.
    if (!known) return Object.keys(node).filter((key) => !SKIPPED_KEYS.has(key));
    WALKED_KEYS.set(node.type, (keys = known.filter((key) => !SKIPPED_KEYS.has(key))));
  }
  return keys;
}

function pushChild(stack: Node[], value: unknown, parent: Node): void {
  if (!value || typeof value !== 'object' || typeof (value as Node).type !== 'string') return;
  const child = value as Node;
  if (SKIPPED_TYPES.has(child.type)) return;
  (child as { parent?: Node }).parent = parent;
  stack.push(child);
}

function buildFindings(
  file: string,
  text: string,
  reports: Array<{ detector: Detector; report: Report }>,
  scopes: ScopeMap,
  catalog: Catalog,
  guards: readonly ParsedGuard[],
): Finding[] {
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  for (const { detector, report } of reports) {
    const dataNames = payloadNames(report.payload ?? [], scopes);
    const dataTypes = [...new Set(dataNames.flatMap((name) => catalog.dataTypes.classify(name)))].sort();
    const destination = report.destination;
    const data = {
      api: report.api,
      destination: destinationLabel(destination),
      vendor: report.vendor?.name ?? '',
      data: dataTypes.length > 0 ? dataTypes.join(', ') : dataNames.length > 0 ? 'unclassified data' : 'no payload read',
      ...report.data,
    };
    const scope = enclosingFunctionName(report.node);
    const snippet = text.slice(...spanOf(report.node));
    const key = [detector.meta.id, scope, snippet.replace(/\s+/g, ' '), data.destination].join('\u0000');
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    findings.push({
      ruleId: detector.meta.id,
      kind: detector.meta.kind,
      category: report.category ?? report.vendor?.category ?? detector.meta.kind,
      vendor: report.vendor ? { id: report.vendor.id, name: report.vendor.name } : undefined,
      destination,
      dataTypes,
      dataNames,
      api: report.api,
      messageId: report.messageId,
      message: formatMessage(detector.meta.messages[report.messageId] ?? report.messageId, data),
      file,
      range: rangeOf(report.node),
      fingerprint: fingerprintOf({ ruleId: detector.meta.id, file, scope, snippet, destination: data.destination, occurrence }),
      related: (report.related ?? []).map(({ node, message }) => ({ file: moduleFileOf(node) ?? file, range: rangeOf(node), message })),
      cookie: report.cookie,
      command: report.command,
      guards: dominatingGuards(report.node, guards, scopes),
      ...(report.setupOnly ? { setupOnly: true } : {}),
      ...statementOf(report.node),
    });
  }
  return findings;
}

const STATEMENT_PARENTS = new Set(['BlockStatement', 'Program', 'SwitchCase', 'StaticBlock']);

/** The statement holding a node, directly in a block: what a guard quick-fix wraps. JSX has none. */
function statementOf(node: Node): { statement?: Range } {
  let child = node;
  for (let parent = parentOf(node); parent; child = parent, parent = parentOf(parent)) {
    if (child.type.startsWith('JSX')) return {};
    if (STATEMENT_PARENTS.has(parent.type)) {
      return child.type.endsWith('Statement') || child.type === 'VariableDeclaration' ? { statement: rangeOf(child) } : {};
    }
  }
  return {};
}

export function rangeOf(node: Node): Range {
  const loc = locOf(node);
  return { start: { ...loc.start }, end: { ...loc.end } };
}
