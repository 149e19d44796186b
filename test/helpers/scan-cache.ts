import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectors } from '../../src/analyzers/index';
import { loadCatalog } from '../../src/core/default-catalog';
import { scanPaths } from '../../src/core/scan';
import { cacheKey, ScanCache } from '../../src/core/scan-cache';
import { tempDir } from './temp';

const ROOT = join(__dirname, '..', '..');

/** A copy of one of the examples, to edit. */
export function copyOf(example: string): string {
  const root = tempDir('offbox-cache-');
  cpSync(join(ROOT, 'examples', example), root, { recursive: true });
  return root;
}

export const scan = (root: string, cache?: ScanCache) => scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, cache });

/** Findings as every output writes them (JSON drops undefined fields, as the cache does). */
export const written = (result: ReturnType<typeof scan>) => JSON.parse(JSON.stringify(result.findings));

/** The cache in its default place below the root. */
export const cached = (root: string) => new ScanCache(join(root, '.offbox-cache', 'scan.json'), cacheKey(['test']));

/** A journal folded into the snapshot is emptied (or was never started). */
export const isEmpty = (journal: string) => !existsSync(journal) || readFileSync(journal, 'utf8') === '';
