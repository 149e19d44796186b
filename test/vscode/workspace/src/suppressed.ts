export async function ping(): Promise<void> {
  // offbox-ignore-next-line network-call
  await fetch('https://status.acme-tools.io/ping');
}
