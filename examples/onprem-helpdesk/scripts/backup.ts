/* should not produce findings */
import { spawnSync } from 'node:child_process';

/** Backs the database up to the operator's own server (a private address): stays in the network. */
export function backup() {
  spawnSync('rsync', ['-az', '/var/lib/acme/', 'backup@10.0.4.20:/srv/acme/']);
}
