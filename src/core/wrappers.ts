import type { FileAnalysis } from './analyze';
import type { Catalog } from './catalog';
import { destinationLabel, fingerprintOf, formatMessage, type Finding, type ViaHop } from './finding';
import type { ModuleResolver } from './module-resolver';
import { wrapperCallMeta } from '../analyzers/wrapper-call';

/** An exported function that sends data off the box, directly or through other wrappers. */
interface Sink {
  chain: ViaHop[];
  /** The send at the end of the chain. */
  inner: Finding;
  dataTypes: string[];
}

const MAX_ROUNDS = 8;

/**
 * The workspace half of wrapper detection. Each file's analysis lists its exported functions (with
 * the findings inside them) and its calls into other in-repo modules; this joins them: an exported
 * function with a finding inside is a sink, one that calls a sink is a sink too (up to eight hops),
 * and every call to a sink from another file is a `wrapper-call` finding carrying the chain.
 */
export class WrapperIndex {
  private readonly sinks = new Map<string, Sink>();

  constructor(private readonly analyses: ReadonlyMap<string, FileAnalysis>, private readonly resolver: ModuleResolver) {
    this.build();
  }

  /**
   * Files that export at least one sink, and barrels that re-export from them: an unparsed file
   * importing one of these must be analysed.
   */
  sinkFiles(): Set<string> {
    const files = new Set([...this.sinks.keys()].map((key) => key.slice(0, key.indexOf('#'))));
    for (let changed = true; changed; ) {
      changed = false;
      for (const [file, analysis] of this.analyses) {
        if (files.has(file)) continue;
        if ((analysis.links?.reExports ?? []).some((reExport) => files.has(this.resolver.resolve(file, reExport.source) ?? ''))) {
          files.add(file);
          changed = true;
        }
      }
    }
    return files;
  }

  findings(catalog: Catalog): Finding[] {
    const findings: Finding[] = [];
    for (const [file, analysis] of this.analyses) {
      const occurrences = new Map<string, number>();
      for (const call of analysis.links?.importedCalls ?? []) {
        const target = this.resolveCall(file, call.source, call.key);
        if (!target) continue;
        const callerTypes = call.dataNames.flatMap((name) => catalog.dataTypes.classify(name));
        const dataTypes = [...new Set([...callerTypes, ...target.dataTypes])].sort();
        const destination = target.inner.destination;
        const chain = [...target.chain.map((hop) => hop.name), target.inner.api].join(' → ');
        const key = `${call.scope}\u0000${call.snippet}`;
        const occurrence = occurrences.get(key) ?? 0;
        occurrences.set(key, occurrence + 1);
        findings.push({
          ruleId: wrapperCallMeta.id,
          kind: 'wrapper',
          category: target.inner.category,
          vendor: target.inner.vendor,
          destination,
          dataTypes,
          dataNames: call.dataNames,
          api: call.api,
          messageId: 'wrapper',
          message: formatMessage(wrapperCallMeta.messages.wrapper, {
            api: call.api,
            data: dataTypes.length > 0 ? dataTypes.join(', ') : 'unclassified data',
            destination: target.inner.vendor ? `${target.inner.vendor.name} (${destinationLabel(destination)})` : destinationLabel(destination),
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
          // The caller's guards and the ones inside the wrapper both decide whether the send runs.
          guards: [...call.guards, ...(target.inner.guards ?? [])],
        });
      }
    }
    return findings;
  }

  private build(): void {
    for (const [file, analysis] of this.analyses) {
      for (const exported of analysis.links?.exports ?? []) {
        if (exported.findings.length === 0) continue;
        const inside = exported.findings.map((index) => analysis.findings[index]);
        // The most telling send names the sink: a vendor's first, then a resolved host.
        const inner = inside.find((finding) => finding.vendor) ?? inside.find((finding) => finding.destination.kind === 'host') ?? inside[0];
        this.sinks.set(`${file}#${exported.key}`, {
          chain: [{ name: exported.name, file, range: exported.range, leadsTo: inner.api }],
          inner,
          dataTypes: [...new Set(inside.flatMap((finding) => finding.dataTypes))],
        });
      }
    }
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      let changed = false;
      for (const [file, analysis] of this.analyses) {
        const links = analysis.links;
        if (!links) continue;
        for (const exported of links.exports) {
          const key = `${file}#${exported.key}`;
          if (this.sinks.has(key)) continue;
          for (const index of exported.calls) {
            const call = links.importedCalls[index];
            const target = this.resolveCall(file, call.source, call.key);
            if (!target) continue;
            this.sinks.set(key, { ...target, chain: [{ name: exported.name, file, range: exported.range, leadsTo: call.api }, ...target.chain] });
            changed = true;
            break;
          }
        }
      }
      if (!changed) break;
    }
  }

  private resolveCall(fromFile: string, source: string, key: string): Sink | undefined {
    const file = this.resolver.resolve(fromFile, source);
    return file ? this.resolveExport(file, key, 0) : undefined;
  }

  /** Follows barrels: `export { capture } from './analytics'` and `export * from './analytics'`. */
  private resolveExport(file: string, key: string, depth: number): Sink | undefined {
    const direct = this.sinks.get(`${file}#${key}`);
    if (direct || depth > 5) return direct;
    const [head, ...rest] = key.split('.');
    for (const reExport of this.analyses.get(file)?.links?.reExports ?? []) {
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
