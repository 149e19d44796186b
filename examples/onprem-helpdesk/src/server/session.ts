import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

export function startSession(_request: Request, response: Response) {
  // expect: cookie-write cookie=helpdesk_session verdict=on-prem/session-cookie
  response.cookie('helpdesk_session', randomUUID(), { httpOnly: true, sameSite: 'lax', secure: true });
}
