import type { Response } from 'express';

export function signIn(response: Response, token: string) {
  // expect: cookie-write cookie=shipyard_session verdict=hosted/session-cookie
  response.cookie('shipyard_session', token, { httpOnly: true, secure: true, sameSite: 'lax' });
}
