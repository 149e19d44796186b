import { useEffect } from 'react';

/** Planted violations: a marketing pixel and a Google Analytics cookie in the admin UI. */
export function AdminPage({ accountId }: { accountId: string }) {
  useEffect(() => {
    // expect: cookie-write cookie=_ga verdict=on-prem/no-tracking
    // expect: policy-undisclosed-vendor
    document.cookie = `_ga=GA1.1.${accountId}; path=/; max-age=63072000`;
  }, [accountId]);
  return (
    <main>
      <h1>Administration</h1>
      {/* expect: remote-resource vendor=linkedin-insight-tag verdict=on-prem/no-telemetry */}
      {/* expect: policy-undisclosed-vendor */}
      <img src={`https://px.ads.linkedin.com/collect?pid=48213&account=${accountId}`} width={1} height={1} alt="" />
      <img src="/static/logo.svg" alt="Acme Helpdesk" />
    </main>
  );
}
