import http from 'node:http';

// The decision load generator of the load and fault suites. Unlike autocannon it keeps every
// answer (status, allow, decisionId), so a run can be checked row by row against the decision
// log: every 200 must have its row, and nothing answered during an outage may be an allow.
// Two drivers: a fixed rate (open loop: the rate does not drop when the server slows down, as a
// fleet of MCP servers would not) and N workers in a closed loop (fault suites).

export interface DecisionCall {
  token: string;
  tool: string;
  /** what the seeded policy should answer, when known */
  allowed?: boolean;
}

export interface Answer {
  /** epoch ms (sub-ms precision) when the request was written and when its answer arrived */
  sentAt: number;
  doneAt: number;
  /** HTTP status; 0 when no answer came (refused, reset, timed out) */
  status: number;
  allow: boolean | null;
  decisionId: string | null;
  /** problem+json code of an error answer */
  code: string | null;
  error: string | null;
  expected: boolean | undefined;
}

const now = () => performance.timeOrigin + performance.now();

export class DecisionClient {
  private readonly agent: http.Agent;
  private readonly target: URL;
  private readonly bodies: string[];
  private next = 0;
  inFlight = 0;

  constructor(
    url: string,
    private readonly serverKey: string,
    private readonly calls: DecisionCall[],
    private readonly opts: { connections?: number; timeoutMs?: number; keepAlive?: boolean } = {},
  ) {
    this.target = new URL('/api/v1/decisions', url);
    this.agent = new http.Agent({ keepAlive: opts.keepAlive ?? true, maxSockets: opts.connections ?? 32 });
    this.bodies = calls.map((c) => JSON.stringify({ subject: { token: c.token }, tool: c.tool, action: 'read', resource: 'invoice:42' }));
  }

  /** one decision request (the next call of the set, round robin) */
  send(): Promise<Answer> {
    const i = this.next++ % this.calls.length;
    const body = this.bodies[i];
    const expected = this.calls[i].allowed;
    const sentAt = now();
    this.inFlight++;
    return new Promise<Answer>((resolve) => {
      let settled = false;
      const finish = (a: Omit<Answer, 'sentAt' | 'doneAt' | 'expected'>) => {
        if (settled) return;
        settled = true;
        this.inFlight--;
        resolve({ sentAt, doneAt: now(), expected, ...a });
      };
      const req = http.request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${this.serverKey}` },
          timeout: this.opts.timeoutMs ?? 20_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => finish({ status: 0, allow: null, decisionId: null, code: null, error: `response: ${e.message}` }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            let parsed: { allow?: unknown; decisionId?: unknown; code?: unknown } = {};
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              // a non-JSON answer is recorded by status alone
            }
            finish({
              status,
              allow: status === 200 ? parsed.allow === true : null,
              decisionId: typeof parsed.decisionId === 'string' ? parsed.decisionId : null,
              code: typeof parsed.code === 'string' ? parsed.code : null,
              error: null,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) => finish({ status: 0, allow: null, decisionId: null, code: null, error: e.code ?? e.message }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `workers` loops, each sending its next request when the previous one is answered */
export function closedLoop(client: DecisionClient, workers: number, onAnswer: (a: Answer) => void): { stop: () => Promise<void> } {
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const a = await client.send();
      onAnswer(a);
      // no answer (server gone): do not spin; a real client would back off too
      if (a.status === 0) await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

export interface FixedRateResult {
  sent: number;
  /** requests not sent because `maxInFlight` were already waiting (the server fell behind) */
  skipped: number;
}

/**
 * Sends `rate` requests per second for `seconds`, spread evenly (a 5 ms tick catches up after a
 * slow timer), then waits for every outstanding answer. Answers go to `onAnswer` as they come.
 */
export async function fixedRate(
  client: DecisionClient,
  rate: number,
  seconds: number,
  onAnswer: (a: Answer) => void,
  opts: { maxInFlight?: number; onSkip?: () => void } = {},
): Promise<FixedRateResult> {
  const maxInFlight = opts.maxInFlight ?? 2000;
  const total = Math.round(rate * seconds);
  const outstanding = new Set<Promise<void>>();
  let sent = 0;
  let skipped = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (sent + skipped < due) {
        if (client.inFlight >= maxInFlight) {
          skipped++;
          opts.onSkip?.();
          continue;
        }
        sent++;
        const p: Promise<void> = client.send().then((a) => {
          outstanding.delete(p);
          onAnswer(a);
        });
        outstanding.add(p);
      }
      if (sent + skipped >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 5);
  });
  await Promise.all([...outstanding]);
  return { sent, skipped };
}
