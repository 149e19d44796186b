import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { setLineStarts, type Node } from './ast';
import { parseSnippetWithOxc, parseSource, type ParseResult } from './parse';
import { childSpanning, commonPrefix, commonSuffix, moveBy, nodeSpanning, shiftAfter, slotOf, type Positioned } from './positioned-tree';

interface FunctionWithBody extends Positioned {
  async?: boolean;
  generator?: boolean;
  body: Positioned & { body: Positioned[] };
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/**
 * Parses one open document again after each edit, re-reading only the innermost braced list the edit
 * falls in (a function's body; outside functions, an object literal's or a class's members) and
 * splicing the new items into the previous tree. A keystroke in a
 * 1,400-line file then costs the parse of one function instead of the file, and the rest of the tree,
 * old by now, is not copied by the collector again (the p95 of bench/keystroke.mjs).
 *
 * Each list is parsed in a wrapper where it reads as in the file (WRAPPERS). Anything else falls back
 * to a whole parse: an edit outside such a list or touching its braces, a snippet oxc reports any
 * error in, a snippet whose braces do not close where the list's did. test/incremental-parse.test.ts
 * compares spliced trees with whole parses after thousands of random edits.
 */
export class IncrementalParser {
  private previous: { text: string; program: TSESTree.Program } | undefined;
  /** Parses answered by a splice, for tests and the log. */
  spliced = 0;
  /** How many characters of the file the last splice parsed again, for tests. */
  lastReread = 0;

  constructor(private readonly fileName: string) {}

  parse(text: string): ParseResult {
    const previous = this.previous;
    if (previous?.text === text) return { program: previous.program };
    // Only files with a top-level import or export are spliced. oxc tells a module from a script by
    // its content, and a splice never touches top-level statements, so such a file stays a module (a
    // file that is a module only through `import.meta` or a top-level `await` could stop being one);
    // and a script's strictness can come from an enclosing function's directive the snippet would not see.
    let program: TSESTree.Program | undefined;
    try {
      program = previous && hasModuleSyntax(previous.program) ? this.splice(previous.program, previous.text, text) : undefined;
    } catch {
      // A splice that fails half-way may have left the old tree changed: it is dropped, and the file parsed whole.
      program = undefined;
    }
    if (program) {
      this.spliced += 1;
      this.previous = { text, program };
      return { program };
    }
    const result = parseSource(this.fileName, text);
    // Only a whole oxc tree is a base for the next edit: not a partial one, nor typescript-estree's.
    const base = result.program && !result.partial && typeof (result.program as unknown as Positioned).start === 'number' && !result.program.range;
    this.previous = base ? { text, program: result.program! } : undefined;
    return result;
  }

  private splice(program: TSESTree.Program, oldText: string, text: string): TSESTree.Program | undefined {
    // The changed span: after the common prefix, before the common suffix.
    const start = commonPrefix(oldText, text);
    const same = commonSuffix(oldText, text, start);
    const oldEnd = oldText.length - same;
    const newEnd = text.length - same;
    const delta = newEnd - oldEnd;
    const { container, element } = innermostContainer(program as unknown as Positioned, start, oldEnd);
    if (element) {
      const spliced = this.spliceElement(program, element, text, start, oldEnd, delta);
      if (spliced) return spliced;
    }
    if (!container) return undefined;
    if (container.kind === 'object') return this.spliceMembers(program, container.node, text, start, oldEnd, delta);
    if (container.kind === 'function') {
      const statements = this.spliceStatements(program, container, oldText, text, start, oldEnd, delta);
      if (statements) return statements;
    }
    const { node, field, kind } = container;
    const contentStart = node.start + 1;
    const content = text.slice(contentStart, node.end - 1 + delta);
    const [prefix, suffix] = container.wrapper;
    const items = wrappedList(this.parseWrapped(prefix, content, suffix)?.snippet, kind, prefix.length - 1, prefix.length + content.length + 1);
    if (!items) return undefined;
    // The old list goes; everything after the edit moves by delta; the new items move into place.
    const list = node as unknown as Record<string, Positioned[]>;
    list[field] = [];
    shiftAfter(program as unknown as Positioned, start, oldEnd, delta);
    for (const item of items) moveBy(item, contentStart - prefix.length);
    // Parsed as a function's body, a block's leading strings came back as directives; in a block they
    // are not, and oxc's JavaScript-shaped statement then has no `directive` at all.
    if (container.block) dropDirectives(items);
    list[field] = items;
    setLineStarts(program as unknown as Node, text);
    return program;
  }

  /**
   * Parses `content` between the text that makes it read as in the file; undefined for content with
   * `<!--` or `-->`, which read as comments in a script and as operators in a module (a whole parse tells).
   */
  private parseWrapped(prefix: string, content: string, suffix: string): { snippet: TSESTree.Program | undefined; source: string } | undefined {
    if (content.includes('<!--') || content.includes('-->')) return undefined;
    const source = `${prefix}${content}${suffix}`;
    this.lastReread = content.length;
    return { snippet: parseSnippetWithOxc(this.fileName, source, 'module'), source };
  }

  /**
   * An edit inside a JSX element (its children or its attributes) in a function: the element alone is
   * parsed again, as an expression where the function's body would hold it. A page's markup is one
   * `return (…)` of hundreds of lines, which the statements' splice would read whole. JSX reads the
   * same wherever it stands, its tags bracketing it; what does not parse alone (a tag left open, two
   * elements where one was) goes to the splices around it.
   */
  private spliceElement(program: TSESTree.Program, element: ElementContainer, text: string, start: number, oldEnd: number, delta: number): TSESTree.Program | undefined {
    const { node, parent, wrapper } = element;
    const slot = slotOf(parent, node);
    if (!slot) return undefined;
    const content = text.slice(node.start, node.end + delta);
    const [prefix, suffix] = wrapper;
    const snippet = this.parseWrapped(`${prefix}(`, content, `);${suffix}`)?.snippet;
    const open = prefix.length + 1;
    const replacement = snippet?.body.length === 1 ? nodeSpanning(snippet.body[0] as unknown as Positioned, open, open + content.length, JSX_ELEMENTS) : undefined;
    if (!replacement) return undefined;
    shiftAfter(program as unknown as Positioned, start, oldEnd, delta);
    moveBy(replacement, node.start - open);
    slot.set(replacement);
    setLineStarts(program as unknown as Node, text);
    return program;
  }

  /**
   * An edit in a function's or a block's statements: only the statements the edit touches are parsed
   * again (an edit between two statements, just that gap), not the whole body, which in a page's
   * component is most of the file. A statement reads alone as in the file when the one before it ends
   * on its own (statementEnds: a `;`, a declaration's or a block's `}`), so that nothing typed after
   * it can continue it (`a⏎(b)` is a call), and so does the last new one when another follows. Else
   * the whole body is parsed again, as are edits a snippet cannot tell (a parse error).
   */
  private spliceStatements(program: TSESTree.Program, container: Container, oldText: string, text: string, start: number, oldEnd: number, delta: number): TSESTree.Program | undefined {
    const statements = (container.node as unknown as { body: Positioned[] }).body;
    const touched = touchedItems(statements, container.node, text, start, oldEnd, delta);
    if (!touched) return undefined;
    const { first, last, before, content } = touched;
    // The whole list is what the caller re-reads anyway.
    if (first === 0 && last === statements.length - 1) return undefined;
    if (first > 0 && !statementEnds(statements[first - 1], oldText)) return undefined;
    // Whether a string after the edit is a directive depends on every statement before it.
    if (last + 1 < statements.length && isStringStatement(statements[last + 1])) return undefined;
    const [prefix, suffix] = container.wrapper;
    const parsed = this.parseWrapped(prefix, content, suffix);
    const items = wrappedList(parsed?.snippet, 'function', prefix.length - 1, prefix.length + content.length + 1);
    if (!parsed || !items) return undefined;
    if (last + 1 < statements.length && items.length > 0 && !statementEnds(items[items.length - 1], parsed.source)) return undefined;
    shiftAfter(program as unknown as Positioned, start, oldEnd, delta);
    for (const item of items) moveBy(item, before - prefix.length);
    // At the top of the snippet's function, leading strings read as directives: in the file they are
    // only where every statement before them is one (and never in a block).
    if (container.block || !statements.slice(0, first).every(isDirective)) dropDirectives(items);
    statements.splice(first, last - first + 1, ...items);
    setLineStarts(program as unknown as Node, text);
    return program;
  }

  /**
   * An edit in an object literal (a module's big `export const Api = { … }`): only the members the
   * edit touches are parsed again, between stand-ins for their neighbours, so the commas around them
   * read as in the file. An edit in the gap between two members re-reads just that gap.
   */
  private spliceMembers(program: TSESTree.Program, node: Positioned, text: string, start: number, oldEnd: number, delta: number): TSESTree.Program | undefined {
    const members = (node as unknown as { properties: Positioned[] }).properties;
    const touched = touchedItems(members, node, text, start, oldEnd, delta);
    if (!touched) return undefined;
    const { first, last, before, content } = touched;
    const prefix = first > 0 ? '({ offbox__before: 0' : '({';
    const suffix = last + 1 < members.length ? 'offbox__after: 0 })' : '})';
    const parsed = this.parseWrapped(prefix, content, suffix);
    if (!parsed) return undefined;
    const { source } = parsed;
    const items = wrappedList(parsed.snippet, 'object', 1, source.length - 1);
    if (!items) return undefined;
    // The stand-ins must be where they were put, and be all that is not the content.
    const standIns = (first > 0 ? 1 : 0) + (last + 1 < members.length ? 1 : 0);
    // Both ends are checked: text typed right after a member (` (z)`, ` .q`, ` + 1`) would otherwise
    // extend the stand-in before it instead of the member it extends in the file.
    const lastItem = items[items.length - 1];
    if (
      items.length < standIns ||
      (first > 0 && (items[0].start !== 3 || items[0].end !== prefix.length)) ||
      (last + 1 < members.length && (lastItem.start !== prefix.length + content.length || lastItem.end !== source.length - 3))
    ) {
      return undefined;
    }
    const replacements = items.slice(first > 0 ? 1 : 0, last + 1 < members.length ? -1 : undefined);
    const list = node as unknown as { properties: Positioned[] };
    list.properties = [...members.slice(0, first), ...members.slice(last + 1)];
    shiftAfter(program as unknown as Positioned, start, oldEnd, delta);
    for (const item of replacements) moveBy(item, before - prefix.length);
    list.properties.splice(first, 0, ...replacements);
    setLineStarts(program as unknown as Node, text);
    return program;
  }
}

type ContainerKind = 'function' | 'object' | 'class';

/** Where a function sits, as far as what its body may hold goes (`super`, `new.target`, `arguments`). */
type Context = 'module' | 'function' | 'method' | 'field' | 'other';

/** A braced list the edit falls in: a function's statements, or an object's or class's members outside any function or class. */
interface Container {
  kind: ContainerKind;
  /** The braced node: the function's block body, the object expression, the class body. */
  node: Positioned;
  /** Its list field. */
  field: 'body' | 'properties';
  /** The text before and after the list in a snippet where the list reads as it does in the file. */
  wrapper: [string, string];
  /** A block inside a function rather than its body: its leading strings are not directives. */
  block?: boolean;
}

// Each list is parsed where it reads the same as in the file: a method's statements in a method, a
// plain function's in a plain function, an arrow's in an arrow placed as the file places it (at the
// top, in a function, in a method, in a class field), with the same async and generator flags, so
// `await`, `yield`, `super`, `new.target`, `arguments` and `return` read alike. Objects and classes
// are spliced only outside functions and classes; constructors and static blocks never are.
function functionWrapper(fn: FunctionWithBody, context: Context, isMethod: boolean, isConstructor: boolean): [string, string] | undefined {
  const async = fn.async ? 'async ' : '';
  if (fn.type !== 'ArrowFunctionExpression') {
    if (isConstructor) return undefined;
    return isMethod ? [`({ ${async}${fn.generator ? '*' : ''}offbox__body() {`, '} })'] : [`(${async}function${fn.generator ? '*' : ''} () {`, '})'];
  }
  const arrow: [string, string] = [`(${async}() => {`, '})'];
  switch (context) {
    case 'module':
      return arrow;
    case 'function':
      return [`(function () { ${arrow[0]}`, `${arrow[1]} })`];
    case 'method':
      return [`({ offbox__body() { ${arrow[0]}`, `${arrow[1]} } })`];
    case 'field':
      return [`(class { offbox__field = ${async}() => {`, '} })'];
    default:
      return undefined;
  }
}

const MODULE_SYNTAX = new Set(['ImportDeclaration', 'ExportNamedDeclaration', 'ExportDefaultDeclaration', 'ExportAllDeclaration', 'TSExportAssignment', 'TSImportEqualsDeclaration']);

function hasModuleSyntax(program: TSESTree.Program): boolean {
  return program.sourceType === 'module' && program.body.some((statement) => MODULE_SYNTAX.has(statement.type));
}

/** A JSX element or fragment the edit falls in, inside a function, and the function's wrapper. */
interface ElementContainer {
  node: Positioned;
  parent: Positioned;
  wrapper: [string, string];
}

const JSX_ELEMENTS = new Set(['JSXElement', 'JSXFragment']);

/**
 * The innermost container whose braces hold [start, end) strictly inside, and the innermost JSX
 * element that does, when it lies deeper than that container.
 */
function innermostContainer(root: Positioned, start: number, end: number): { container?: Container; element?: ElementContainer } {
  let found: Container | undefined;
  let element: ElementContainer | undefined;
  let context: Context = 'module';
  // Inside any function, arrows included: an object's or class's members could hold an `await` or a
  // `yield` that reads differently there than at the top of a module.
  let inFunction = false;
  // The wrapper of the innermost function around the edit: a block inside it reads as its body does.
  let enclosing: [string, string] | undefined;
  let parent: Positioned | undefined;
  let node: Positioned | undefined = root;
  const inside = (braced: Positioned) => braced.start < start && end < braced.end;
  while (node) {
    if (FUNCTION_TYPES.has(node.type)) {
      const fn = node as FunctionWithBody;
      const isMethod = parent?.type === 'MethodDefinition' || (parent?.type === 'Property' && ((parent as unknown as { method?: boolean }).method || (parent as unknown as { kind?: string }).kind !== 'init'));
      const isConstructor = parent?.type === 'MethodDefinition' && (parent as unknown as { kind?: string }).kind === 'constructor';
      enclosing = functionWrapper(fn, context, isMethod, isConstructor);
      if (fn.body?.type === 'BlockStatement' && inside(fn.body)) {
        found = enclosing ? { kind: 'function', node: fn.body, field: 'body', wrapper: enclosing } : undefined;
        element = undefined;
      }
      if (fn.type !== 'ArrowFunctionExpression') context = isConstructor ? 'other' : isMethod ? 'method' : 'function';
      inFunction = true;
    } else if (node.type === 'BlockStatement' && enclosing && inside(node) && !FUNCTION_TYPES.has(parent?.type ?? '')) {
      // A block inside a function (an if, a loop, a try): its statements read as the function's body
      // would hold them; a break or continue that needs the loop around it is an error there, and the
      // whole file is parsed instead.
      found = { kind: 'function', node, field: 'body', wrapper: enclosing, block: true };
      element = undefined;
    } else if (JSX_ELEMENTS.has(node.type) && enclosing && parent && inside(node)) {
      element = { node, parent, wrapper: enclosing };
    } else if (!inFunction && context === 'module' && node.type === 'ObjectExpression' && inside(node)) {
      found = { kind: 'object', node, field: 'properties', wrapper: ['({', '})'] };
    } else if (!inFunction && context === 'module' && (node.type === 'ClassDeclaration' || node.type === 'ClassExpression')) {
      const body = (node as unknown as { body: Positioned }).body;
      const derived = Boolean((node as unknown as { superClass?: unknown }).superClass);
      if (inside(body)) found = { kind: 'class', node: body, field: 'body', wrapper: [derived ? '(class extends Object {' : '(class {', '})'] };
    } else if (node.type === 'PropertyDefinition' || node.type === 'AccessorProperty' || node.type === 'TSAbstractPropertyDefinition') {
      // A field's initializer, wherever its class is: `arguments` may not appear there.
      context = 'field';
    } else if (node.type === 'StaticBlock') {
      context = 'other';
      enclosing = undefined;
    }
    parent = node;
    node = childSpanning(node, start, end);
  }
  return { container: found, element };
}

const LIST_FIELD: Record<ContainerKind, { types: ReadonlySet<string>; field: string }> = {
  function: { types: new Set(['BlockStatement']), field: 'body' },
  object: { types: new Set(['ObjectExpression']), field: 'properties' },
  class: { types: new Set(['ClassBody']), field: 'body' },
};

/** The list inside the snippet's wrapper: the node of the container's type whose braces stand exactly where the wrapper put them. */
function wrappedList(snippet: TSESTree.Program | undefined, kind: ContainerKind, open: number, close: number): Positioned[] | undefined {
  if (snippet?.body.length !== 1) return undefined;
  const { types, field } = LIST_FIELD[kind];
  const node = nodeSpanning(snippet.body[0] as unknown as Positioned, open, close, types);
  return node && (node as unknown as Record<string, Positioned[]>)[field];
}

/**
 * The items of a braced list an edit touches, first..last (last is first - 1 when the edit falls
 * between two), and the text after the edit from the end of the item before them (or the opening
 * brace) to the start of the one after (or the closing brace).
 */
function touchedItems(items: readonly Positioned[], braced: Positioned, text: string, start: number, oldEnd: number, delta: number): { first: number; last: number; before: number; content: string } | undefined {
  let first = items.findIndex((item) => item.end >= start);
  if (first === -1) first = items.length;
  let last = items.length - 1;
  while (last >= 0 && items[last].start > oldEnd) last -= 1;
  if (last < first - 1) return undefined;
  const before = first > 0 ? items[first - 1].end : braced.start + 1;
  const after = last + 1 < items.length ? items[last + 1].start : braced.end - 1;
  return { first, last, before, content: text.slice(before, after + delta) };
}

// Statements that end at their own `}`: nothing typed after them continues them (an `else` or a `catch`
// after an if's or a try's block reads as an error alone, and the body is parsed whole).
const ENDS_AT_BRACE = new Set(['FunctionDeclaration', 'ClassDeclaration', 'BlockStatement', 'SwitchStatement', 'TryStatement', 'TSInterfaceDeclaration', 'TSEnumDeclaration', 'TSModuleDeclaration']);

/** Whether what follows the statement (in `text`, where its offsets point) starts another: it ends with `;`, or ends at its own `}`, or ends with a body that does. */
function statementEnds(statement: Positioned, text: string): boolean {
  if (text.charCodeAt(statement.end - 1) === 0x3b) return true;
  if (ENDS_AT_BRACE.has(statement.type)) return true;
  const node = statement as unknown as { alternate?: Positioned | null; consequent?: Positioned; body?: Positioned };
  if (statement.type === 'IfStatement') return statementEnds(node.alternate ?? node.consequent!, text);
  if (LOOPS.has(statement.type)) return statementEnds(node.body!, text);
  return false;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'LabeledStatement', 'WithStatement']);

function isStringStatement(statement: Positioned): boolean {
  const expression = (statement as unknown as { expression?: { type: string; value?: unknown } }).expression;
  return statement.type === 'ExpressionStatement' && expression?.type === 'Literal' && typeof expression.value === 'string';
}

function isDirective(statement: Positioned): boolean {
  return typeof (statement as { directive?: unknown }).directive === 'string';
}

/** oxc's JavaScript-shaped statement that is no directive has no `directive` at all. */
function dropDirectives(items: Positioned[]): void {
  for (const item of items) if ((item as { directive?: unknown }).directive !== undefined) delete (item as { directive?: unknown }).directive;
}
