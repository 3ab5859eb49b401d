import { partitionJob, startJobs, type Job } from './scheduler';

/** every background job the server runs; started by server.ts */
export function startBackgroundJobs(): () => void {
  const jobs: Job[] = [partitionJob];
  return startJobs(jobs);
}
