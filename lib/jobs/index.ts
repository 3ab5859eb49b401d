import { expirePendingRequests } from '../requests/expiry';
import { closeDueReviewCampaigns } from '../reviews/close';
import { startWebhookWorker } from '../webhooks/worker';
import { pruneDecisionLog } from '../decision-log/retention';
import { partitionJob, startJobs, type Job } from './scheduler';

/** every background job the server runs; started by server.ts, stopped on shutdown */
export function startBackgroundJobs(): () => Promise<void> {
  const jobs: Job[] = [
    partitionJob,
    { name: 'expire-access-requests', intervalMs: 30_000, run: () => expirePendingRequests() },
    // also at start-up: deadlines missed while no instance ran are enforced now
    { name: 'close-review-campaigns', intervalMs: 60_000, run: () => closeDueReviewCampaigns() },
    // per-tenant decision-log retention (default 90 days); the audit trail is never pruned
    { name: 'decision-log-retention', intervalMs: 3_600_000, run: () => pruneDecisionLog() },
  ];
  const stopJobs = startJobs(jobs);
  const webhooks = startWebhookWorker();
  return async () => {
    stopJobs();
    await webhooks.stop();
  };
}
