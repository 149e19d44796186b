// How bench/run.mjs times a row: a fresh child process, wall clock from spawn to exit, with its
// peak RSS; the short rows the median of several runs, the rows a ratio divides timed in turns.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The short rows (a few seconds or less) are timed RUNS times and the median run is kept, as transient
 * load on a shared machine moves a two-second run by ±10%. ESLint's runs are longer, and fewer.
 */
export const RUNS = 5;
// ESLint takes 15-45 s a run: three, and the median kept.
export const ESLINT_RUNS = 3;

/** The timing functions for one bench run: `repo` is the Offbox checkout, `tmp` a folder for the timing files. */
export function measurer(repo, tmp) {
  const hasGnuTime = spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0;

  /** Runs one row; resolves to { wall, rssMB, code, json, stderr }. `env`: changes to this process's environment (undefined removes a variable). */
  function measure(label, argv, env = {}) {
    return new Promise((done) => {
      const timeFile = join(tmp, `${label}.time`);
      const rssFile = join(tmp, `${label}.rss`);
      // argv[0] is node: without GNU time, preload the RSS probe instead.
      const [cmd, ...rest] = hasGnuTime
        ? ['/usr/bin/time', '-v', '-o', timeFile, ...argv]
        : [argv[0], '--import', pathToFileURL(join(repo, 'bench/lib/rss-preload.mjs')).href, ...argv.slice(1)];
      const childEnv = { ...process.env, OFFBOX_BENCH_RSS_FILE: rssFile, ...env };
      for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
      process.stderr.write(`running ${label} ...\n`);
      const t0 = performance.now();
      const child = spawn(cmd, rest, { cwd: repo, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => {
        const wall = (performance.now() - t0) / 1000;
        // Peers print a JSON line last; Offbox's stdout is not ours to parse.
        let json = null;
        try { json = JSON.parse(out.trim().split('\n').pop()); } catch {}
        let rssKiB = null;
        if (existsSync(timeFile)) {
          rssKiB = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'))?.[1];
        } else if (existsSync(rssFile)) {
          rssKiB = readFileSync(rssFile, 'utf8');
        }
        const rssMB = rssKiB ? Number(rssKiB) / 1024 : null;
        done({ wall, rssMB, code, json, stderr: err });
      });
    });
  }

  async function measureMedian(label, argv, before = () => {}, count = RUNS) {
    const runs = [];
    for (let index = 0; index < count; index += 1) {
      before(index);
      runs.push(await measure(`${label}-${index}`, argv));
    }
    return medianOf(runs);
  }

  /**
   * Rows timed in turns (`{ label, argv, count, env }` each): one run of each per round, a row with
   * fewer runs in the middle rounds, so that the medians come from the same minutes. Run one after
   * the other, a ratio of two rows also measured how the shared machine's speed moved between them.
   */
  async function measureInterleaved(specs) {
    const rounds = Math.max(...specs.map((spec) => spec.count));
    // A row of no runs is returned as null.
    const runs = specs.map(() => []);
    for (let round = 0; round < rounds; round += 1) {
      for (const [at, { label, argv, count, env }] of specs.entries()) {
        const first = Math.floor((rounds - count) / 2);
        if (round >= first && round < first + count) runs[at].push({ ...(await measure(`${label}-${round - first}`, argv, env)), round });
      }
    }
    return runs.map((done) => (done.length > 0 ? { ...medianOf(done), byRound: new Map(done.map((run) => [run.round, run.wall])) } : null));
  }

  return { hasGnuTime, measure, measureMedian, measureInterleaved };
}

/**
 * The ratio of two interleaved rows round by round (`slower` over `faster`, each pair timed back to
 * back), then the median of those: beside the ratio of the two medians, which may pair runs from
 * minutes apart, it shows what the machine's drift within the run did to that ratio.
 */
export function pairedRatio(slower, faster) {
  const ratios = [...slower.byRound].filter(([round]) => faster.byRound.has(round)).map(([round, wall]) => wall / faster.byRound.get(round));
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  return { median: ratios[Math.floor(ratios.length / 2)], all: ratios };
}

export function medianOf(runs) {
  const sorted = [...runs].sort((a, b) => a.wall - b.wall);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { ...median, walls: runs.map((run) => run.wall), rssMB: Math.max(...runs.map((run) => run.rssMB ?? 0)) || null, code: runs.find((run) => run.code !== 0)?.code ?? median.code };
}

export const runsNote = (r) => `median of ${r.walls.length}: ${r.walls.map((wall) => wall.toFixed(2)).join(', ')} s`;
