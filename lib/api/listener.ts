import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { DecisionRuntime } from '../decisions/runtime';
import { createMachineApi } from './app';
import { fastDecisionHandler } from './fast-decisions';

/** The machine API as a node:http listener: the hot decision call on the fast path, the rest on Hono. */
export function createMachineApiListener(runtime: DecisionRuntime) {
  const hono = getRequestListener(createMachineApi(runtime).fetch);
  const fast = fastDecisionHandler(runtime);
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST' && req.url === '/api/v1/decisions') void fast(req, res);
    else void hono(req, res);
  };
}
