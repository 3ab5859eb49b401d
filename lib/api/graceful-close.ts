import type http from 'node:http';

// Graceful stop for a node:http server under load. server.close() alone stops accepting but
// leaves keep-alive connections open: a client that keeps sending on them would hold the
// process up forever, and one killed by a deadline would lose requests mid-flight. So once
// closing: every response says `Connection: close` (the client's next request opens a new
// connection, which is refused), connections are closed as soon as they are idle, and only
// after the deadline are the remaining ones cut. A request whose bytes were still unread when
// its idle connection was closed gets no answer at all (never an unlogged one): HTTP/1.1
// clients retry or, for the decision API, fail closed.

export interface GracefulCloser {
  /** resolves when every connection has ended (or was cut at the deadline) */
  close: () => Promise<void>;
  readonly closing: boolean;
}

export function gracefulCloser(server: http.Server, opts: { deadlineMs?: number } = {}): GracefulCloser {
  let closing = false;
  let closed: Promise<void> | undefined;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
  });
  return {
    get closing() {
      return closing;
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => server.closeAllConnections(), opts.deadlineMs ?? 10_000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
