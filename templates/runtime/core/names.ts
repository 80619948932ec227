/**
 * What a name says: its words, the singular of a collection noun, and whether a field, header or
 * parameter name holds a token, a secret or a credential.
 */

/** `refreshToken` → [refresh, token], `expires_at` → [expires, at], `HTTPServer` → [http, server]. */
export function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** `api_key`, `X-Api-Key`, `apiKey` → `apikey`: lower case letters and digits only. */
export function normalName(key: string): string {
  return /^[a-z0-9]*$/.test(key) ? key : key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The same name in another spelling (`customer_id` and `customerId`). */
export function sameName(a: string, b: string): boolean {
  return a !== '' && normalName(a) === normalName(b);
}

/** `orders` → `order`, `categories` → `category`, `addresses` → `address`, `boxes` → `box`, `status` → `status`. */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(?:ss|us)$/i.test(word)) return word;
  if (/(?:ss|us|sh|ch|x|z)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

const TOKEN_NAMES = new Set([
  'token',
  'session',
  'sessionid',
  'sessionkey',
  'apikey',
  'xapikey',
  'secret',
  'password',
  'passphrase',
  'privatekey',
  'secretkey',
  'signingkey',
  'secretaccesskey',
]);

/** Names of properties that hold tokens: access_token, refreshToken, id_token, session, api_key, … */
export function isTokenName(key: string): boolean {
  if (TOKEN_NAMES.has(normalName(key))) return true;
  const w = words(key);
  // pagination cursors are tokens the client sends back: they must stay as recorded
  if (w.some((x) => x === 'page' || x === 'cursor' || x === 'continuation' || x === 'sync')) return false;
  return w.length > 0 && w[w.length - 1] === 'token';
}

/**
 * Names of properties whose value is a secret (client_secret, password, private_key, …): never
 * learnt as a reusable value nor served as recorded.
 */
export function isSecretName(key: string): boolean {
  const w = words(key);
  const last = w[w.length - 1];
  return (
    last === 'secret' || last === 'password' || last === 'passphrase' || TOKEN_NAMES.has(normalName(key))
  );
}

/** Credential names redacted in recordings (as `credentialKey` spells them: lower case, no `-` / `_`). */
export const CREDENTIAL_NAMES: readonly string[] = [
  'authorization',
  'proxyauthorization',
  'apikey',
  'xapikey',
  'xauthtoken',
  'xaccesstoken',
  'xsessiontoken',
  'xcsrftoken',
  'xxsrftoken',
  'xamzsecuritytoken',
  'xgoogapikey',
  'ocpapimsubscriptionkey',
  'xfunctionskey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'sessiontoken',
  'authtoken',
  'token',
  'clientsecret',
  'clientassertion',
  'codeverifier',
  'password',
  'passwd',
  'secret',
  'apisecret',
  'privatekey',
  'signature',
  'sig',
];

const CREDENTIAL_NAME_SET = new Set(CREDENTIAL_NAMES);

/** `X-Api-Key`, `api_key` → `xapikey`, `apikey`: how credential names are compared. */
export function credentialKey(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/**
 * A header, query, form or JSON field name whose value is a credential, from a fixed list (a
 * narrower rule than `isSecretName`: what a recording must never keep, wherever it appears).
 */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME_SET.has(credentialKey(name));
}

/** Per-response identifiers: request_id, traceId, correlation_id, nonce, … */
export function isRequestIdName(key: string): boolean {
  const n = normalName(key);
  if (['requestid', 'xrequestid', 'traceid', 'spanid', 'correlationid', 'nonce', 'requestuuid'].includes(n))
    return true;
  const w = words(key);
  return (
    w.length >= 2 &&
    w[w.length - 1] === 'id' &&
    ['request', 'trace', 'correlation', 'span'].includes(w[w.length - 2])
  );
}
