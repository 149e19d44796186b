// Packages offbox.vsix for one platform (default: this machine's), with oxc's parser inside.
//   node scripts/package.mjs [--target linux-x64|linux-arm64|darwin-arm64|darwin-x64|win32-x64|...]
// oxc is a native module, so the .vsix is platform-specific (vsce --target): dist/node_modules gets
// oxc-parser's JavaScript and the binding for the target, where dist/engine.js's require finds them.
// Without a binding the extension still works, on TypeScript's parser (src/core/parse.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const target = args.includes('--target') ? args[args.indexOf('--target') + 1] : `${platform()}-${arch()}`;
// vsce's target names, and the napi-rs binding package each needs.
const BINDINGS = {
  'linux-x64': 'binding-linux-x64-gnu',
  'linux-arm64': 'binding-linux-arm64-gnu',
  'alpine-x64': 'binding-linux-x64-musl',
  'alpine-arm64': 'binding-linux-arm64-musl',
  'darwin-x64': 'binding-darwin-x64',
  'darwin-arm64': 'binding-darwin-arm64',
  'win32-x64': 'binding-win32-x64-msvc',
  'win32-arm64': 'binding-win32-arm64-msvc',
};
const binding = BINDINGS[target];
if (!binding) {
  console.error(`package: no oxc binding is known for target '${target}'. Use one of: ${Object.keys(BINDINGS).join(', ')}.`);
  process.exit(2);
}
const bindingDir = join(repo, 'node_modules', '@oxc-parser', binding);
if (!existsSync(bindingDir)) {
  console.error(`package: node_modules/@oxc-parser/${binding} is not installed (npm installs the binding of the machine it runs on).
Package on a ${target} machine, or install it there with: npm install --no-save @oxc-parser/${binding}@${JSON.parse(readFileSync(join(repo, 'node_modules', 'oxc-parser', 'package.json'), 'utf8')).version}`);
  process.exit(2);
}

const run = (command, commandArgs) => {
  const result = spawnSync(command, commandArgs, { cwd: repo, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs']);

const modules = join(repo, 'dist', 'node_modules');
rmSync(modules, { recursive: true, force: true });
const parser = join(repo, 'node_modules', 'oxc-parser');
mkdirSync(join(modules, 'oxc-parser'), { recursive: true });
cpSync(join(parser, 'package.json'), join(modules, 'oxc-parser', 'package.json'));
// Only the JavaScript the Node entry loads: not the WebAssembly build (2 MB) nor the type files.
cpSync(join(parser, 'src-js'), join(modules, 'oxc-parser', 'src-js'), { recursive: true, filter: (source) => !source.endsWith('.d.ts') });
cpSync(bindingDir, join(modules, '@oxc-parser', binding), { recursive: true, filter: (source) => !source.endsWith('README.md') });

run(join(repo, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce'), [
  'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', 'offbox.vsix',
]);
console.log(`package: offbox.vsix for ${target}, with oxc (@oxc-parser/${binding})`);
