import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { analyzeSource } from '../src/core/analyze';
import { expandDeferredArguments, type DeferredArgument } from '../src/core/evaluate';
import type { Finding } from '../src/core/finding';
import { scanPaths } from '../src/core/scan';
import { cached, scan, written } from './helpers/scan-cache';
import { ageTree, tempDir } from './helpers/temp';

// A caller's argument that is an imported identifier alone is read when a wrapper binds it, not when
// the caller is analysed (evaluate.ts, deferredImportArgument): the finding must be the same.
const WRAPPER = "export function send(url: string, body: string) {\n  return fetch(url, { method: 'POST', body });\n}\n";

function workspace(files: Record<string, string>): string {
  const root = tempDir('offbox-arguments-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const hostOf = (finding: Finding | undefined) => (finding?.destination.kind === 'host' ? finding.destination.host : undefined);
const wrapperCalls = (findings: Finding[]) => findings.filter((finding) => finding.ruleId === 'wrapper-call');

describe('an imported constant passed to a wrapper', () => {
  it('binds the constant the module exports', () => {
    const root = workspace({
      'config.ts': "export const ENDPOINT = 'https://telemetry.acme-corp.io/v1';\n",
      'lib.ts': WRAPPER,
      'main.ts': "import { ENDPOINT } from './config';\nimport { send } from './lib';\nsend(ENDPOINT, 'x');\n",
    });
    const [call] = wrapperCalls(scan(root).findings);
    assert.equal(hostOf(call), 'telemetry.acme-corp.io');
    assert.equal(call.file, 'main.ts');
  });

  it('binds it through a wrapper of the wrapper, and through a renamed import', () => {
    const root = workspace({
      'config.ts': "const base = 'https://telemetry.acme-corp.io';\nexport const ENDPOINT = `${base}/v1`;\n",
      'lib.ts': WRAPPER,
      'outer.ts': "import { send } from './lib';\nexport function report(target: string) {\n  return send(target, 'x');\n}\n",
      'main.ts': "import { ENDPOINT as where } from './config';\nimport { report } from './outer';\nreport(where);\n",
    });
    const calls = wrapperCalls(scan(root).findings);
    assert.equal(hostOf(calls.find((finding) => finding.file === 'main.ts')), 'telemetry.acme-corp.io');
  });

  it('binds a member of an imported object, and leaves a member it lacks as that member', () => {
    const root = workspace({
      'config.ts': "export const config = { url: 'https://telemetry.acme-corp.io/v1' };\n",
      'lib.ts': WRAPPER,
      'main.ts': "import { config } from './config';\nimport { send } from './lib';\nsend(config.url, 'x');\nsend(config.other, 'y');\n",
    });
    const findings = scan(root).findings;
    const calls = wrapperCalls(findings);
    assert.equal(hostOf(calls[0]), 'telemetry.acme-corp.io');
    assert.deepEqual(written(scan(root)), JSON.parse(JSON.stringify(scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, prefilter: false }).findings)));
  });

  it('leaves an import the scan cannot read as the import it is', () => {
    const root = workspace({
      'lib.ts': WRAPPER,
      'main.ts': "import { ENDPOINT } from 'some-config-package';\nimport { send } from './lib';\nsend(ENDPOINT, 'x');\n",
    });
    const findings = wrapperCalls(scan(root).findings);
    assert.equal(hostOf(findings[0]), undefined);
    // Parse-everything reads it the same way.
    assert.deepEqual(written(scan(root)), JSON.parse(JSON.stringify(scanPaths(['.'], loadCatalog(), detectors, { cwd: root, includeTests: true, prefilter: false }).findings)));
  });

  it('reads the constant as it is now, with the caller replayed from the cache', () => {
    const root = workspace({
      'config.ts': "export const ENDPOINT = 'https://telemetry.acme-corp.io/v1';\n",
      'lib.ts': WRAPPER,
      'main.ts': "import { ENDPOINT } from './config';\nimport { send } from './lib';\nsend(ENDPOINT, 'x');\n",
    });
    ageTree(root);
    assert.equal(hostOf(wrapperCalls(scan(root, cached(root)).findings)[0]), 'telemetry.acme-corp.io');
    writeFileSync(join(root, 'config.ts'), "export const ENDPOINT = 'https://metrics.other-vendor.io/v1';\n");
    const warm = scan(root, cached(root));
    assert.equal(hostOf(wrapperCalls(warm.findings)[0]), 'metrics.other-vendor.io');
    assert.deepEqual(written(warm), written(scan(root)));
  });
});

describe('expandDeferredArguments', () => {
  it('reads each marker once, with the file and import it was written with, in paths holding braces', () => {
    const marker = (argument: DeferredArgument) => `{deferred:${encodeURIComponent(JSON.stringify(argument))}}`;
    const seen: DeferredArgument[] = [];
    const first: DeferredArgument = { fromFile: 'app/{id}/page.ts', source: './con}fig', importName: 'URL' };
    const second: DeferredArgument = { fromFile: 'a.ts', source: 'b', member: { name: 'url', otherwise: 'expr:b.url' } };
    const expanded = expandDeferredArguments(`${marker(first)}/path?${marker(second)}`, (argument) => {
      seen.push(argument);
      return `<${argument.importName ?? argument.member?.name}>`;
    });
    assert.equal(expanded, '<URL>/path?<url>');
    assert.deepEqual(seen, [first, second]);
  });

  it('reads a marker that does not read back as an argument nothing is known of', () => {
    const read = () => assert.fail('nothing to read');
    assert.equal(expandDeferredArguments('{deferred:%7Bnot json}/x', read), '{expr:argument}/x');
    assert.equal(expandDeferredArguments(`{deferred:${encodeURIComponent('[1,2]')}}`, read), '{expr:argument}');
  });

  it('leaves text without markers as it is', () => {
    const read = () => assert.fail('nothing to read');
    assert.equal(expandDeferredArguments('https://{env:HOST}/x', read), 'https://{env:HOST}/x');
  });
});

describe('a caller analysed with an imported identifier as an argument', () => {
  it('does not read the module it is imported from', () => {
    let asked = 0;
    const analysis = analyzeSource('main.ts', "import { ENDPOINT, config } from './config';\nimport { send } from './lib';\nsend(ENDPOINT, `${ENDPOINT}/v2`, config.url, config.href);\n", detectors, loadCatalog(), {
      isInRepoModule: (source) => source.startsWith('.'),
      importResolver: () => () => {
        asked += 1;
        return undefined;
      },
    });
    const [call] = analysis.links?.importedCalls ?? [];
    assert.match(call.args[0], /^\{deferred:[^{}]*\}$/);
    // Inside a template the value is read at once, as before, and so is `href` (the object's own value).
    assert.equal(call.args[1], '{import:./config#ENDPOINT}/v2');
    assert.match(call.args[2], /^\{deferred:[^{}]*\}$/);
    assert.equal(call.args[3], '{import:./config#config}');
    assert.equal(asked, 2);
  });
});
