import path from 'node:path';
import { startServer } from '../server';

// The real production server (server.ts: machine API + Next console, background jobs) for the
// load run, in its own process, on a database the runner prepared (migrated and seeded) and a
// console build that already exists (NEXT_DIST_DIR): building is the runner's job, so a run in
// the middle of the e2e suite never rebuilds the folder the e2e server serves from.
// Prints "PORT n" when ready and "MEM rss heapUsed heapTotal external" (bytes) every second, so
// the runner can chart memory from the outside. SIGTERM: graceful stop, exit 0.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
(process.env as Record<string, string>).NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const server = await startServer({ port: Number(process.env.PORT), host: '127.0.0.1', dir: root });
process.stdout.write(`PORT ${server.port}\n`);

const report = () => {
  const m = process.memoryUsage();
  process.stdout.write(`MEM ${m.rss} ${m.heapUsed} ${m.heapTotal} ${m.external}\n`);
};
report();
const timer = setInterval(report, 1000);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  server.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
