import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

export function startSession(_request: Request, response: Response) {
  response.cookie('helpdesk_session', randomUUID(), { httpOnly: true, sameSite: 'lax', secure: true });
}
