import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inRepoImports } from '../src/core/analysis-job';
import { ModuleResolver } from '../src/core/module-resolver';

// What the wrapper rounds know of a file the prefilter let go: its in-repo imports and the names it
// takes from each, read from the text without parsing it.
describe('inRepoImports reads the in-repo imports of an unparsed file', () => {
  const resolver = new ModuleResolver(new Set(['lib/send.ts', 'lib/index.ts']));
  const cases: Array<[string, string, ReturnType<typeof inRepoImports>]> = [
    ['named, renamed and type-only names', "import { send, track as t, type Options } from './lib/send';", [{ source: './lib/send', names: ['send', 'track', 'Options'] }]],
    ['a default and a namespace import reach anything', "import lib from './lib';\nimport * as all from '../lib';", [{ source: './lib', names: ['*'] }, { source: '../lib', names: ['*'] }]],
    ['a re-export passes its names on', "export { send } from './send';\nexport * from './lib';", [{ source: './send', names: ['send'], reExport: true }, { source: './lib', names: ['*'], reExport: true }]],
    ['require and import()', "const lib = require('./lib');\nconst later = await import(/* chunk */ './lib/send');", [{ source: './lib', names: ['*'] }, { source: './lib/send', names: ['*'] }]],
    ['comments and string names in the clause', "import { send /* the one */, 'track' as t } from './lib';", [{ source: './lib', names: ['send', 'track'] }]],
    ['packages are not in the repository', "import axios from 'axios';\nimport { send } from './lib';", [{ source: './lib', names: ['send'] }]],
    // Without semicolons, an `export const` line must not run on into the next import and take it for a re-export.
    ['an export declaration without a semicolon, then an import', "export const base = root\nimport { send } from './lib'\n", [{ source: './lib', names: ['send'] }]],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(inRepoImports(text, resolver), expected));
});
