import { createKeyResolver, type KeyResolver } from '../identity';
import { env } from '../env';
import { pgPool, closePgPool } from '../db/pool';
import { RateLimiter } from '../api/rate-limit';
import { PolicyCache } from './policy-cache';
import { ServerKeyAuth } from './server-auth';
import { DecisionLogWriter } from './log-writer';
import { DecisionService } from './service';

// Everything the machine API needs, created once per process by server.ts.
export interface DecisionRuntime {
  cache: PolicyCache;
  keyAuth: ServerKeyAuth;
  logWriter: DecisionLogWriter;
  keyResolver: KeyResolver;
  decisions: DecisionService;
  rateLimiter: RateLimiter;
  stop: () => Promise<void>;
}

export async function startDecisionRuntime(): Promise<DecisionRuntime> {
  const e = env();
  const cache = new PolicyCache({ pollMs: e.POLICY_POLL_MS, stalenessMs: e.POLICY_STALENESS_MS });
  await cache.start();
  const keyResolver = createKeyResolver();
  const logWriter = new DecisionLogWriter({ pool: pgPool(), concurrency: Number(process.env.DECISION_LOG_CONCURRENCY) || undefined });
  return {
    cache,
    keyAuth: new ServerKeyAuth(cache),
    logWriter,
    keyResolver,
    decisions: new DecisionService(cache, logWriter, keyResolver),
    rateLimiter: new RateLimiter(e.API_RATE_LIMIT_RPS, e.API_RATE_LIMIT_BURST),
    stop: async () => {
      await logWriter.drain();
      await cache.stop();
      await closePgPool();
    },
  };
}
