import type { FileAnalysis } from './analyze';
import type { Catalog } from './catalog';
import { destinationLabel, fingerprintOf, formatMessage, type Finding, type ViaHop } from './finding';
import type { ExportedFunction, ImportedCall } from './module-links';
import type { ModuleResolver } from './module-resolver';
import { wrapperCallMeta } from '../analyzers/wrapper-call';
import type { Detector, Refinement } from './detector';
import { expandDeferredArguments, parseRendered, renderDeferredArgument, type DeferredArgument } from './evaluate';
import { Barrels } from './barrels';
import { fileUnder } from './file-under';

/** Replaces `{param:name}` in a rendered argument by the caller's argument at that parameter's position. */
function substituteParams(rendered: string, params: string[], callerArgs: string[]): string {
  return rendered.replace(/\{param:([\w$]+)\}/g, (hole, name: string) => {
    const index = params.indexOf(name);
    return index !== -1 && callerArgs[index] !== undefined ? callerArgs[index] : hole;
  });
}

/** An exported function that sends data off the box, directly or through other wrappers. */
interface Sink {
  chain: ViaHop[];
  /** The send at the end of the chain. */
  inner: Finding;
  /** Whether `inner` is latent: it sends only with a caller's value (`exec(command)`). */
  latent: boolean;
  dataTypes: string[];
  /** The parameters of the function that holds `inner`. */
  innerParams: string[];
  /** Maps a caller's arguments (rendered) to the arguments the function holding `inner` receives. */
  argsFor: (callerArgs: string[]) => string[];
  /**
   * The link objects the sink was built from, outermost first: each exported function on the chain and
   * the call it forwards through. Everything about the sink (chain, send, parameters, what the
   * arguments become) is read from them and the analyses they belong to, so the same objects make the
   * same sink.
   */
  basis: readonly object[];
}

/**
 * What the last index made of an in-repo call: a process that scans again (--watch, the extension's
 * worker) rebuilds the index every scan while nearly every analysis is the same object as before. A
 * call of the same analysis reaching a sink built from the same analyses, at the same occurrence,
 * gives the same finding (or none), which is then not bound, classified and hashed again.
 */
interface WrapperFindingMemo {
  catalog: Catalog;
  detectors: readonly Detector[];
  caller: FileAnalysis;
  file: string;
  basis: readonly object[];
  occurrence: number;
  finding: Finding | null;
}

const wrapperFindings = new WeakMap<ImportedCall, WrapperFindingMemo>();

function sameBasis(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((link, index) => link === b[index]);
}

const MAX_ROUNDS = 8;

/**
 * The workspace half of wrapper detection. Each file's analysis lists its exported functions (with
 * the findings inside them) and its calls into other in-repo modules; this joins them: an exported
 * function with a finding inside is a sink, one that calls a sink is a sink too (up to eight hops),
 * and every call to a sink from another file is a `wrapper-call` finding carrying the chain.
 */
export class WrapperIndex {
  /** Sinks by file, then by export key: callers look them up by (file, key) many times per scan. */
  private readonly sinks = new Map<string, Map<string, Sink>>();

  private readonly detectorsById: Map<string, Detector>;

  constructor(
    private readonly analyses: ReadonlyMap<string, FileAnalysis>,
    private readonly resolver: ModuleResolver,
    private readonly detectors: readonly Detector[] = [],
    // Reads an argument left as a marker (deferredImportArgument) when a caller's arguments are bound;
    // without it, as if its import could not be read.
    private readonly readArgument: (argument: DeferredArgument) => string = (argument) => renderDeferredArgument(argument, undefined),
  ) {
    this.detectorsById = new Map(detectors.map((detector) => [detector.meta.id, detector]));
    this.barrels = new Barrels(analyses, resolver);
    this.build();
  }

  // What resolveCall answered while the sinks stay as they are (within a round of build(), and after
  // it): every call to the same (file, key) asks again.
  private readonly resolved = new Map<string, Sink | undefined>();

  // Which keys barrels pass on: most calls into a barrel reach no sink, and a walk through its
  // re-exports to find that out tried each of its `export *` (at scale, a third of the final
  // findings' time and of the index's builds).
  private readonly barrels: Barrels;

  /**
   * The export keys that reach a sink, by file, barrels included (`export { capture } from
   * './analytics'` gives the barrel `capture`, `export * as ns from` gives `ns.capture`): exactly the
   * keys `resolveExport` answers for. An unparsed file importing one of them must be analysed.
   */
  sinkKeys(): Map<string, Set<string>> {
    const keys = this.clientExports();
    for (const [file, sinks] of this.sinks) {
      const own = [...sinks.keys()].filter((key) => !key.startsWith('#'));
      if (own.length === 0) continue;
      const all = keys.get(file) ?? new Set<string>();
      for (const key of own) all.add(key);
      keys.set(file, all);
    }
    return this.barrels.through(keys);
  }

  /** The exported clients alone (ModuleLinks.clientExports), barrels included: what an importer follows. */
  clientKeys(): Map<string, Set<string>> {
    return this.barrels.through(this.clientExports());
  }

  private clientExports(): Map<string, Set<string>> {
    const keys = new Map<string, Set<string>>();
    for (const [file, analysis] of this.analyses) {
      const clients = analysis.links?.clientExports;
      if (clients?.length) keys.set(file, new Set(clients));
    }
    return keys;
  }


  findings(catalog: Catalog): Finding[] {
    const findings: Finding[] = [];
    for (const [file, analysis] of this.analyses) {
      const occurrences = new Map<string, number>();
      for (const call of analysis.links?.importedCalls ?? []) {
        const target = this.resolveCall(file, call.source, call.key);
        if (!target) continue;
        const key = `${call.scope}\u0000${call.snippet}`;
        const occurrence = occurrences.get(key) ?? 0;
        const memo = wrapperFindings.get(call);
        const reusable = memo !== undefined && memo.catalog === catalog && memo.detectors === this.detectors && memo.caller === analysis && memo.file === file && memo.occurrence === occurrence && sameBasis(memo.basis, target.basis);
        const finding = reusable ? memo.finding : this.wrapperFinding(file, call, target, occurrence, catalog);
        if (!reusable) wrapperFindings.set(call, { catalog, detectors: this.detectors, caller: analysis, file, basis: target.basis, occurrence, finding });
        if (!finding) continue;
        occurrences.set(key, occurrence + 1);
        findings.push(finding);
      }
    }
    return findings;
  }

  /** The wrapper-call finding of one call to a sink, or null when with its arguments nothing leaves the box. */
  private wrapperFinding(file: string, call: ImportedCall, target: Sink, occurrence: number, catalog: Catalog): Finding | null {
    const bound = this.bind(target, call.args, catalog);
    if (bound === null) return null;
    // A same-file call repeats a send already reported in this file, unless the caller's value decides it.
    if (call.source === '' && bound === undefined) return null;
    const callerTypes = call.dataNames.flatMap((name) => catalog.dataTypes.classify(name));
    const dataTypes = [...new Set([...callerTypes, ...target.dataTypes])].sort();
    const destination = bound?.destination ?? target.inner.destination;
    const vendor = bound ? bound.vendor && { id: bound.vendor.id, name: bound.vendor.name } : target.inner.vendor;
    const chain = [...target.chain.map((hop) => hop.name), target.inner.api].join(' → ');
    return {
      ruleId: wrapperCallMeta.id,
      kind: 'wrapper',
      category: bound ? bound.category ?? target.inner.category : target.inner.category,
      vendor,
      destination,
      dataTypes,
      dataNames: call.dataNames,
      api: call.api,
      messageId: bound?.command ? 'wrapperCommand' : 'wrapper',
      message: formatMessage(wrapperCallMeta.messages[bound?.command ? 'wrapperCommand' : 'wrapper'], {
        command: bound?.command && bound.command.length > 80 ? `${bound.command.slice(0, 77)}...` : bound?.command ?? '',
        api: call.api,
        data: dataTypes.length > 0 ? dataTypes.join(', ') : 'unclassified data',
        destination: vendor ? `${vendor.name} (${destinationLabel(destination)})` : destinationLabel(destination),
        chain,
      }),
      file,
      range: call.range,
      fingerprint: fingerprintOf({ ruleId: wrapperCallMeta.id, file, scope: call.scope, snippet: call.snippet, destination: destinationLabel(destination), occurrence }),
      related: [
        { file: target.chain[0].file, range: target.chain[0].range, message: `${target.chain[0].name} is defined here.` },
        { file: target.inner.file, range: target.inner.range, message: `${target.inner.api} sends the data here.` },
      ],
      via: target.chain,
      ...(bound?.command ?? target.inner.command ? { command: bound?.command ?? target.inner.command } : {}),
      // The caller's guards and the ones inside the wrapper both decide whether the send runs.
      guards: [...call.guards, ...(target.inner.guards ?? [])],
    };
  }

  /**
   * Binds a caller's arguments to the parameters the send depends on and lets the detector re-read
   * it. Undefined: nothing to bind (the sink's own destination stands). Null: with these arguments
   * nothing leaves the box (a local command, a relative URL), or a latent send stays unknown.
   */
  private bind(target: Sink, callerArgs: string[], catalog: Catalog): Refinement | undefined | null {
    const refine = this.detectorsById.get(target.inner.ruleId)?.refine;
    const dependsOnParameter = target.latent || target.inner.destination.source?.startsWith('param:') === true;
    if (!refine || !dependsOnParameter) return target.latent ? null : undefined;
    const args = target.argsFor(callerArgs);
    const refined = refine(
      target.inner,
      (source) => {
        const index = source.startsWith('param:') ? target.innerParams.indexOf(source.slice(6)) : -1;
        return index !== -1 && args[index] !== undefined ? parseRendered(expandDeferredArguments(args[index], this.readArgument)) : undefined;
      },
      catalog,
    );
    return refined ?? null;
  }

  private build(): void {
    const files = [...this.analyses.keys()].sort();
    for (const file of files) {
      const analysis = this.analyses.get(file)!;
      for (const exported of analysis.links?.exports ?? []) {
        if (exported.findings.length === 0) continue;
        // A function that only builds a client (`authGithub()` returning `new Octokit()`) sends nothing itself.
        const inside = exported.findings
          .map((index) => ({ finding: index < analysis.findings.length ? analysis.findings[index] : analysis.latent![index - analysis.findings.length], latent: index >= analysis.findings.length }))
          .filter(({ finding }) => !finding.setupOnly);
        if (inside.length === 0) continue;
        // The most telling send names the sink: a vendor's first, then a resolved host, then a latent one.
        const chosen =
          inside.find(({ finding, latent }) => !latent && finding.vendor) ?? inside.find(({ finding, latent }) => !latent && finding.destination.kind === 'host') ?? inside.find(({ latent }) => !latent) ?? inside[0];
        this.addSink(file, exported.key, {
          chain: [{ name: exported.name, file, range: exported.range, leadsTo: chosen.finding.api }],
          inner: chosen.finding,
          latent: chosen.latent,
          dataTypes: [...new Set(inside.flatMap(({ finding }) => finding.dataTypes))],
          innerParams: exported.params,
          argsFor: (callerArgs) => callerArgs,
          basis: [exported],
        });
      }
    }
    // Each round sees only the sinks known when it began, so the chain found for a wrapper of a
    // wrapper is the shortest one, and it does not depend on the order files were analysed in.
    // The first round tries every call; the exports it leaves are kept with their calls' modules,
    // and a later round tries only a call into a module that just gained a sink, or a barrel: a call
    // that reached no sink before can reach one now only there.
    const pending: Array<{ file: string; exported: ExportedFunction; calls: Array<{ call: ImportedCall; module: string | undefined; barrel: boolean }> }> = [];
    // Which pending exports call into each module, and which call through a barrel: a later round
    // looks at those alone (in pending's order), not at every export of the codebase again.
    const pendingByModule = new Map<string, number[]>();
    const throughBarrels: number[] = [];
    let gained: Set<string> | undefined;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const found: Array<[string, string, Sink]> = [];
      const consider = (file: string, exported: ExportedFunction, call: ImportedCall, module: string | undefined): boolean => {
        const target = this.resolveAt(module, call.key);
        if (!target) return false;
        // `run(cmd)` calling `execAsync(cmd)`: the outer function's arguments flow into the inner call's.
        const forwarded = call.args;
        const outerParams = exported.params;
        found.push([
          file,
          exported.key,
          {
            ...target,
            chain: [{ name: exported.name, file, range: exported.range, leadsTo: call.api }, ...target.chain],
            argsFor: (callerArgs) => target.argsFor(forwarded.map((arg) => substituteParams(arg, outerParams, callerArgs))),
            basis: [exported, call, ...target.basis],
          },
        ]);
        return true;
      };
      if (!gained) {
        for (const file of files) {
          const links = this.analyses.get(file)!.links;
          for (const exported of links?.exports ?? []) {
            if (exported.calls.length === 0 || this.sinks.get(file)?.has(exported.key)) continue;
            const calls = exported.calls.map((index) => {
              const call = links!.importedCalls[index];
              const module = this.moduleOf(file, call.source);
              return { call, module, barrel: module !== undefined && (this.analyses.get(module)?.links?.reExports?.length ?? 0) > 0 };
            });
            if (calls.some(({ call, module }) => consider(file, exported, call, module))) continue;
            const at = pending.push({ file, exported, calls }) - 1;
            for (const { module, barrel } of calls) {
              if (module === undefined) continue;
              if (barrel) throughBarrels.push(at);
              else fileUnder(pendingByModule, module, at);
            }
          }
        }
      } else {
        const justGained = gained;
        const candidates = new Set(throughBarrels);
        for (const module of justGained) for (const at of pendingByModule.get(module) ?? []) candidates.add(at);
        for (const at of [...candidates].sort((a, b) => a - b)) {
          const { file, exported, calls } = pending[at];
          if (this.sinks.get(file)?.has(exported.key)) continue;
          calls.some(({ call, module, barrel }) => module !== undefined && (barrel || justGained.has(module)) && consider(file, exported, call, module));
        }
      }
      if (found.length === 0) break;
      for (const [file, key, sink] of found) this.addSink(file, key, sink);
      gained = new Set(found.map(([file]) => file));
      this.resolved.clear();
    }
  }

  private addSink(file: string, key: string, sink: Sink): void {
    let sinks = this.sinks.get(file);
    if (!sinks) this.sinks.set(file, (sinks = new Map()));
    sinks.set(key, sink);
    if (!key.startsWith('#')) this.barrels.passOn(file, key);
  }


  private resolveCall(fromFile: string, source: string, key: string): Sink | undefined {
    return this.resolveAt(this.moduleOf(fromFile, source), key);
  }

  /** The module a call's source names from `fromFile`: the file itself for its own export (''). */
  private moduleOf(fromFile: string, source: string): string | undefined {
    return source === '' ? fromFile : this.resolver.resolve(fromFile, source);
  }

  /** The sink a call reaches in the module it resolved to, if any. */
  private resolveAt(file: string | undefined, key: string): Sink | undefined {
    if (!file) return undefined;
    // Most calls end at the module itself: only a walk through barrels is worth remembering.
    const direct = this.sinks.get(file)?.get(key);
    if (direct || !this.analyses.get(file)?.links?.reExports?.length) return direct;
    const memo = `${file}\u0000${key}`;
    if (this.resolved.has(memo)) return this.resolved.get(memo);
    const sink = this.barrels.passesOn(file, key) ? this.resolveExport(file, key, 0) : undefined;
    this.resolved.set(memo, sink);
    return sink;
  }

  /** Follows barrels: `export { capture } from './analytics'` and `export * from './analytics'`. */
  private resolveExport(file: string, key: string, depth: number): Sink | undefined {
    const direct = this.sinks.get(file)?.get(key);
    if (direct || depth > 5) return direct;
    const reExports = this.analyses.get(file)?.links?.reExports;
    if (!reExports?.length) return undefined;
    const [head, ...rest] = key.split('.');
    for (const reExport of reExports) {
      if (reExport.key !== head && reExport.key !== '*') continue;
      const target = this.resolver.resolve(file, reExport.source);
      if (!target) continue;
      const targetKey = reExport.key === '*' ? key : reExport.importedKey === '' ? rest.join('.') : [reExport.importedKey, ...rest].join('.');
      const found = this.resolveExport(target, targetKey, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}
