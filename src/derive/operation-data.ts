/**
 * Contract operations → the per-operation data the emitted server loads (templates/runtime/core/types.ts
 * `OperationData`): parameters and bodies with their schemas, responses with validated examples.
 * Recordings, latency and resources are filled in by later stages.
 */
import type {
  HeaderData,
  MediaData,
  OperationData,
  ParameterData,
  RequestBodyData,
  ResponseData,
} from '../../templates/runtime/core/types';
import { SharedDefsCompiler } from '../../templates/runtime/core/fake';
import { exampleSeed, headerValue, mediaExamples, type ExampleContext } from './examples';
import type { Contract, Diagnostic, Operation, ValuePools } from '../model/types';

export function buildOperationData(
  contract: Contract,
  options: { seed: number; pools?: ValuePools; locale?: string },
): { operations: OperationData[]; diagnostics: Diagnostic[] } {
  const compiler = new SharedDefsCompiler(contract.schemas);
  const diagnostics: Diagnostic[] = [];
  const operations = contract.operations.map((op) =>
    operationData(op, contract, compiler, options, diagnostics),
  );
  return { operations, diagnostics };
}

function operationData(
  op: Operation,
  contract: Contract,
  compiler: SharedDefsCompiler,
  options: { seed: number; pools?: ValuePools; locale?: string },
  diagnostics: Diagnostic[],
): OperationData {
  const base = {
    file: contract.file,
    operation: `${op.method.toUpperCase()} ${op.path}`,
    defs: contract.schemas,
    compiler,
    pools: options.pools,
    locale: options.locale,
  };
  const data: OperationData = {
    id: op.id,
    method: op.method,
    path: op.path,
    parameters: op.parameters.map(parameterData),
    responses: op.responses.map((response) => {
      const ctx: ExampleContext = {
        ...base,
        direction: 'response',
        seed: exampleSeed(options.seed, op.id, response.status),
        label: `response ${response.status}`,
      };
      const headers: HeaderData[] = response.headers.map((header) => {
        const { value, diagnostics: found } = headerValue(header, ctx);
        diagnostics.push(...found);
        const out: HeaderData = { name: header.name, required: header.required, schema: header.schema };
        if (value !== undefined) out.value = value;
        return out;
      });
      const content: MediaData[] = response.content.map((media) => {
        const { examples, diagnostics: found } = mediaExamples(media, ctx);
        diagnostics.push(...found);
        const out: MediaData = { mediaType: media.mediaType, examples };
        if (media.schema !== undefined) out.schema = media.schema;
        return out;
      });
      const out: ResponseData = {
        status: response.status,
        description: response.description,
        headers,
        content,
      };
      return out;
    }),
    security: op.security,
    recordings: [],
  };
  if (op.requestBody) {
    const ctx: ExampleContext = {
      ...base,
      direction: 'request',
      seed: exampleSeed(options.seed, op.id, 'request'),
      label: 'request body',
    };
    const body: RequestBodyData = {
      required: op.requestBody.required,
      content: op.requestBody.content.map((media) => {
        const { examples, diagnostics: found } = mediaExamples(media, ctx);
        diagnostics.push(...found);
        return media.schema !== undefined
          ? { mediaType: media.mediaType, schema: media.schema, examples }
          : { mediaType: media.mediaType, examples };
      }),
    };
    data.requestBody = body;
  }
  return data;
}

function parameterData(p: Operation['parameters'][number]): ParameterData {
  const out: ParameterData = {
    name: p.name,
    in: p.in,
    required: p.required,
    style: p.style,
    explode: p.explode,
    schema: p.schema,
  };
  if (p.contentType !== undefined) out.contentType = p.contentType;
  return out;
}
