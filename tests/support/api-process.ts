import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gracefulCloser } from '../../lib/api/graceful-close';
import { createMachineApiListener } from '../../lib/api/listener';
import { startDecisionRuntime } from '../../lib/decisions/runtime';

// The machine API alone, as its own process (spawned by the fault suites with bench/processes.ts
// startProcess): the same listener and decision runtime server.ts mounts, the same graceful
// SIGTERM path (stop accepting, finish in-flight requests, drain the decision log, exit 0).
// Running it in a child lets a test SIGKILL it, or restart its database, without touching the
// test process's own connections. Prints "PORT n" when ready, "DRAINED" after a graceful stop.

const runtime = await startDecisionRuntime();
const server = http.createServer(createMachineApiListener(runtime));
const closer = gracefulCloser(server);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('SIGTERM\n');
  closer
    .close()
    .then(() => runtime.stop())
    .then(
      () => {
        process.stdout.write('DRAINED\n');
        process.exit(0);
      },
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
});
