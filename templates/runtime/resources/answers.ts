/** What the store answers with, as data for respond.ts (`stateResponse`): the documented status and media type, an item, the documented 404. */
import type { MockRequest, MockResponse } from '../core/context';
import { markImmutable, stateResponse } from '../respond';
import { hasTemplates, render } from '../templating';
import { notFoundBody, singularNoun } from '../not-found';
import type { Defs, Manifest, OperationData, ResourceSpec, ResponseData } from '../core/types';
import { isRecord, type Json } from './json';

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

/** The item an answer of `op` carries: `value` itself, or its envelope member (`{"data": {...}}` → `data`). */
export function unwrapItem(op: OperationData, value: unknown, field = op.resource?.envelope): unknown {
  return field !== undefined && isRecord(value) && Object.hasOwn(value, field) ? value[field] : value;
}

/** The rest of an envelope answer: the documented example's other members (`meta`, `links`), once per operation. */
const envelopeRests = new WeakMap<OperationData, Json>();
/** Envelopes around stored (immutable) items, so their JSON text is computed once too. */
const wrapped = new WeakMap<OperationData, WeakMap<Json, Json>>();

/** `item` as `op` answers it: itself, or inside its envelope (`{"data": item, "meta": …}`). */
export function wrapItem(op: OperationData, item: Json, remember = false): Json {
  const field = op.resource?.envelope;
  if (field === undefined) return item;
  let byItem = wrapped.get(op);
  const known = remember ? byItem?.get(item) : undefined;
  if (known) return known;
  let rest = envelopeRests.get(op);
  if (!rest) {
    const example = firstExample(op.responses.find((r) => /^2\d\d$/.test(r.status)));
    rest = isRecord(example) && !hasTemplates(example) ? example : {};
    envelopeRests.set(op, rest);
  }
  const envelope: Json = {};
  for (const key of Object.keys(rest)) if (key !== '__proto__') envelope[key] = rest[key];
  envelope[field] = item;
  if (remember) {
    if (!byItem) wrapped.set(op, (byItem = new WeakMap()));
    byItem.set(item, envelope);
    markImmutable(envelope);
  }
  return envelope;
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
  const body = wrapItem(op, resource, remember);
  return stateResponse(status, body, documented ? jsonMedia(documented) : 'application/json');
}
