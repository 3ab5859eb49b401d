// A real HTTP JWKS endpoint on 127.0.0.1 (random port) that counts requests, so the resolver's
// caching and refresh limits are tested against the network path they will really use.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JwksServer {
  url: string;
  /** requests received, by path */
  hits: (path?: string) => number;
  /** what the next requests are answered with */
  respond: (handler: (req: IncomingMessage, res: ServerResponse) => void) => void;
  serve: (body: unknown) => void;
  close: () => Promise<void>;
}

export async function startJwksServer(initial: unknown): Promise<JwksServer> {
  const counts = new Map<string, number>();
  let handler = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(initial));
  };
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: (path) => (path === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(path) ?? 0)),
    respond: (next) => {
      handler = next;
    },
    serve: (body) => {
      handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
