import { AppError, ERROR_STATUS, type ErrorCode, type InvalidParam } from '../errors';

// RFC 9457 problem+json, the machine API's only error shape (API.md "Errors").
export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId: string;
  invalidParams?: InvalidParam[];
}

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  unauthenticated: 'Not authenticated',
  server_key_invalid: 'Server key invalid',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

export function problemBody(code: ErrorCode, detail: string, requestId: string, invalidParams?: InvalidParam[]): Problem {
  return { type: 'about:blank', title: TITLES[code], status: ERROR_STATUS[code], code, detail, requestId, ...(invalidParams ? { invalidParams } : {}) };
}

/** Any thrown value → a problem. Unknown errors become a generic 500 that leaks nothing. */
export function toProblem(err: unknown, requestId: string): { problem: Problem; retryAfter?: number } {
  if (err instanceof AppError) return { problem: problemBody(err.code, err.message, requestId, err.invalidParams), retryAfter: err.retryAfterSeconds };
  return { problem: problemBody('internal', 'An internal error occurred; nothing was decided or changed.', requestId) };
}
