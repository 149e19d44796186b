import { writeFileSync } from 'node:fs';
import { loadCatalog } from '../core/default-catalog';
import { formatDisclosure } from '../core/format/disclosure';
import { applyPolicy } from '../core/policy-run';
import { findConfig, runScan, UsageError, type ParsedOptions } from './options';

/** `offbox disclose`: the third parties the code uses, as a Markdown table for a policy appendix. */
export async function discloseCommand(values: ParsedOptions, paths: string[], cwd: string, stdout: (text: string) => void, stderr: (text: string) => void): Promise<number> {
  const { config, configFile } = findConfig(values, paths, cwd);
  const result = await runScan(values, paths, cwd, config, { stderr });
  const { findings, documentError } = applyPolicy(result, { config, configFile, catalog: loadCatalog(), cwd });
  if (documentError) stderr(`offbox: ${documentError}\n`);
  const markdown = formatDisclosure(findings, config, loadCatalog());
  if (!values.output) {
    stdout(markdown);
    return 0;
  }
  try {
    writeFileSync(values.output, markdown);
  } catch (error) {
    throw new UsageError(`cannot write ${values.output}: ${(error as Error).message}`);
  }
  stderr(`offbox: disclosure written to ${values.output}\n`);
  return 0;
}
