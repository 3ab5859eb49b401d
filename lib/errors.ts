// One error model for services, the console and the machine API. Services throw AppError;
// handlers map it to a status. Anything else is a bug and becomes a generic 500 that leaks nothing.

export const ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  server_key_invalid: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface InvalidParam {
  name: string;
  reason: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly invalidParams?: InvalidParam[];
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, opts: { invalidParams?: InvalidParam[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.invalidParams = opts.invalidParams;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalid = (message: string, invalidParams?: InvalidParam[]) => new AppError('invalid_request', message, { invalidParams });

/** zod issues → invalidParams with dotted names */
export function fromZodIssues(issues: { path: PropertyKey[]; message: string }[]): InvalidParam[] {
  return issues.map((i) => ({ name: i.path.map(String).join('.') || '(body)', reason: i.message }));
}

/** Prisma unique violation → 409 with a readable message */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
