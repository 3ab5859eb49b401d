import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMachineApiListener } from '../lib/api/listener';
import { startDecisionRuntime } from '../lib/decisions/runtime';

// The machine API alone (the same Hono app and decision runtime server.ts mounts), in its own
// process so the load generator does not share its event loop. Prints its port when ready.
const runtime = await startDecisionRuntime();
const server = http.createServer(createMachineApiListener(runtime));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', async () => {
  server.close();
  await runtime.stop();
  process.exit(0);
});
