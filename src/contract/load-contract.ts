import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { MockgenError } from '../errors';
import type { Contract } from '../model/types';
import { checkDocument } from './check-document';
import { nameFromRef, SchemaConverter } from './convert-schema';
import { Diagnostics } from './diagnostics';
import { findErrorSchema } from './error-schema';
import { readDocument } from './read-document';
import { scanRefs } from './scan-refs';
import { RefResolver } from './resolve';
import { toSecuritySchemes } from './security';
import { toOperations } from './to-operations';
import { validateDocument } from './validate-document';
import { type JsonObject, asArray, asRecord, asString, isRecord } from '../../templates/runtime/core/json';
import { getAt, joinPointer } from '../../templates/runtime/core/pointer';

/** How long an `http(s)` external `$ref` may take to download. */
const HTTP_REF_TIMEOUT_MS = 15_000;

/**
 * Loads an OpenAPI 2.0 / 3.0 / 3.1 contract (JSON or YAML, external `$ref`s, circular schemas)
 * into the normalised `Contract`. Unusable input throws one `MockgenError` naming the file, the
 * location (line:column or JSON pointer) and the reason; milder problems become `diagnostics`.
 */
export async function loadContract(
  file: string,
  options: {
    /**
     * Check the document against the official OpenAPI schema (warnings in `diagnostics`). Compiling
     * that schema costs ~120 ms: drift and the recorder, which report no contract warnings, skip it.
     */
    checkSchema?: boolean;
  } = {},
): Promise<Contract> {
  const diagnostics = new Diagnostics(file);
  const read = await readDocument(file);
  for (const d of read.diagnostics) diagnostics.add(d);
  const { version, doc } = checkDocument(read.value, file, diagnostics);
  // Bundling only has work to do when some $ref leaves the document; skipping it saves seconds on big contracts.
  const scan = scanRefs(doc, file);
  const { doc: bundled, files } = scan.external
    ? await bundle(file, doc, read.value as JsonObject)
    : { doc, files: [path.resolve(file)] };
  const nameHints = new Map(scan.externalRefs.map(({ ref, pointer }) => [pointer, nameFromRef(ref)]));
  if (options.checkSchema !== false) validateDocument(bundled, version, diagnostics);

  const refs = new RefResolver(bundled, file);
  const schemas = new SchemaConverter(bundled, version, diagnostics, nameHints);
  const securitySchemes = toSecuritySchemes(bundled, version, refs, diagnostics);
  const operations = toOperations({ doc: bundled, version, refs, schemas, diagnostics, securitySchemes });
  const servers = version === '2.0' ? swaggerServers(bundled) : openApiServers(bundled);
  const basePath =
    version === '2.0' ? cleanBasePath(asString(bundled.basePath) ?? '') : basePathOf(servers[0]);
  const info = asRecord(bundled.info) ?? {};
  const errorSchema = findErrorSchema(bundled, version, operations, schemas);
  // the faker locale the contract asks for (`x-mockgen-locale` at the root, or `info.x-locale`)
  const locale = asString(bundled['x-mockgen-locale']) ?? asString(info['x-locale']);
  return {
    file,
    openapi: version,
    title: asString(info.title) ?? '',
    version: asString(info.version) ?? '',
    basePath,
    servers,
    operations,
    securitySchemes,
    schemas: schemas.schemas(),
    ...(errorSchema !== undefined ? { errorSchema } : {}),
    ...(locale !== undefined ? { locale } : {}),
    diagnostics: diagnostics.finish(),
    files,
  };
}

interface RefParserError extends Error {
  code?: string;
  path?: (string | number)[] | null;
  source?: string;
  targetRef?: string;
}

/**
 * swagger-parser `bundle`: external files are pulled in and every `$ref` becomes internal. Circular
 * refs stay refs. Unresolvable refs are reported with the pointer where they occur. Also gives the
 * local files it read (the root file first), for `mockgen serve --watch`.
 */
async function bundle(
  file: string,
  doc: JsonObject,
  original: JsonObject,
): Promise<{ doc: JsonObject; files: string[] }> {
  const absolute = path.resolve(file);
  const parser = new SwaggerParser();
  try {
    const result = await parser.bundle(
      absolute,
      doc as never,
      {
        continueOnError: true,
        resolve: { http: { timeout: HTTP_REF_TIMEOUT_MS } },
      } as SwaggerParser.Options,
    );
    if (!isRecord(result))
      throw new MockgenError(`${file}: bundling the contract produced no document`, { file });
    const files = parser.$refs.paths('file').map((source) => path.resolve(source));
    return { doc: result, files: [absolute, ...files.filter((source) => source !== absolute)] };
  } catch (err) {
    if (err instanceof MockgenError) throw err;
    const errors: RefParserError[] = Array.isArray((err as { errors?: unknown }).errors)
      ? (err as { errors: RefParserError[] }).errors
      : [err as RefParserError];
    throw refError(file, absolute, errors[0] ?? (err as RefParserError), original, errors.length);
  }
}

function refError(
  file: string,
  absolute: string,
  err: RefParserError,
  original: JsonObject,
  count: number,
): MockgenError {
  const pointer = Array.isArray(err.path) ? joinPointer(err.path) : '';
  const source =
    err.source && path.resolve(err.source.replace(/^file:\/\//, '')) !== absolute ? err.source : undefined;
  const where = source ? `${relative(source)}${pointer ? ` (reached at ${pointer})` : ''}` : pointer || '/';
  const ref = (source ? undefined : asString(asRecord(getAt(original, pointer))?.$ref)) ?? err.targetRef;
  const firstLine = (err.message ?? '').split('\n')[0];
  const more = count > 1 ? ` (and ${count - 1} more reference problem${count > 2 ? 's' : ''})` : '';
  let reason: string;
  let line: number | undefined;
  switch (err.code) {
    case 'EMISSINGPOINTER':
    case 'EINVALIDPOINTER':
      reason = `the target does not exist (${firstLine.replace(/^Missing \$ref pointer "[^"]*"\. /, '').replace(/^Token "(.*)" does not exist\.?$/, 'no "$1" there')})`;
      break;
    case 'ERESOLVER': {
      const opened = /Error (?:opening file|downloading) "?([^":]+)"?:?\s*(.*)$/.exec(firstLine);
      const io = /ENOENT/.test(firstLine) ? 'no such file' : (opened?.[2] ?? firstLine);
      reason = opened ? `cannot read ${relative(opened[1])}: ${io}` : firstLine;
      break;
    }
    case 'EPARSER':
    case 'EUNMATCHEDPARSER': {
      const parsed = /^Error parsing (.+?): (.*)$/.exec(firstLine);
      const lineCol = /\((\d+):(\d+)\)\s*$/.exec(firstLine);
      line = lineCol ? Number(lineCol[1]) : undefined;
      reason = parsed ? `cannot parse ${relative(parsed[1])}: ${parsed[2]}` : firstLine;
      break;
    }
    default:
      reason = firstLine || String(err);
  }
  const what = ref !== undefined ? `unresolvable $ref ${JSON.stringify(ref)}` : 'unresolvable $ref';
  return new MockgenError(`${file}: ${what} at ${where}: ${reason}${more}`, {
    file: source ? source.replace(/^file:\/\//, '') : file,
    pointer,
    ...(line !== undefined ? { line } : {}),
  });
}

function relative(file: string): string {
  const plain = file.replace(/^file:\/\//, '');
  if (/^[a-z]+:\/\//i.test(plain)) return plain;
  const rel = path.relative(process.cwd(), plain);
  return rel && !rel.startsWith('..') ? rel : plain;
}

/** `servers[*].url` with variables substituted by their defaults. */
function openApiServers(doc: JsonObject): string[] {
  const out: string[] = [];
  for (const raw of asArray(doc.servers)) {
    const server = asRecord(raw);
    const url = server && asString(server.url);
    if (url === undefined) continue;
    const variables = asRecord(server?.variables) ?? {};
    out.push(
      url.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
        const variable = asRecord(variables[name]);
        const value = asString(variable?.default) ?? asString(asArray(variable?.enum)[0]);
        return value ?? whole;
      }),
    );
  }
  return out;
}

function swaggerServers(doc: JsonObject): string[] {
  const basePath = cleanBasePath(asString(doc.basePath) ?? '');
  const host = asString(doc.host);
  if (!host) return basePath ? [basePath] : [];
  const schemes = asArray(doc.schemes).filter((s): s is string => typeof s === 'string');
  const scheme = schemes.includes('https') && !schemes.includes('http') ? 'https' : (schemes[0] ?? 'http');
  return [`${scheme}://${host}${basePath}`];
}

/** Path part of a server URL (absolute, protocol-relative or relative), without trailing slash. */
export function basePathOf(url: string | undefined): string {
  if (url === undefined) return '';
  let pathPart = url.trim();
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(pathPart) ?? /^\/\/[^/?#]*/.exec(pathPart);
  if (absolute) pathPart = pathPart.slice(absolute[0].length);
  pathPart = pathPart.replace(/[?#].*$/, '');
  return cleanBasePath(pathPart);
}

function cleanBasePath(raw: string): string {
  let out = raw.trim();
  if (out === '' || out === '/') return '';
  if (!out.startsWith('/')) out = `/${out}`;
  return out.replace(/\/+$/, '');
}
