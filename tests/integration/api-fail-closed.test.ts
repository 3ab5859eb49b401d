import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';

// The database becomes unreachable under a running API: every answer must be a 503 (or a deny),
// never an allow. A TCP proxy between the app and PostgreSQL is cut to simulate the outage.

const realUrl = process.env.DATABASE_URL!;
let proxy: net.Server;
let sockets = new Set<net.Socket>();
let open = true;
let api: RunningApi;
let w: PolicyWorld;

beforeAll(async () => {
  const target = new URL(realUrl);
  proxy = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const proxied = new URL(realUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((proxy.address() as net.AddressInfo).port);
  // everything in this file (Prisma, the hot-path pool, the version poller) goes through the proxy
  process.env.DATABASE_URL = proxied.toString();
  process.env.POLICY_STALENESS_MS = '1000';
  process.env.POLICY_POLL_MS = '100';
  w = await createPolicyWorld('down');
  api = await startApi();
});

afterAll(async () => {
  open = true;
  await api?.close().catch(() => {});
  proxy.close();
  for (const s of sockets) s.destroy();
});

describe('database unreachable', () => {
  it('answers 503 (never an allow) while the database is down', async () => {
    const token = await w.mint(w.agents.support.spiffeId);
    const ok = await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key);
    expect((await ok.json()).allow).toBe(true);

    open = false;
    for (const s of sockets) s.destroy();
    sockets = new Set();

    const statuses: number[] = [];
    const allows: boolean[] = [];
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      const res = await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice' }, w.key);
      statuses.push(res.status);
      const body = await res.json();
      if (res.status === 200) allows.push(body.allow);
      else expect(body.code).toBe('unavailable');
    }
    expect(allows.filter(Boolean)).toHaveLength(0);
    expect(statuses[statuses.length - 1]).toBe(503);
  });
});
