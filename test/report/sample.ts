import type { Finding } from '../../src/drift/types';
import type { ReportContext } from '../../src/report/context';

/** Findings and a context shared by the reporter tests: a repeated error, a warning, hostile names. */
/** Everything markup and CI readers choke on: `<`, `&`, quotes, `]]>`, CR LF, tab, U+2028, C0 controls, U+FFFE, a lone surrogate. */
export const hostile = `<tag attr="x"> & 'quote' ]]> 100% done\r\nnext:\ta,b ${'${x}'} */ \u2028 \u0001\u001b\u0000 \uFFFE \uD800 end`;

/** `hostile` as an XML 1.0 document can carry it: the characters it cannot hold replaced by U+FFFD. */
export const hostileInXml = hostile.replace(
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uD800]/g,
  '\uFFFD',
);

export function finding(extra: Partial<Finding> = {}): Finding {
  return {
    kind: 'invalid-response-body',
    severity: 'error',
    entry: 3,
    file: 'rec/traffic one.har',
    operation: 'GET /pets/{petId}',
    pointer: '/owner/email',
    message:
      "GET /pets/{petId} → 200: /owner/email 'n/a' is not a valid email (schema at #/components/schemas/Owner/properties/email/format)",
    schemaPointer: '#/components/schemas/Owner/properties/email/format',
    status: 200,
    rule: 'format',
    ...extra,
  };
}

export const findings: Finding[] = [
  finding(),
  finding({ entry: 7 }),
  finding({ entry: 9 }),
  finding({
    kind: 'undocumented-path',
    operation: `POST /a<b>&"c'`,
    pointer: '',
    message: hostile,
    entry: 11,
    status: undefined,
    schemaPointer: undefined,
    rule: undefined,
  }),
  finding({
    severity: 'warning',
    pointer: '/nick',
    message: 'GET /pets/{petId} → 200: /nick is not documented',
    entry: 4,
    rule: 'extra-property',
  }),
];

export const context: ReportContext = {
  contractFile: 'specs/api.yaml',
  recordingFiles: ['rec/traffic one.har'],
  toolVersion: '0.1.0',
  summary: {
    entries: 12,
    matched: 11,
    skipped: 0,
    otherHosts: [],
    errors: 4,
    warnings: 1,
    baselined: 0,
    operations: [
      { operation: 'GET /pets/{petId}', operationId: 'getPet', entries: 10, errors: 3, warnings: 1 },
      { operation: 'DELETE /pets/{petId}', operationId: 'deletePet', entries: 0, errors: 0, warnings: 0 },
      { operation: `POST /a<b>&"c'`, operationId: '', entries: 1, errors: 1, warnings: 0 },
    ],
    untestedOperations: ['DELETE /pets/{petId}'],
  },
};
