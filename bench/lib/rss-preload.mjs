// Fallback peak-RSS probe when /usr/bin/time is absent: run.mjs starts node children
// with `--import` of this file, and it writes the process's own maxRSS (KiB, includes
// worker threads, not grandchildren) to $OFFBOX_BENCH_RSS_FILE on exit.
import { writeFileSync } from 'node:fs';

const out = process.env.OFFBOX_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
