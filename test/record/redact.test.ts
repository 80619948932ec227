import assert from 'node:assert/strict';
import type { HarEntry, HarHeader } from '../../src/recordings/har-types';
import {
  isRedacted,
  REDACTED,
  redactAuthorization,
  redactHarEntry,
  redactSecret,
} from '../../src/recordings/redact';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const JWT_HEADER = { alg: 'RS256', typ: 'JWT', kid: 'k1' };
const JWT_CLAIMS = { sub: 'user-42', scope: 'read write', exp: 1900000000 };
const JWT_SIGNATURE = 'c2lnbmF0dXJlLXRoYXQtaXMtc2VjcmV0LWVub3VnaA';
const JWT = `${b64url(JWT_HEADER)}.${b64url(JWT_CLAIMS)}.${JWT_SIGNATURE}`;

function entry(overrides: {
  url?: string;
  requestHeaders?: HarHeader[];
  responseHeaders?: HarHeader[];
  queryString?: HarHeader[];
  postData?: HarEntry['request']['postData'];
  responseText?: string;
  responseMime?: string;
}): HarEntry {
  return {
    startedDateTime: '2024-01-01T00:00:00.000Z',
    time: 10,
    request: {
      method: 'POST',
      url: overrides.url ?? 'https://api.example.com/v1/things',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: overrides.requestHeaders ?? [],
      queryString: overrides.queryString ?? [],
      postData: overrides.postData,
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: overrides.responseHeaders ?? [],
      content: {
        size: overrides.responseText?.length ?? 0,
        mimeType: overrides.responseMime ?? 'application/json',
        text: overrides.responseText,
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}

describe('record: redactSecret / redactAuthorization', () => {
  const cases: [string, string, string][] = [
    ['JWT keeps header and claims', JWT, `${b64url(JWT_HEADER)}.${b64url(JWT_CLAIMS)}.${REDACTED}`],
    ['stripe key keeps its type prefix', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_REDACTED'],
    ['github token keeps ghp_', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'ghp_REDACTED'],
    ['slack token keeps xoxb-', 'xoxb-1234-5678-abcdEFGH', 'xoxb-REDACTED'],
    ['uuid keeps nothing', '550e8400-e29b-41d4-a716-446655440000', REDACTED],
    ['opaque keeps nothing', 'a8f5f167f44f4964e6c998dee827110c', REDACTED],
    ['already redacted is unchanged', 'sk_live_REDACTED', 'sk_live_REDACTED'],
    ['empty stays empty', '', ''],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => assert.equal(redactSecret(input), want));
  }

  const auth: [string, string][] = [
    [`Bearer ${JWT}`, `Bearer ${b64url(JWT_HEADER)}.${b64url(JWT_CLAIMS)}.${REDACTED}`],
    ['Bearer sk_test_abcdef123456', 'Bearer sk_test_REDACTED'],
    ['Basic dXNlcjpodW50ZXIy', 'Basic REDACTED'],
    ['Digest username="x", response="abc"', 'Digest REDACTED'],
    ['token ghp_abcdef123456', 'token ghp_REDACTED'],
    ['justatokenvalue12345', REDACTED],
  ];
  for (const [input, want] of auth) {
    it(`Authorization: ${input}`, () => assert.equal(redactAuthorization(input), want));
  }

  it('isRedacted', () => {
    assert.equal(isRedacted('sk_REDACTED'), true);
    assert.equal(isRedacted('plain'), false);
    assert.equal(isRedacted(42), false);
  });
});

describe('record: redactHarEntry', () => {
  it('does not modify its input and returns a copy when disabled', () => {
    const input = entry({ requestHeaders: [{ name: 'Authorization', value: 'Basic dXNlcjpwYXNz' }] });
    const before = JSON.stringify(input);
    const out = redactHarEntry(input, {});
    assert.equal(JSON.stringify(input), before);
    assert.equal(out.request.headers[0].value, 'Basic REDACTED');
    const off = redactHarEntry(input, { enabled: false });
    assert.notEqual(off, input);
    assert.equal(JSON.stringify(off), before);
  });

  const headerCases: [string, string, string][] = [
    ['Authorization', `Bearer ${JWT}`, `Bearer ${b64url(JWT_HEADER)}.${b64url(JWT_CLAIMS)}.${REDACTED}`],
    ['Proxy-Authorization', 'Basic dXNlcjpwYXNz', 'Basic REDACTED'],
    ['Cookie', 'sid=abc123; theme=dark', 'sid=REDACTED; theme=REDACTED'],
    ['X-API-Key', 'key_live_abcdef0123456789', 'key_live_REDACTED'],
    ['x-auth-token', '0123456789abcdef', REDACTED],
    ['Accept', 'application/json', 'application/json'],
  ];
  for (const [name, value, want] of headerCases) {
    it(`request header ${name}`, () => {
      const out = redactHarEntry(entry({ requestHeaders: [{ name, value }] }), {});
      assert.equal(out.request.headers[0].value, want);
    });
  }

  it('Set-Cookie keeps attributes; HAR cookies arrays are redacted', () => {
    const input = entry({
      responseHeaders: [
        { name: 'Set-Cookie', value: 'session=s3cr3t-session-value; Path=/; HttpOnly; Secure' },
        { name: 'set-cookie', value: 'csrf=tok3n-value-here; SameSite=Strict' },
      ],
    });
    input.request.cookies = [{ name: 'session', value: 'old-session-value' }];
    input.response.cookies = [{ name: 'session', value: 's3cr3t-session-value', path: '/', httpOnly: true }];
    const out = redactHarEntry(input, {});
    assert.deepEqual(
      out.response.headers.map((h) => h.value),
      ['session=REDACTED; Path=/; HttpOnly; Secure', 'csrf=REDACTED; SameSite=Strict'],
    );
    assert.equal(out.request.cookies[0].value, REDACTED);
    assert.deepEqual(out.response.cookies[0], {
      name: 'session',
      value: REDACTED,
      path: '/',
      httpOnly: true,
    });
  });

  it('apiKey schemes from the contract and extra names are redacted in headers, query and cookies', () => {
    const input = entry({
      url: 'https://api.example.com/v1/things?page=2&sub_key=abcd1234efgh&X-Tenant-Secret=t0p',
      queryString: [
        { name: 'page', value: '2' },
        { name: 'sub_key', value: 'abcd1234efgh' },
        { name: 'X-Tenant-Secret', value: 't0p' },
      ],
      requestHeaders: [{ name: 'X-Acme-Key', value: 'acme_9f8e7d6c5b4a' }],
    });
    const out = redactHarEntry(input, {
      securitySchemes: {
        header: { type: 'apiKey', in: 'header', name: 'X-Acme-Key' },
        query: { type: 'apiKey', in: 'query', name: 'sub_key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      names: ['x-tenant-secret'],
    });
    assert.equal(out.request.headers[0].value, 'acme_REDACTED');
    assert.deepEqual(out.request.queryString, [
      { name: 'page', value: '2' },
      { name: 'sub_key', value: REDACTED },
      { name: 'X-Tenant-Secret', value: REDACTED },
    ]);
    assert.equal(
      out.request.url,
      'https://api.example.com/v1/things?page=2&sub_key=REDACTED&X-Tenant-Secret=REDACTED',
    );
  });

  it('url and queryString stay consistent, with percent-encoded names and values', () => {
    const input = entry({
      url: 'https://api.example.com/cb?access%5Ftoken=sk_test_a%2Fb%2Bc123456&state=xyz#refresh_token=rt_abcdef123456',
      queryString: [
        { name: 'access_token', value: 'sk_test_a/b+c123456' },
        { name: 'state', value: 'xyz' },
      ],
    });
    const out = redactHarEntry(input, {});
    const url = new URL(out.request.url);
    assert.equal(url.searchParams.get('access_token'), out.request.queryString[0].value);
    assert.equal(out.request.queryString[0].value, 'sk_test_REDACTED');
    assert.equal(url.searchParams.get('state'), 'xyz');
    assert.equal(url.hash, '#refresh_token=rt_REDACTED');
  });

  it('form bodies: urlencoded text and params', () => {
    const text = 'grant_type=password&username=alice&password=hunter2%21&client_secret=cs_abcdef123456';
    const out = redactHarEntry(
      entry({
        postData: {
          mimeType: 'application/x-www-form-urlencoded; charset=utf-8',
          text,
          params: [
            { name: 'grant_type', value: 'password' },
            { name: 'username', value: 'alice' },
            { name: 'password', value: 'hunter2!' },
            { name: 'client_secret', value: 'cs_abcdef123456' },
          ],
        },
      }),
      {},
    );
    assert.equal(
      out.request.postData?.text,
      'grant_type=password&username=alice&password=REDACTED&client_secret=cs_REDACTED',
    );
    assert.deepEqual(
      out.request.postData?.params?.map((p) => p.value),
      ['password', 'alice', REDACTED, 'cs_REDACTED'],
    );
  });

  it('JSON token responses keep their shape and formatting; JWTs keep claims', () => {
    const body = `{\n  "access_token": "${JWT}",\n  "token_type": "Bearer",\n  "expires_in": 3600,\n  "refresh_token": "rt_9a8b7c6d5e4f",\n  "big": 12345678901234567890\n}`;
    const out = redactHarEntry(
      entry({ responseText: body, responseMime: 'application/json; charset=utf-8' }),
      {},
    );
    const text = out.response.content.text ?? '';
    assert.equal(
      text,
      body
        .replace(JWT, `${b64url(JWT_HEADER)}.${b64url(JWT_CLAIMS)}.${REDACTED}`)
        .replace('rt_9a8b7c6d5e4f', 'rt_REDACTED'),
    );
    const parsed = JSON.parse(text) as { access_token: string };
    const claims: unknown = JSON.parse(
      Buffer.from(parsed.access_token.split('.')[1], 'base64url').toString(),
    );
    assert.deepEqual(claims, JWT_CLAIMS);
    assert.ok(text.includes('12345678901234567890'), 'numbers kept byte for byte');
  });

  it('nested JSON request bodies (vendor +json) are redacted', () => {
    const out = redactHarEntry(
      entry({
        postData: {
          mimeType: 'application/vnd.acme+json',
          text: JSON.stringify({
            user: { name: 'a', password: 'pa55word!' },
            items: [{ apiKey: 'k_123456789' }],
          }),
        },
      }),
      {},
    );
    assert.deepEqual(JSON.parse(out.request.postData?.text ?? ''), {
      user: { name: 'a', password: REDACTED },
      items: [{ apiKey: 'k_REDACTED' }],
    });
  });

  it('no secret string survives anywhere in the serialised entry', () => {
    const secrets = {
      bearer: 'opaque0123456789abcdef',
      cookie: 'cookievalue-0123456789',
      apiKey: 'apikeyvalue-0123456789',
      password: 'correct horse battery',
      basicPassword: 'basicpass-0123456789',
      sas: 'sasSignature0123456789',
    };
    const basic = Buffer.from(`bob:${secrets.basicPassword}`).toString('base64');
    const input = entry({
      url: `https://api.example.com/x?api_key=${secrets.apiKey}&sig=${secrets.sas}`,
      queryString: [
        { name: 'api_key', value: secrets.apiKey },
        { name: 'sig', value: secrets.sas },
      ],
      requestHeaders: [
        { name: 'Authorization', value: `Bearer ${secrets.bearer}` },
        { name: 'Proxy-Authorization', value: `Basic ${basic}` },
        { name: 'Cookie', value: `sid=${secrets.cookie}` },
        { name: 'Referer', value: `https://app.example.com/?api_key=${secrets.apiKey}` },
      ],
      postData: {
        mimeType: 'multipart/form-data; boundary=XX',
        text: `--XX\r\nContent-Disposition: form-data; name="password"\r\n\r\n${secrets.password}\r\n--XX--\r\n`,
        params: [{ name: 'password', value: secrets.password }],
      },
      responseHeaders: [{ name: 'Location', value: `/next?access_token=${secrets.bearer}` }],
      responseText: `echo: ${secrets.bearer} ${secrets.cookie} ${secrets.basicPassword}`,
      responseMime: 'text/plain',
    });
    input.request.cookies = [{ name: 'sid', value: secrets.cookie }];
    const json = JSON.stringify(redactHarEntry(input, {}));
    for (const [what, secret] of Object.entries(secrets)) {
      assert.ok(!json.includes(secret), `${what} survived: ${json}`);
    }
    assert.ok(!json.includes(basic));
  });
});
