import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createMachineApi } from '../lib/api/app';
import { startDecisionRuntime } from '../lib/decisions/runtime';

// The machine API alone (the same Hono app and decision runtime server.ts mounts), in its own
// process so the load generator does not share its event loop. Prints its port when ready.
const runtime = await startDecisionRuntime();
const app = createMachineApi(runtime);
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', async () => {
  server.close();
  await runtime.stop();
  process.exit(0);
});
