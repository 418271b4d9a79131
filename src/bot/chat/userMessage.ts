import { AlertRouteNotFoundError } from '../../db/alertRouteQueries.js';
import type { LookoutError } from '../../errors/LookoutError.js';

/** The sentence a person is told for an error meant for them, with the chat's way to go on where the core leaves it out. */
export function userMessage(error: LookoutError): string {
  if (error instanceof AlertRouteNotFoundError) return `${error.message} See them with /alerts routes.`;
  return error.message;
}
