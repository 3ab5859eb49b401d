// server.ts overwrites this header with the socket's address (or the proxy's forwarded address
// when TRUST_PROXY=1), so a client cannot choose its own IP for throttling and audit.
export const CLIENT_IP_HEADER = 'x-toolwarden-client-ip';
