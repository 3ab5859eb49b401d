import { startWebhookWorker } from '../../lib/webhooks/worker';

// The webhook delivery worker as its own process, for specs that need deliveries while the
// server under test may not run a worker itself (or runs one too: claims are SKIP LOCKED, so
// two workers never deliver one event twice). DATABASE_URL comes from the spawning spec.

const worker = startWebhookWorker({ pollMs: 200, baseDelayMs: 500, maxDelayMs: 5_000 });
const stop = async () => {
  await worker.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
