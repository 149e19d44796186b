import type { FileAnalysis } from './analyze';
import type { ReExport } from './module-links';
import type { ModuleResolver } from './module-resolver';
import { fileUnder } from './file-under';

/** A file's re-export with the module it resolves to. */
interface ResolvedReExport {
  file: string;
  reExport: ReExport;
  target: string;
}

/**
 * The re-exports among a wrapper index's analyses (`export { capture } from './analytics'`, `export *
 * from`, `export * as ns from`), resolved once, and the keys under which barrels pass on what a
 * module exports. WrapperIndex.resolveExport walks a barrel's re-exports to a sink; this says which
 * keys such a walk can end at a sink for, and which keys importers reach through barrels.
 */
export class Barrels {
  // The keys under which a barrel passes a sink on, each with the fewest re-exports it takes (what
  // resolveExport follows, six at most), kept up as sinks are added (passOn).
  private readonly passedOn = new Map<string, Map<string, number>>();

  // Every re-export with the module it resolves to, in the analyses' order: `through` goes
  // through them up to six times a call, and is called once per round of the scan.
  private reExports: ResolvedReExport[] | undefined;

  // The re-exports of each module, by the module they re-export from: passOn walks them backwards.
  private reExportersOf: Map<string, ResolvedReExport[]> | undefined;

  constructor(
    private readonly analyses: ReadonlyMap<string, FileAnalysis>,
    private readonly resolver: ModuleResolver,
  ) {}

  /** Adds the keys barrels pass on, as deep as resolveExport follows them (so cycles of namespace re-exports end). */
  through(keys: Map<string, Set<string>>): Map<string, Set<string>> {
    const reExports = (this.reExports ??= this.resolvedReExports());
    for (let depth = 0, changed = true; changed && depth <= 5; depth += 1) {
      changed = false;
      for (const { file, reExport, target } of reExports) {
        for (const key of keys.get(target) ?? []) {
          const mapped = reExportedKey(reExport, key);
          if (mapped === undefined) continue;
          const own = keys.get(file) ?? new Set<string>();
          if (!own.has(mapped)) changed = true;
          keys.set(file, own.add(mapped));
        }
      }
    }
    return keys;
  }

  /** Records the barrels that pass a new sink's key on, up to the six re-exports resolveExport follows. */
  passOn(file: string, key: string): void {
    const importers = (this.reExportersOf ??= this.reExportsByTarget());
    let frontier = [{ file, key }];
    for (let hops = 1; hops <= 6 && frontier.length > 0; hops += 1) {
      const next: typeof frontier = [];
      for (const passed of frontier) {
        for (const { file: barrel, reExport } of importers.get(passed.file) ?? []) {
          const mapped = reExportedKey(reExport, passed.key);
          if (mapped === undefined) continue;
          let keys = this.passedOn.get(barrel);
          if (!keys) this.passedOn.set(barrel, (keys = new Map()));
          // Reached before in as few re-exports: what lies beyond it is recorded already.
          if ((keys.get(mapped) ?? Infinity) <= hops) continue;
          keys.set(mapped, hops);
          next.push({ file: barrel, key: mapped });
        }
      }
      frontier = next;
    }
  }

  /** Whether the barrel passes a sink recorded by passOn on under this key: only then can a walk through its re-exports find one. */
  passesOn(file: string, key: string): boolean {
    return this.passedOn.get(file)?.has(key) ?? false;
  }

  private resolvedReExports(): ResolvedReExport[] {
    const resolved: ResolvedReExport[] = [];
    for (const [file, analysis] of this.analyses) {
      for (const reExport of analysis.links?.reExports ?? []) {
        const target = this.resolver.resolve(file, reExport.source);
        if (target !== undefined) resolved.push({ file, reExport, target });
      }
    }
    return resolved;
  }

  private reExportsByTarget(): Map<string, ResolvedReExport[]> {
    const byTarget = new Map<string, ResolvedReExport[]>();
    for (const resolved of (this.reExports ??= this.resolvedReExports())) fileUnder(byTarget, resolved.target, resolved);
    return byTarget;
  }
}

/** The key a barrel gives a target module's key through one re-export, if it re-exports it (the inverse of resolveExport's step). */
function reExportedKey(reExport: ReExport, key: string): string | undefined {
  if (reExport.key === '*') return key;
  if (reExport.importedKey === '') return `${reExport.key}.${key}`;
  if (key === reExport.importedKey) return reExport.key;
  return key.startsWith(`${reExport.importedKey}.`) ? `${reExport.key}${key.slice(reExport.importedKey.length)}` : undefined;
}
