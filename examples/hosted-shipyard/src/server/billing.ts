import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');

export async function createCustomer(user: { id: string; email: string }) {
  // expect: sdk-call vendor=stripe verdict=hosted/disclosed data=email,user-id
  return stripe.customers.create({ email: user.email, metadata: { userId: user.id } });
}

/** The customer's own deploy webhook: wherever they point it. */
export async function notifyDeployHook(hookUrl: string, deployment: { id: string; status: string }) {
  // expect: network-call dynamic=param:hookUrl verdict=hosted/operator-configured
  await fetch(hookUrl, { method: 'POST', body: JSON.stringify(deployment) });
}
