import { ProblemSchema } from './schemas';

// The error responses every server-key endpoint can give (API.md "Errors"), for the OpenAPI doc.
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

export const commonErrors = {
  400: problem('Malformed JSON, schema violation or unknown action'),
  401: problem('Server key missing, invalid, expired or revoked'),
  413: problem('Body over 64 KiB'),
  415: problem('Not application/json'),
  429: problem('Per-key rate limit; see Retry-After'),
  503: problem('Cannot evaluate: clients MUST fail closed'),
} as const;

export const notFoundError = { 404: problem('Not found (or another server’s or tenant’s)') } as const;
