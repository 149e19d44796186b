import { config } from './config';
import { recordLogin } from './monitoring';

/** The customer's own integration: the operator configures where it goes. */
export async function notifyWebhook(ticket: { id: string; subject: string; requesterEmail: string }) {
  if (!config.webhookUrl) return;
  // expect: network-call dynamic=env:WEBHOOK_URL verdict=on-prem/operator-configured
  await fetch(config.webhookUrl, { method: 'POST', body: JSON.stringify(ticket) });
}

export function onLogin(user: { id: string; email: string }) {
  // expect: wrapper-call vendor=posthog via=recordLogin verdict=on-prem/no-telemetry
  recordLogin(user.id, user.email);
}
