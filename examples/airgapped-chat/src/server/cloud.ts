import axios from 'axios';
import { isCloudEdition, settings } from './edition';

export async function syncWorkspace(workspaceId: string) {
  if (isCloudEdition()) {
    // expect: network-call host=cloud.acme-chat.io verdict=air-gapped/guarded
    await fetch('https://cloud.acme-chat.io/api/v2/sync', { method: 'POST', body: JSON.stringify({ workspaceId }) });
  }
}

export async function registerServer(siteName: string) {
  if (!settings.get('Register_Server')) return;
  // expect: network-call host=cloud.acme-chat.io verdict=air-gapped/guarded
  await fetch('https://cloud.acme-chat.io/api/v2/register', { method: 'POST', body: JSON.stringify({ siteName }) });
}

/** Planted violation: the negated guard means this runs in the self-hosted edition. */
export async function reportPresence(activeUsers: number) {
  if (!isCloudEdition()) {
    // expect: network-call host=stats.acme-chat.io verdict=air-gapped/nothing-leaves data=usage
    await fetch('https://stats.acme-chat.io/presence', { method: 'POST', body: JSON.stringify({ activeUsers }) });
  }
}

/** Planted violation: push notifications go through the vendor's gateway. */
export async function sendPush(deviceToken: string, message: string) {
  // expect: network-call host=gateway.acme-chat.io verdict=air-gapped/nothing-leaves data=device-id,message-content
  await fetch('https://gateway.acme-chat.io/push/send', { method: 'POST', body: JSON.stringify({ deviceToken, message }) });
}

/** Planted violation: the app marketplace is a cloud service; an opt-out switch excuses nothing. */
export async function listMarketplaceApps() {
  if (process.env.DISABLE_PRESENCE_SYNC) return [];
  // expect: network-call host=marketplace.acme-chat.io verdict=air-gapped/nothing-leaves
  const { data } = await axios.get('https://marketplace.acme-chat.io/v1/apps');
  return data;
}

/** The customer's own directory server: declared internal, never off-box. */
export async function lookupUser(uid: string) {
  return fetch(`https://ldap.acme-corp.net/users/${uid}`);
}

export async function checkLinks(urls: string[]) {
  // offbox-ignore-next-line network-call -- the link checker runs only in Acme's own CI, never in a shipped build
  await fetch('https://docs.acme-chat.io/sitemap.xml');
  // expect: unjustified-suppression
  // offbox-ignore-next-line network-call
  await fetch('https://status.acme-chat.io/api/v1/status');
  return urls.length;
}
