import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../lib/db/client';
import { startApi, type RunningApi } from './api-harness';

// A chunked body (no Content-Length) is refused as soon as it passes 64 KiB, before the client
// has finished sending it: the API never buffers an unbounded body, and no key is needed to
// find that out (the limit applies before authentication).

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  await disconnectDb();
});

function openEndedChunkedPost(path: string): Promise<string> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
      if (answer.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', reject);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    // 80 KiB of body in chunks, then nothing more: the terminating chunk never comes
    const chunk = 'x'.repeat(8 * 1024);
    for (let i = 0; i < 10; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    setTimeout(() => reject(new Error('no answer while the body was still open')), 10_000).unref();
  });
}

describe('body limit on every machine API route', () => {
  for (const path of ['/api/v1/tools/sync', '/api/v1/decision-logs', '/api/v1/access-requests', '/api/v1/manage/agents']) {
    it(`${path}: 413 before the chunked body ends`, async () => {
      const answer = await openEndedChunkedPost(path);
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer.toLowerCase()).toContain('application/problem+json');
    });
  }
});
