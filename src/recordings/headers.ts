/** RFC 7230 §6.1 hop-by-hop headers (plus the non-standard `proxy-connection` and `trailers`): never forwarded, never replayed. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
]);
