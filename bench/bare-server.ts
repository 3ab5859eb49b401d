import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The ceiling: a bare node:http server answering a fixed decision-sized JSON after reading the
// body, as the decision API must.
const body = JSON.stringify({
  decisionId: 'dec_01J0000000000000000000000',
  allow: true,
  authentication: { status: 'verified', reason: null, detail: null, identityId: 'wid_x', agentId: 'agt_x', subject: 'spiffe://x/y', onBehalfOf: null },
  authorization: { decision: 'allow', reason: 'granted', explanation: 'An active grant allows this.', grantId: 'gnt_x', expiresAt: null, approval: { required: false, requestUrl: null } },
  cacheTtlSeconds: 60,
});
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
