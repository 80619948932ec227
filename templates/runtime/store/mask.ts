/** A store URL with its password (or a lone user name: a password for Redis) as `***`, for messages and logs. */
export function maskUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/i, (_, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${auth.slice(0, colon)}:***`}@`;
  });
}
