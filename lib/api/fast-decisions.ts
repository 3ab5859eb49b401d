import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AppError, fromZodIssues } from '../errors';
import type { DecisionRuntime } from '../decisions/runtime';
import { authenticateServer, checkDeclaredLength, MAX_BODY_BYTES, parseJsonBody } from './middleware';
import { toProblem } from './problem';
import { DecisionRequestSchema } from './schemas';

// POST /api/v1/decisions on plain node:http. It is the one call made on every tool call, so it
// skips the fetch-API adapter (Request/Response objects per call) the rest of the machine API
// goes through. Same checks, same order, same schema and service as the Hono route, which stays
// registered for the OpenAPI document and as the fallback.

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AppError('payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function fastDecisionHandler(runtime: DecisionRuntime) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    try {
      checkDeclaredLength(req.headers['content-length']);
      const raw = parseJsonBody(req.headers['content-type'], await readBody(req));
      const server = await authenticateServer(runtime, req.headers.authorization);
      const parsed = DecisionRequestSchema.safeParse(raw);
      if (!parsed.success) {
        throw new AppError('invalid_request', 'The request does not match the schema', { invalidParams: fromZodIssues(parsed.error.issues) });
      }
      const { subject, ...check } = parsed.data;
      send(res, 200, await runtime.decisions.decideOne(server, subject, check, requestId));
    } catch (err) {
      const { problem, retryAfter } = toProblem(err, requestId);
      if (problem.code === 'internal') console.error('decision API error', err);
      if (!res.headersSent) send(res, problem.status, problem, retryAfter ? { 'retry-after': String(retryAfter) } : {});
      else res.destroy();
    }
  };
}
