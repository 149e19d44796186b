// Helpers for the peer scripts, which run as child processes of bench/run.mjs.
import { readFileSync } from 'node:fs';

/** Reads the shared file list (one absolute path a line) written by run.mjs. */
export function readFileList(listFile) {
  if (!listFile) {
    console.error(`usage: node ${process.argv[1]} <file-list> [corpus-dir]`);
    process.exit(2);
  }
  return readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
}

/** Prints the child's result as the LAST stdout line, which run.mjs parses. */
export function report(result) {
  process.stdout.write('\n' + JSON.stringify(result) + '\n');
}
