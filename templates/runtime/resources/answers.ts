/** What the store answers with, as data for respond.ts (`stateResponse`): the documented status and media type, an item, the documented 404. */
import type { MockRequest, MockResponse } from '../core/context';
import { markImmutable, stateResponse } from '../respond';
import { render } from '../templating';
import { notFoundBody, singularNoun } from '../not-found';
import type { Defs, Manifest, OperationData, ResourceSpec, ResponseData } from '../core/types';
import type { Json } from './json';

export function documented2xx(op: OperationData, preferred: number[]): ResponseData | undefined {
  for (const status of preferred) {
    const found = op.responses.find((r) => r.status === String(status));
    if (found) return found;
  }
  return op.responses.find((r) => /^2\d\d$/.test(r.status)) ?? op.responses.find((r) => r.status === '2XX');
}

export function statusOf(response: ResponseData | undefined, fallback: number): number {
  const n = Number(response?.status);
  return Number.isInteger(n) ? n : fallback;
}

export function jsonMedia(response: ResponseData | undefined): string | undefined {
  if (!response || response.content.length === 0) return undefined;
  const json = response.content.find((m) => /[/+]json$/.test(m.mediaType) || m.mediaType === '*/*');
  return json ? (json.mediaType === '*/*' ? 'application/json' : json.mediaType) : undefined;
}

export function firstExample(response: ResponseData | undefined): unknown {
  if (!response) return undefined;
  for (const media of response.content) {
    if (media.examples.length > 0) return media.examples[0].value;
  }
  return undefined;
}

export function documentsHeader(response: ResponseData | undefined, name: string): boolean {
  return !!response?.headers.some((h) => h.name.toLowerCase() === name);
}

/** `/users/{id}/x` → literals `['/users/', '/x']` around names `['id']` (parsed once per template). */
const pathPartsCache = new Map<string, { literals: string[]; names: string[] }>();

export function fillPath(
  template: string,
  params: Record<string, string>,
  name?: string,
  value?: string,
): string {
  let parts = pathPartsCache.get(template);
  if (!parts) {
    const pieces = template.split(/\{([^}]+)\}/);
    parts = {
      literals: pieces.filter((_, i) => i % 2 === 0),
      names: pieces.filter((_, i) => i % 2 === 1),
    };
    if (pathPartsCache.size < 10_000) pathPartsCache.set(template, parts);
  }
  let out = parts.literals[0];
  for (let i = 0; i < parts.names.length; i++) {
    const param = parts.names[i] === name ? value : params[parts.names[i]];
    out += encodeURIComponent(param ?? '') + parts.literals[i + 1];
  }
  return out;
}

/**
 * The documented 404: its authored example (rendered), else a minimal error of its schema naming the
 * missing resource (not-found.ts), else an RFC 9457 problem.
 */
export function notFound(
  op: OperationData,
  request: MockRequest,
  manifest: Manifest,
  spec: ResourceSpec,
  id: string,
  defs?: Defs,
) {
  const documented =
    op.responses.find((r) => r.status === '404') ??
    op.responses.find((r) => r.status === '4XX') ??
    op.responses.find((r) => r.status === 'default');
  const example = firstExample(documented);
  const media = jsonMedia(documented);
  const message = `No such ${singularNoun(spec.collectionPath)}: '${id}'`;
  // no authored example: an error shaped by the documented schema that names what is missing
  const data =
    documented?.content.find((m) => m.mediaType === media) ??
    documented?.content.find((m) => m.mediaType === '*/*');
  if (defs && media && data?.schema !== undefined && data.examples.every((e) => e.name === '__generated')) {
    const facts = { message, code: 'resource_missing' };
    const body = notFoundBody(data.schema, defs, facts);
    if (body) return stateResponse(404, body, media);
  }
  if (example !== undefined && media) return stateResponse(404, render(example, request, manifest), media);
  return stateResponse(
    404,
    {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: message,
    },
    'application/problem+json',
  );
}

export function itemResponse(
  op: OperationData,
  documented: ResponseData | undefined,
  fallbackStatus: number,
  resource: Json,
  { remember = true }: { remember?: boolean } = {},
): MockResponse {
  const status = statusOf(documented, fallbackStatus);
  // No copy: a stored value is replaced (copy-on-write), never changed in place, so responses share
  // it and its JSON text is computed once (markImmutable). A resource just created is not
  // remembered: many are never read again, and a read or list marks it then.
  if (remember) markImmutable(resource);
  return stateResponse(status, resource, documented ? jsonMedia(documented) : 'application/json');
}
