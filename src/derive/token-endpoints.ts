/**
 * Operations that issue tokens (the mock answers them with fresh tokens it also accepts):
 * the OAuth2 `tokenUrl`/`refreshUrl` of any security scheme that is a documented POST operation,
 * recorded POSTs to `…/token` answered with an `access_token`, and documented POSTs to `…/token`
 * whose success response declares `access_token`.
 */
import { Router } from '../../templates/runtime/core/router';
import type { Contract, MatchedExchange, Operation } from '../model/types';
import { isRecord } from '../../templates/runtime/core/json';
import { viewSchema } from '../../templates/runtime/core/schema';

const TOKEN_PATH = /\/(?:oauth2?\/)?(?:access_)?token\/?$/i;

/** Operation ids, sorted. */
export function detectTokenEndpoints(contract: Contract, matched: MatchedExchange[]): string[] {
  const found = new Set<string>();
  const posts = contract.operations.filter((op) => op.method === 'post');
  const router = new Router<Operation>();
  for (const op of posts) router.add('post', op.path, op);

  for (const scheme of Object.values(contract.securitySchemes)) {
    if (scheme.type !== 'oauth2' || !scheme.flows) continue;
    for (const flow of Object.values(scheme.flows)) {
      for (const url of [flow?.tokenUrl, flow?.refreshUrl]) {
        if (!url) continue;
        for (const path of candidatePaths(url, contract)) {
          const op = router.match(path, 'post')?.methods.get('post');
          if (op) found.add(op.id);
        }
      }
    }
  }

  for (const m of matched) {
    if (m.exchange.failed || m.exchange.request.method.toUpperCase() !== 'POST') continue;
    if (m.exchange.response.status < 200 || m.exchange.response.status > 299) continue;
    const path = m.exchange.request.path.split('?')[0];
    if (
      TOKEN_PATH.test(path) &&
      isRecord(m.responseBody) &&
      typeof m.responseBody.access_token === 'string'
    ) {
      found.add(m.op.id);
    }
  }

  for (const op of posts) {
    if (TOKEN_PATH.test(op.path) && declaresAccessToken(op, contract)) found.add(op.id);
  }
  return [...found].sort();
}

/** The path part of a tokenUrl, as contract paths (without the base path) it may correspond to. */
function candidatePaths(url: string, contract: Contract): string[] {
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      path = new URL(url).pathname;
    } catch {
      return [];
    }
  } else {
    path = url.split(/[?#]/)[0];
    // relative to the server URL: `oauth/token` → `<basePath>/oauth/token`
    if (!path.startsWith('/')) path = `${contract.basePath}/${path.replace(/^\.\//, '')}`;
  }
  path = path.replace(/\/+$/, '') || '/';
  const paths = [path];
  const base = contract.basePath;
  if (base !== '' && (path === base || path.startsWith(`${base}/`)))
    paths.push(path.slice(base.length) || '/');
  return paths;
}

function declaresAccessToken(op: Operation, contract: Contract): boolean {
  return op.responses.some(
    (response) =>
      /^2/.test(response.status) &&
      response.content.some((media) =>
        viewSchema(media.schema, contract.schemas).properties.has('access_token'),
      ),
  );
}
