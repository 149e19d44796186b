import { readFileSync } from 'node:fs';
import { LICENSE_SERVER } from './config';

interface LicenseStatus {
  valid: boolean;
  seats: number;
}

/** The one call home the privacy notice allows: licence key and system id, over HTTPS. */
export async function validateLicense(): Promise<LicenseStatus> {
  const licenseKey = readFileSync('/etc/acme/license.key', 'utf8').trim();
  const systemId = readFileSync('/etc/acme/system-id', 'utf8').trim();
  // expect: network-call host=licensing.acme-helpdesk.io verdict=on-prem/licence-check data=instance-id,license
  const response = await fetch(`${LICENSE_SERVER}/v1/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ licenseKey, systemId }),
  });
  return (await response.json()) as LicenseStatus;
}

/** Planted violation: the seat report also sends the admin's e-mail address to the licence server. */
export async function reportSeats(adminEmail: string, seats: number) {
  // expect: network-call host=licensing.acme-helpdesk.io verdict=on-prem/licence-no-personal-data data=email
  await fetch(`${LICENSE_SERVER}/v1/seats`, {
    method: 'POST',
    body: JSON.stringify({ adminEmail, seats }),
  });
}
