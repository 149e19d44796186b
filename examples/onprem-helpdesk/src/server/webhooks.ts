import { config } from './config';
import { recordLogin } from './monitoring';

/** The customer's own integration: the operator configures where it goes. */
export async function notifyWebhook(ticket: { id: string; subject: string; requesterEmail: string }) {
  if (!config.webhookUrl) return;
  await fetch(config.webhookUrl, { method: 'POST', body: JSON.stringify(ticket) });
}

export function onLogin(user: { id: string; email: string }) {
  recordLogin(user.id, user.email);
}
