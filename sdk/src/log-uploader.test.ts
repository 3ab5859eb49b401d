import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client';
import { DecisionLogUploader } from './log-uploader';
import { fakeApi, json, type RecordedRequest } from './testing/fake-api';
import { newDecisionId } from './ulid';
import type { DecisionLogEntry } from './types';

const entry = (over: Partial<DecisionLogEntry> = {}): DecisionLogEntry => ({
  decisionId: newDecisionId(),
  time: new Date().toISOString(),
  tool: 'get_invoice',
  allow: true,
  reason: 'granted',
  ...over,
});

function uploader(route: (req: RecordedRequest) => Response | Promise<Response>, opts: Partial<ConstructorParameters<typeof DecisionLogUploader>[0]> = {}) {
  const api = fakeApi({ 'POST /api/v1/decision-logs': route });
  const client = new ApiClient('http://tw.test', 'twk_a_b', api.fetch, 'test');
  const errors: Error[] = [];
  const up = new DecisionLogUploader({ client, flushIntervalMs: 0, backoff: { initialMs: 1, maxMs: 5 }, onError: (e) => errors.push(e), ...opts });
  return { up, api, errors };
}

const stored = (reqs: RecordedRequest[]) => reqs.flatMap((r) => (r.body as { entries: DecisionLogEntry[] }).entries.map((e) => e.decisionId));

describe('DecisionLogUploader', () => {
  it('uploads in batches of at most batchSize, with the server key', async () => {
    const { up, api } = uploader(() => json({ received: 1, stored: 1, duplicates: 0 }, 202), { batchSize: 3 });
    const entries = Array.from({ length: 7 }, () => entry());
    for (const e of entries) expect(up.add(e)).toBe(true);
    expect(await up.flush(2000)).toBe(true);
    const calls = api.calls('POST', '/api/v1/decision-logs');
    expect(calls.every((c) => (c.body as { entries: unknown[] }).entries.length <= 3)).toBe(true);
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer twk_a_b');
    expect(stored(calls)).toEqual(entries.map((e) => e.decisionId));
    expect(up.pending).toBe(0);
  });

  it('keeps entries and retries with backoff while the API fails', async () => {
    let failures = 3;
    const { up, api, errors } = uploader(() => (failures-- > 0 ? json({ code: 'unavailable' }, 503) : json({}, 202)));
    const e = entry();
    up.add(e);
    expect(await up.flush(2000)).toBe(true);
    const calls = api.calls('POST', '/api/v1/decision-logs');
    expect(calls).toHaveLength(4);
    expect(calls.every((c) => stored([c])[0] === e.decisionId)).toBe(true);
    expect(errors).toHaveLength(3);
  });

  it('retries after a network error too', async () => {
    let first = true;
    const { up } = uploader(() => {
      if (first) {
        first = false;
        throw new TypeError('fetch failed');
      }
      return json({}, 202);
    });
    up.add(entry());
    expect(await up.flush(2000)).toBe(true);
  });

  it('refuses entries beyond the buffer instead of dropping older ones', async () => {
    const { up } = uploader(() => json({ code: 'unavailable' }, 503), { maxBuffered: 2 });
    expect(up.hasRoom(2)).toBe(true);
    expect(up.add(entry())).toBe(true);
    expect(up.add(entry())).toBe(true);
    expect(up.hasRoom()).toBe(false);
    expect(up.add(entry())).toBe(false);
    expect(await up.flush(50)).toBe(false);
    expect(up.stop()).toHaveLength(2);
  });

  it('isolates an entry the API refuses as invalid; only that one is dropped', async () => {
    const bad = entry({ tool: 'bad' });
    const { up, api, errors } = uploader((req) => {
      const entries = (req.body as { entries: DecisionLogEntry[] }).entries;
      return entries.some((e) => e.tool === 'bad') ? json({ code: 'invalid_request' }, 400) : json({}, 202);
    });
    const good = [entry(), entry(), entry()];
    for (const e of [good[0]!, bad, good[1]!, good[2]!]) up.add(e);
    expect(await up.flush(2000)).toBe(true);
    const accepted = api.calls('POST', '/api/v1/decision-logs').filter((c) => !stored([c]).includes(bad.decisionId));
    expect(new Set(stored(accepted))).toEqual(new Set(good.map((e) => e.decisionId)));
    expect(up.stats.dropped).toBe(1);
    expect(errors.some((e) => e.message.includes(bad.decisionId))).toBe(true);
  });
});
