import { execSync } from 'node:child_process';
import pkg from '../../package.json';

/** Planted violation: a version check to the vendor's cloud, which the notice does not allow. */
export async function checkForUpdates() {
  // expect: network-call host=updates.acme-helpdesk.io verdict=on-prem/vendor-cloud
  const response = await fetch(`https://updates.acme-helpdesk.io/latest?current=${pkg.name}`);
  return response.json();
}

/** Planted violation: plugins are downloaded from the vendor's CDN with curl. */
export function installPlugin(name: string) {
  const command = `curl -fsSL https://plugins.acme-helpdesk.io/${name}.tgz -o /tmp/${name}.tgz`;
  // expect: shell-egress host=plugins.acme-helpdesk.io verdict=on-prem/vendor-cloud
  execSync(command);
}
