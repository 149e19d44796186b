import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, calleeLabel, unwrap } from '../core/ast';
import { defineDetector, type DetectorContext, type Refinement } from '../core/detector';
import { destinationOf, localReason } from '../core/destination';
import { bindHoles, evaluateString, parseRendered, renderString, resolveConstant, type StringValue } from '../core/evaluate';
import { entryNames, type Catalog, type Vendor } from '../core/catalog';
import type { Destination } from '../core/finding';
import { originOf, packageName, type Origin } from '../core/origin';
import { requiredModule } from '../core/scope';
import { parseCommandLine, remoteTarget, type CommandSegment } from './shell-command-line';
import { own } from '../core/own';

/** How each process API takes its command: one shell string, or a program and an argument array. */
const PROCESS_APIS: Record<string, Record<string, 'shell' | 'argv'>> = {
  child_process: { exec: 'shell', execSync: 'shell', spawn: 'argv', spawnSync: 'argv', execFile: 'argv', execFileSync: 'argv' },
  execa: { '': 'argv', execa: 'argv', execaSync: 'argv', execaCommand: 'shell', execaCommandSync: 'shell', command: 'shell', commandSync: 'shell', sync: 'argv' },
  shelljs: { exec: 'shell' },
  'cross-spawn': { '': 'argv', spawn: 'argv', sync: 'argv' },
  // An ssh2 client runs the command on another machine: what that machine reaches counts too.
  ssh2: { 'Client.new.exec': 'shell', 'new.exec': 'shell' },
  'node-ssh': { 'new.execCommand': 'shell', 'NodeSSH.new.execCommand': 'shell' },
};
// Template-tag shells: zx's and execa's `$`.
const TAGGED_SHELLS: Record<string, string[]> = { zx: ['$'], execa: ['$', 'execa'] };
// Every module either table reads.
const SHELL_MODULES = Object.keys({ ...PROCESS_APIS, ...TAGGED_SHELLS });
// The module that makes zx's `$` global.
const ZX_GLOBALS = 'zx/globals';

/**
 * Shell commands that reach the network: child_process, execa, shelljs, cross-spawn and zx, when
 * the command is a catalog program (curl, wget, git push, docker pull, scp, …) with a remote
 * target. Commands built in variables or templates before the call are followed; `sh -c` and
 * `&&` chains are split.
 */
export default defineDetector({
  meta: {
    id: 'shell-egress',
    kind: 'shell',
    description: 'A shell command run by the code that sends or fetches data over the network.',
    messages: {
      command: '`{{command}}` reaches {{destination}}.',
    },
    keywords: [],
    // Every process API is reached through an import of its module (originOf is 'module').
    modules: SHELL_MODULES,
    // `exec` of child_process, `Client` of ssh2's `Client.new.exec`, `$` of zx.
    moduleEntries: Object.fromEntries(SHELL_MODULES.map((module) => [module, entryNames([...Object.keys(PROCESS_APIS[module] ?? {}), ...(TAGGED_SHELLS[module] ?? [])])])),
  },
  create(context) {
    // `import 'zx/globals'` makes zx's `$` a global: a global `$` tag waits for the end of the file
    // (imports are hoisted) to know whether it is zx's.
    let zxGlobals = false;
    const globalTags: TSESTree.TaggedTemplateExpression[] = [];
    return {
      ImportDeclaration(node) {
        // `import type { … } from 'zx/globals'` is erased: it installs nothing.
        if (node.source.value === ZX_GLOBALS && node.importKind !== 'type') zxGlobals = true;
      },
      CallExpression(node) {
        if (requiredModule(node) === ZX_GLOBALS) zxGlobals = true;
        const origin = originOf(node, context.scopes);
        const style = processApiStyle(origin, context);
        if (!style) return;
        const [first, second] = node.arguments;
        if (!first) return;
        const words: StringValue[] = [evaluateString(first, context.scopes)];
        if (style === 'argv' && second) words.push(...argumentArray(second, context));
        check(context, node, words, style === 'shell', calleeLabel(node.callee));
      },
      TaggedTemplateExpression(node) {
        const origin = originOf(node.tag, context.scopes);
        if (origin?.kind === 'global' && origin.steps.length === 1 && origin.steps[0].name === '$') globalTags.push(node);
        if (origin?.kind !== 'module') return;
        const names = own(TAGGED_SHELLS, packageName(origin.source));
        if (!names?.includes(origin.steps[0]?.name ?? '')) return;
        check(context, node, [evaluateString(node.quasi, context.scopes)], true, calleeLabel(node.tag));
      },
      'Program:exit'() {
        if (!zxGlobals) return;
        for (const node of globalTags) check(context, node, [evaluateString(node.quasi, context.scopes)], true, calleeLabel(node.tag));
      },
    };
  },
  /** `execAsync(command)` wrapping `exec(command)`: each caller's command decides. */
  refine(finding, bind, catalog) {
    if (!finding.command) return undefined;
    return refinedCommand(bindHoles(parseRendered(finding.command), bind), catalog);
  },
});

function check(context: DetectorContext, node: Node, words: StringValue[], isShellString: boolean, api: string): void {
  const segments = parseCommandLine(words, isShellString);
  const related = words.flatMap((word) => word.definitions).slice(0, 3).map((definition) => ({ node: definition, message: 'The command is built here.' }));
  const payload = node.type === AST_NODE_TYPES.CallExpression ? (node.arguments as Node[]) : [];
  const destinations = reachedDestinations(segments, context.catalog);
  // A script that reaches several hosts is one finding per host: each is a recipient of its own.
  for (const reached of destinations.slice(0, MAX_DESTINATIONS_PER_COMMAND)) {
    context.report({
      node,
      messageId: 'command',
      api: `${api} ${reached.segment.program}`,
      data: { command: shorten(reached.segment.text) },
      destination: reached.destination,
      vendor: reached.vendor,
      category: reached.vendor?.category ?? 'shell',
      command: reached.segment.text,
      payload,
      related,
    });
  }
  if (destinations.length > 0) return;
  // `exec(command)` in a wrapper: the callers' commands decide; the workspace binds them.
  const parametric = segments.find((segment) => /^\{param:[\w$]+\}$/.test(segment.program));
  if (parametric) {
    context.report({
      node,
      messageId: 'command',
      api,
      data: { command: parametric.text },
      destination: { kind: 'dynamic', source: parametric.program.slice(1, -1) },
      command: renderWords(words, isShellString),
      payload,
      latent: true,
    });
  }
}

const MAX_DESTINATIONS_PER_COMMAND = 10;

// A workspace's callers pass the same few commands (at scale, 949 bindings of 229 commands): each is
// split and weighed once per catalog. Bounded, for a process that scans again and again.
const refinedCommands = new WeakMap<Catalog, Map<string, Refinement | undefined>>();
const MAX_REFINED_COMMANDS = 10_000;

/** Where a caller's command reaches, as `refine` reports it; undefined when it stays on the box. */
function refinedCommand(command: StringValue, catalog: Catalog): Refinement | undefined {
  // Text and holes both: a literal `{expr:x}` renders as a hole named expr:x does.
  const holes = command.parts.flatMap((part) => (typeof part === 'string' ? [] : [part.source]));
  const key = `${renderString(command)}\u0000${holes.join('\u0000')}`;
  let byCommand = refinedCommands.get(catalog);
  if (!byCommand) refinedCommands.set(catalog, (byCommand = new Map()));
  if (byCommand.has(key)) return byCommand.get(key);
  const [reached] = reachedDestinations(parseCommandLine([command], true), catalog);
  const refined: Refinement | undefined = reached && { destination: reached.destination, vendor: reached.vendor, category: reached.vendor?.category ?? 'shell', command: reached.segment.text };
  if (byCommand.size >= MAX_REFINED_COMMANDS) byCommand.clear();
  byCommand.set(key, refined);
  return refined;
}

/** Each distinct destination the command line reaches through catalog programs, in order. */
function reachedDestinations(segments: CommandSegment[], catalog: Catalog): Array<{ segment: CommandSegment; destination: Destination; vendor?: Vendor }> {
  const reached: Array<{ segment: CommandSegment; destination: Destination; vendor?: Vendor }> = [];
  const seen = new Set<string>();
  for (const segment of segments) {
    const command = catalog.shellCommand(segment.program);
    if (!command) continue;
    if (command.subcommands && !command.subcommands.includes(segment.subcommand ?? '')) continue;
    const target = remoteTarget(segment);
    const read = target?.url ? destinationOf(target.url) : undefined;
    // A local URL or host (`http://localhost`, `backup@10.0.4.20:`) keeps the command on the box.
    if (read && !read.offBox && read.reason !== 'non-network-scheme') continue;
    if (target?.host && localReason(target.host)) continue;
    let destination: Destination;
    if (read?.offBox) destination = read.destination;
    else if (target?.host) destination = { kind: 'host', host: target.host };
    else if (target?.dynamic) destination = { kind: 'dynamic', source: target.dynamic };
    // `gs://bucket`, `s3://bucket`: the program's own service.
    else if (command.defaultHost) destination = { kind: 'host', host: command.defaultHost };
    else if (command.requiresTarget) continue;
    else destination = { kind: 'dynamic', source: segment.holes[0] ?? `command:${segment.program}` };
    const key = destination.host ?? destination.source ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    reached.push({ segment, destination, vendor: destination.host ? catalog.vendorForHost(destination.host) : undefined });
  }
  return reached;
}

function renderWords(words: StringValue[], isShellString: boolean): string {
  const rendered = words.map(renderString);
  return isShellString ? rendered.join(' ') : rendered.map((word) => (/\s/.test(word) ? `'${word}'` : word)).join(' ');
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function processApiStyle(origin: Origin | undefined, context: DetectorContext): 'shell' | 'argv' | undefined {
  if (origin?.kind !== 'module') return undefined;
  const steps = origin.steps[0]?.name === 'default' ? origin.steps.slice(1) : origin.steps;
  if (steps[steps.length - 1]?.name !== '()') return undefined;
  const path = steps.slice(0, -1).map((step) => step.name);
  // `const run = promisify(exec)`: the promisified function is the one passed in.
  if (packageName(origin.source) === 'util' && steps.length === 3 && steps[0].name === 'promisify' && steps[1].name === '()') {
    const wrapped = steps[1].call?.arguments[0];
    return wrapped ? processApiStyle(extendCall(originOf(wrapped, context.scopes)), context) : undefined;
  }
  const apis = own(PROCESS_APIS, packageName(origin.source));
  return apis && own(apis, path.join('.'));
}

function extendCall(origin: Origin | undefined): Origin | undefined {
  return origin && origin.kind !== 'function' ? { ...origin, steps: [...origin.steps, { name: '()' }] } : undefined;
}

/** The words of an argument array (`['clone', url]`), followed through a constant. */
function argumentArray(node: Node, context: DetectorContext): StringValue[] {
  const array = resolveConstant(node, context.scopes) ?? unwrap(node);
  if (array.type !== AST_NODE_TYPES.ArrayExpression) return [evaluateString(node, context.scopes)];
  return array.elements.flatMap((element: TSESTree.ArrayExpression['elements'][number]) =>
    element && element.type !== AST_NODE_TYPES.SpreadElement ? [evaluateString(element, context.scopes)] : [],
  );
}
