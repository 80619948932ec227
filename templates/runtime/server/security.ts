/**
 * The security stage: credentials the operation requires (401 with `WWW-Authenticate`), and a
 * token the mock issued that has expired (401). Token endpoints are not checked: clients
 * authenticate there in the body as often as with Basic, and the endpoint answers RFC 6749 errors.
 */
import { problem } from '../core/problem';
import type { BuiltResponse } from '../respond';
import { EXPIRED_TOKEN_CHALLENGE, checkSecurity } from '../security';
import type { MaybePromise } from '../store/maybe';
import { verifyToken, type TokenVerdict } from '../tokens';
import type { Exchange, Pipeline } from './context';
import { refuse } from './refuse';

/** The refusal of a request without the credentials it needs; undefined when it may go on. */
export function checkCredentials(p: Pipeline, x: Exchange): MaybePromise<BuiltResponse | undefined> {
  const op = x.op!;
  if (op.issuesTokens) return undefined;
  const security = checkSecurity(op.security, p.manifest.securitySchemes ?? {}, x.request!);
  if (!security.ok) {
    const headers =
      security.challenges.length > 0 ? { 'www-authenticate': security.challenges.join(', ') } : undefined;
    return refuse(
      p,
      x,
      ['401'],
      () =>
        problem('UNAUTHORIZED', 'Your request does not fulfil the security requirements of the operation.', {
          headers,
        }),
      headers,
    );
  }
  if (!('bearer' in security) || security.bearer === undefined) return undefined;
  const verdict = verifyToken(security.bearer, p.manifest, p.store);
  return verdict instanceof Promise ? verdict.then((v) => expired(p, x, v)) : expired(p, x, verdict);
}

function expired(p: Pipeline, x: Exchange, verdict: TokenVerdict): BuiltResponse | undefined {
  if (verdict !== 'expired') return undefined;
  const headers = { 'www-authenticate': EXPIRED_TOKEN_CHALLENGE };
  return refuse(
    p,
    x,
    ['401'],
    () => problem('UNAUTHORIZED', 'The access token expired.', { headers }),
    headers,
  );
}
