import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DbConflict, DbError, DbLimitReached, DbNotFound } from '../db/DbError.js';
import { LookoutError } from '../errors/LookoutError.js';
import { dbErrorMessage } from '../usecases/dbErrorMessage.js';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'internal';

/** An answer of the API that is not a success: its status, code and one sentence, and headers such as Retry-After. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The JSON body of an error answer. */
export function errorBody(error: HttpError): { error: { code: ErrorCode; message: string } } {
  return { error: { code: error.code, message: error.message } };
}

/**
 * What a failed request answers: a refused query worded as in the chats (404, 409), bad input (400), a request the
 * schemas refused (400, one sentence naming the field); anything else is a 500 whose details stay in the log.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof DbError) {
    const message = dbErrorMessage(error);
    if (error instanceof DbNotFound) return new HttpError(404, 'not_found', message);
    if (error instanceof DbConflict || error instanceof DbLimitReached) return new HttpError(409, 'conflict', message);
  }
  if (error instanceof LookoutError && error.action === 'tell_user') return new HttpError(400, 'bad_request', error.message);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const [issue] = error.validation;
    const where = error.validationContext;
    const field = issue?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const place = where === 'querystring' ? 'query parameter' : where === 'params' ? 'path parameter' : where === 'headers' ? 'header' : 'body field';
    const detail = (issue?.message ?? 'is invalid').replace(/\.$/, '');
    return new HttpError(
      400,
      'bad_request',
      field === ''
        ? `The request ${where === 'body' ? 'body' : place} is not valid (${detail}); see /api/v1/openapi.json for its shape.`
        : `The ${place} '${field}' is not valid (${detail}); see /api/v1/openapi.json for what it takes.`,
    );
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 415) return new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON, with Content-Type: application/json.');
  if (status === 413) return new HttpError(400, 'bad_request', 'The request body is too large; send at most 64 KB.');
  if (status !== undefined && status >= 400 && status < 500) {
    return new HttpError(400, 'bad_request', 'The request could not be read; send a JSON body with Content-Type: application/json.');
  }
  return new HttpError(500, 'internal', 'Something went wrong on the server; try again, and tell the operator if it lasts.');
}
