#!/usr/bin/env node
// Checks that every npm package named in rules/vendors.json, and every generic
// (non-vendor) network / cookie / process package below, exists on the npm
// registry, and records the result in rules/registry-check.json.
//
//   node scripts/check-registry.mjs            query the registry, rewrite rules/registry-check.json
//   node scripts/check-registry.mjs --offline  only check that rules/registry-check.json covers every
//                                              package with exists:true (exit 1 otherwise)
//
// No dependencies: uses the `npm` client on PATH (`npm view <package> name version --json`).

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Cookie, process and framework packages the detectors know by name: not vendors, listed so
// their names are checked too. HTTP clients come from rules/http-clients.json (source "npm").
export const GENERIC = [
  'axios', 'got', 'ky', 'superagent', 'node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch',
  'isomorphic-unfetch', 'unfetch', 'make-fetch-happen', 'needle', 'ofetch', 'redaxios', 'wretch',
  'request', 'request-promise', 'ws', 'isomorphic-ws', 'eventsource', 'nodemailer', 'web-push',
  'js-cookie', 'cookie', 'nookies', 'universal-cookie', 'react-cookie', 'cookies-next',
  'execa', 'zx', 'shelljs', 'express', 'next',
];

// Names that appeared in source material but do not resolve on the registry (data errors), with the
// real package. They are re-checked on every run and listed under "missing" while they still do not
// exist; they must never be added to vendors.json (an unclaimed name can be registered by anyone).
export const REJECTED = {
  discordjs: 'discord.js',
  '@microsoft-teams-js': '@microsoft/teams-js',
  'Shopify-api-node': 'shopify-api-node',
  '@recurly/recurly-js': 'recurly (server SDK); Recurly.js is loaded from js.recurly.com',
};

const COMMAND = 'npm view <package> name version --json';
const CONCURRENCY = 8;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendorsPath = join(root, 'rules', 'vendors.json');
const outPath = join(root, 'rules', 'registry-check.json');

function allPackages() {
  const { vendors } = JSON.parse(readFileSync(vendorsPath, 'utf8'));
  const { clients } = JSON.parse(readFileSync(join(root, 'rules', 'http-clients.json'), 'utf8'));
  const names = new Set(GENERIC);
  for (const client of clients) if ((client.source ?? 'npm') === 'npm') for (const p of client.packages ?? []) names.add(p);
  for (const v of vendors) for (const p of v.packages) names.add(p);
  return [...names].sort();
}

function npmView(pkg) {
  return new Promise((resolve) => {
    execFile(
      'npm', ['view', pkg, 'name', 'version', '--json'],
      {
        env: { ...process.env, npm_config_loglevel: 'error' },
        shell: process.platform === 'win32',
        maxBuffer: 4 * 1024 * 1024,
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const text = `${stdout}\n${stderr}`;
        if (!err) {
          try {
            const info = JSON.parse(stdout);
            if (info && typeof info.version === 'string') return resolve({ exists: true, version: info.version });
          } catch { /* fall through */ }
          return resolve({ error: `unexpected output: ${stdout.trim().slice(0, 200)}` });
        }
        if (/E404|404 Not Found|EINVALIDTAGNAME|EINVALIDPACKAGENAME/.test(text)) return resolve({ exists: false });
        resolve({ error: (stderr || err.message).trim().split('\n')[0] });
      },
    );
  });
}

async function online() {
  const names = allPackages();
  const results = new Map();
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < names.length) {
      const name = names[next++];
      results.set(name, await npmView(name));
      if (++done % 50 === 0) process.stderr.write(`  ${done}/${names.length}\n`);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const rejected = Object.keys(REJECTED).filter((n) => !results.has(n));
  for (const n of rejected) results.set(n, await npmView(n));

  const errors = [...results.keys()].filter((n) => results.get(n).error);
  if (errors.length) {
    for (const n of errors) console.error(`error: ${n}: ${results.get(n).error}`);
    console.error(`${errors.length} package(s) could not be checked; ${outPath} left unchanged.`);
    process.exit(2);
  }
  const packages = {};
  const missing = [];
  for (const n of names) {
    const r = results.get(n);
    if (r.exists) packages[n] = { exists: true, version: r.version };
    else missing.push(n);
  }
  const rejectedMissing = [];
  for (const n of rejected) {
    if (results.get(n).exists) console.warn(`warning: rejected name ${n} now exists on npm (use ${REJECTED[n]})`);
    else rejectedMissing.push(n);
  }
  const report = {
    checkedAt: new Date().toISOString().slice(0, 10),
    command: COMMAND,
    generic: GENERIC,
    packages,
    missing: [...missing, ...rejectedMissing].sort(),
  };
  writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');
  console.log(`checked ${names.length} packages: ${names.length - missing.length} exist, ${missing.length} missing` +
    ` (+ ${rejectedMissing.length} rejected names still missing)`);
  for (const n of missing) console.log(`missing: ${n}`);
  process.exit(missing.length ? 1 : 0);
}

function offline() {
  const names = allPackages();
  let report;
  try {
    report = JSON.parse(readFileSync(outPath, 'utf8'));
  } catch (e) {
    console.error(`cannot read ${outPath}: ${e.message}`);
    process.exit(1);
  }
  const bad = names.filter((n) => report.packages?.[n]?.exists !== true);
  for (const n of bad) console.log(`not verified: ${n}`);
  console.log(`${names.length - bad.length}/${names.length} packages verified in ${report.checkedAt ?? '?'} check`);
  process.exit(bad.length ? 1 : 0);
}

if (process.argv.includes('--offline')) offline();
else await online();
