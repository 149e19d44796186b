const HUBSPOT_FORMS = 'https://api.hsforms.com/submissions/v3/integration/submit';

interface DemoRequest {
  email: string;
  firstName: string;
  phone: string;
  marketingConsent: boolean;
}

export async function submitDemoRequest(request: DemoRequest) {
  if (!request.marketingConsent) return;
  // expect: network-call vendor=hubspot verdict=hosted/disclosed data=email,name
  await fetch(`${HUBSPOT_FORMS}/4711/demo`, {
    method: 'POST',
    body: JSON.stringify({ fields: { email: request.email, firstname: request.firstName } }),
  });
}

/** Planted violation: the phone number goes to HubSpot, which was disclosed for name and e-mail only. */
export async function submitCallback(request: DemoRequest) {
  if (!request.marketingConsent) return;
  // expect: network-call vendor=hubspot verdict=hosted/undeclared-data data=phone
  await fetch(`${HUBSPOT_FORMS}/4711/callback`, { method: 'POST', body: JSON.stringify({ phone: request.phone }) });
}
