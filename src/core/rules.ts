import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { detectors } from '../analyzers/index';
import { wrapperCallMeta } from '../analyzers/wrapper-call';
import type { DetectorMeta } from './detector';
import { policyRuleMetas } from './policy-rules';
import type { Finding } from './finding';

/** Every rule a finding can carry: the detectors', the workspace wrapper rule and the policy rules. */
export const ruleMetas: readonly DetectorMeta[] = [...detectors.map((detector) => detector.meta), wrapperCallMeta, ...policyRuleMetas].sort((a, b) => (a.id < b.id ? -1 : 1));

export type Level = 'error' | 'warning' | 'note' | 'none';
export const LEVEL_ORDER: Record<Level, number> = { none: 0, note: 1, warning: 2, error: 3 };

/**
 * The level of a finding when no privacy mode is declared: an inventory. Tracking and vendor sends
 * are warnings; session cookies and sends to destinations configured at run time are notes.
 * A declared mode replaces this with a verdict.
 */
export function inventoryLevel(finding: Finding): Level {
  if (finding.kind === 'cookie') return finding.cookie?.purpose === 'tracking' ? 'warning' : 'note';
  if (finding.destination.kind === 'dynamic' && !finding.vendor) return 'note';
  return 'warning';
}

let docsDirectory: string | undefined;

/** The folder holding rules/docs, found from this module (bundled in dist/ or run from src/). */
export function ruleDocsDirectory(): string {
  if (docsDirectory) return docsDirectory;
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'rules', 'docs');
    if (existsSync(candidate)) return (docsDirectory = candidate);
    if (dirname(directory) === directory) return (docsDirectory = join(__dirname, '..', 'rules', 'docs'));
  }
}

/** A rule's documentation (Markdown), shipped in rules/docs/<id>.md. */
export function ruleDoc(id: string): string {
  try {
    return readFileSync(join(ruleDocsDirectory(), `${id}.md`), 'utf8');
  } catch {
    return `# ${id}\n\n(documentation missing from this installation)`;
  }
}
