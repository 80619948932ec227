/**
 * Realistic values: what a format, a property name and the object around it suggest, from
 * @faker-js/faker (./faker.ts: seeded by the generation's PRNG, one locale). An object that is a
 * person, a company, an address or a product (./entities.ts) gives its properties values that agree.
 */
import type { Faker } from '@faker-js/faker';
import type { Ctx, Hint } from './generate';
import { roundTo } from './helpers';
import type { Shape } from './shapes';
import { words } from '../names';
import { entityString, type Entity } from './entities';
import { fakerFor, type Rng } from './faker';

export function fakerOf(ctx: Pick<Ctx, 'rng' | 'locale'>): Faker {
  return fakerFor(ctx.rng, ctx.locale);
}

/** `fn()`, or `fallback` when faker has no data for it in this locale (it throws then). */
export function attempt(fn: () => string, fallback: () => string): string {
  try {
    return fn();
  } catch {
    return fallback();
  }
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(rng() * 16)];
  return out;
}

/** A few real words (faker's English word list): the text of a field its name says nothing about. */
export function loremWords(ctx: Pick<Ctx, 'rng' | 'locale'>, count: number): string {
  const f = fakerOf(ctx);
  return attempt(
    () => f.word.words(count),
    () => f.lorem.words(count),
  );
}

function sentence(f: Faker): string {
  return attempt(
    () => f.company.catchPhrase() + '.',
    () => f.lorem.sentence(),
  );
}

function titleCase(text: string): string {
  return text.replace(/(^|\s)\p{Ll}/gu, (c) => c.toUpperCase());
}

/** A moment between 2023-01-01 and 2025-12-31, to the second (faker's dates move with the clock). */
function moment(rng: Rng): Date {
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;
  return new Date(start + Math.floor((rng() * span) / 1000) * 1000);
}

function isoDateTime(rng: Rng): string {
  return moment(rng).toISOString().replace('.000Z', 'Z');
}

function isoDate(rng: Rng): string {
  return moment(rng).toISOString().slice(0, 10);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

const MONEY_WORDS = new Set([
  'price',
  'amount',
  'cost',
  'balance',
  'subtotal',
  'fee',
  'salary',
  'tax',
  'total',
  'value',
  'rate',
  'discount',
  'credit',
  'debit',
]);

/** A decimal number as text (`format: decimal`, Stripe's `decimal_string`): a price for money names. */
function decimalString(ctx: Ctx, hint: Hint): string {
  const tokens = hint.prop === undefined ? [] : words(hint.prop);
  const f = fakerOf(ctx);
  if (tokens.some((t) => MONEY_WORDS.has(t))) return f.commerce.price({ min: 1, max: 1000 });
  return String(f.number.float({ min: 0, max: 1000, fractionDigits: int(ctx.rng, 1, 4) }));
}

/** Locales as BCP 47 tags (`en-US`): what `format: locale` and a `locale` property hold. */
const LOCALES = [
  'en-US',
  'en-GB',
  'en-CA',
  'en-AU',
  'fr-FR',
  'fr-CA',
  'de-DE',
  'de-AT',
  'de-CH',
  'es-ES',
  'es-MX',
  'it-IT',
  'ja-JP',
  'ko-KR',
  'zh-CN',
  'pt-BR',
  'pt-PT',
  'nl-NL',
  'pl-PL',
  'sv-SE',
];

/** Generators by `format`, strings only; each value also passes FORMAT_CHECKS / Ajv's check of it. */
export const FORMAT_GENERATORS: Record<string, (ctx: Ctx, hint: Hint, shape: Shape) => string> = {
  'date-time': (ctx) => isoDateTime(ctx.rng),
  date: (ctx) => isoDate(ctx.rng),
  time: (ctx) => `${pad(int(ctx.rng, 0, 23))}:${pad(int(ctx.rng, 0, 59))}:${pad(int(ctx.rng, 0, 59))}Z`,
  duration: (ctx) => `P${int(ctx.rng, 1, 30)}DT${int(ctx.rng, 1, 23)}H`,
  email: (ctx, hint) => entityString(ctx, hint, 'email') ?? fakerOf(ctx).internet.email(),
  'idn-email': (ctx, hint) => entityString(ctx, hint, 'email') ?? fakerOf(ctx).internet.email(),
  hostname: (ctx) => fakerOf(ctx).internet.domainName(),
  'idn-hostname': (ctx) => fakerOf(ctx).internet.domainName(),
  ipv4: (ctx) => fakerOf(ctx).internet.ipv4(),
  ipv6: (ctx) => fakerOf(ctx).internet.ipv6(),
  uri: (ctx, hint) => urlFor(ctx, hint),
  url: (ctx, hint) => urlFor(ctx, hint),
  iri: (ctx, hint) => urlFor(ctx, hint),
  'uri-reference': (ctx) => `/${fakerOf(ctx).word.noun()}/${int(ctx.rng, 1, 999)}`,
  'iri-reference': (ctx) => `/${fakerOf(ctx).word.noun()}/${int(ctx.rng, 1, 999)}`,
  'uri-template': (ctx) => `https://${fakerOf(ctx).internet.domainName()}/${fakerOf(ctx).word.noun()}/{id}`,
  uuid: (ctx) => fakerOf(ctx).string.uuid(),
  'json-pointer': (ctx) => `/${fakerOf(ctx).word.noun()}/${int(ctx.rng, 0, 9)}`,
  'relative-json-pointer': (ctx) => `${int(ctx.rng, 0, 3)}/${fakerOf(ctx).word.noun()}`,
  regex: () => '^[a-z0-9-]+$',
  byte: (ctx) => base64(loremWords(ctx, 2)),
  base64: (ctx) => base64(loremWords(ctx, 2)),
  binary: (ctx) => loremWords(ctx, 3),
  password: (ctx) => fakerOf(ctx).internet.password({ length: int(ctx.rng, 12, 20) }),
  decimal: decimalString,
  decimal_string: decimalString,
  int64: (ctx) => String(fakerOf(ctx).number.int({ min: 1, max: 9_000_000_000_000 })),
  int32: (ctx) => String(fakerOf(ctx).number.int({ min: 1, max: 2_000_000_000 })),
  integer: (ctx) => String(fakerOf(ctx).number.int({ min: 1, max: 100_000 })),
  double: (ctx) => String(fakerOf(ctx).number.float({ min: 0, max: 10_000, fractionDigits: 4 })),
  float: (ctx) => String(fakerOf(ctx).number.float({ min: 0, max: 10_000, fractionDigits: 2 })),
  number: (ctx) => String(fakerOf(ctx).number.float({ min: 0, max: 10_000, fractionDigits: 2 })),
  currency: (ctx) => fakerOf(ctx).finance.currencyCode(),
  'currency-code': (ctx) => fakerOf(ctx).finance.currencyCode(),
  'country-code': (ctx, _hint, shape) => countryCode(ctx, shape),
  country: (ctx, _hint, shape) => countryCode(ctx, shape),
  language: (ctx) => fakerOf(ctx).location.language().alpha2,
  locale: (ctx) => LOCALES[Math.floor(ctx.rng() * LOCALES.length)],
  iban: (ctx) => fakerOf(ctx).finance.iban(),
  bic: (ctx) => fakerOf(ctx).finance.bic(),
  mac: (ctx) => fakerOf(ctx).internet.mac(),
  color: (ctx) => fakerOf(ctx).color.rgb(),
  phone: (ctx, hint) => entityString(ctx, hint, 'phone') ?? phone(fakerOf(ctx)),
  timezone: (ctx) => fakerOf(ctx).location.timeZone(),
  semver: (ctx) => fakerOf(ctx).system.semver(),
  cron: (ctx) => fakerOf(ctx).system.cron(),
};

/** E.164 (`+14155550123`): what phone fields accept whatever the locale writes. */
function phone(f: Faker): string {
  return attempt(
    () => f.phone.number({ style: 'international' }),
    () => `+1${f.string.numeric(10)}`,
  );
}

function countryCode(ctx: Ctx, shape: Shape): string {
  const alpha3 =
    shape.minLength === 3 || (shape.patterns.length > 0 && shape.patterns.some((p) => p.includes('{3}')));
  return fakerOf(ctx).location.countryCode(alpha3 ? 'alpha-3' : 'alpha-2');
}

/**
 * Checks of the formats Ajv does not know (vendor and OpenAPI-registry formats): what generation
 * must produce for them, and what the realism benchmark counts as format-valid.
 */
export const FORMAT_CHECKS: Record<string, (value: string) => boolean> = {
  decimal: (v) => /^-?\d+(?:\.\d+)?$/.test(v),
  decimal_string: (v) => /^-?\d+(?:\.\d+)?$/.test(v),
  int64: (v) => /^-?\d{1,19}$/.test(v),
  int32: (v) => /^-?\d{1,10}$/.test(v) && Math.abs(Number(v)) <= 2147483648,
  integer: (v) => /^-?\d+$/.test(v),
  double: (v) => /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(v),
  float: (v) => /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(v),
  number: (v) => /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(v),
  currency: (v) => /^[A-Za-z]{3}$/.test(v),
  'currency-code': (v) => /^[A-Za-z]{3}$/.test(v),
  'country-code': (v) => /^[A-Z]{2,3}$/.test(v),
  country: (v) => /^[A-Z]{2,3}$/.test(v),
  language: (v) => /^[a-z]{2,3}$/.test(v),
  locale: (v) => /^[a-z]{2,3}(?:[-_][A-Z]{2})?$/.test(v),
  iban: (v) => /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(v),
  bic: (v) => /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(v),
  mac: (v) => /^[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}$/.test(v),
  color: (v) => /^#[0-9a-fA-F]{6}$/.test(v),
  phone: (v) => /^\+[1-9]\d{6,14}$/.test(v),
  timezone: (v) => /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$|^UTC$/.test(v),
  semver: (v) => /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v),
  cron: (v) => /^(?:\S+\s+){4}\S+(?:\s+\S+)?$/.test(v),
};

const IMAGE_WORDS = new Set(['avatar', 'image', 'photo', 'picture', 'logo', 'icon', 'thumbnail', 'img']);

function urlFor(ctx: Ctx, hint: Hint): string {
  const f = fakerOf(ctx);
  const tokens = hint.prop === undefined ? [] : words(hint.prop);
  const fromEntity = entityString(ctx, hint, 'url');
  if (fromEntity !== undefined && !tokens.some((t) => IMAGE_WORDS.has(t))) return fromEntity;
  if (tokens.some((t) => IMAGE_WORDS.has(t)))
    return `https://images.${f.internet.domainName()}/${hex(ctx.rng, 12)}.${tokens.includes('avatar') ? 'jpg' : 'png'}`;
  return `https://${f.internet.domainName()}/${f.word.noun()}/${int(ctx.rng, 1, 9999)}`;
}

const TIMESTAMP_WORDS = new Set([
  'created',
  'updated',
  'modified',
  'deleted',
  'expires',
  'expired',
  'started',
  'ended',
  'completed',
  'closed',
  'merged',
  'pushed',
  'published',
  'archived',
  'last',
  'due',
  'paid',
  'cancelled',
  'canceled',
  'submitted',
  'starred',
]);

function isTimestampName(tokens: string[], joined: string): boolean {
  const last = tokens[tokens.length - 1];
  if (joined.endsWith('timestamp') || joined === 'datetime') return true;
  if ((last === 'at' || last === 'time') && tokens.length > 1) return true;
  return tokens.length === 1 && TIMESTAMP_WORDS.has(joined) && joined !== 'last';
}

const PERSON_PREFIXES = [
  'full',
  'display',
  'contact',
  'customer',
  'user',
  'author',
  'owner',
  'person',
  'holder',
  'account',
  'billing',
  'shipping',
  'real',
  'member',
  'employee',
  'sender',
  'recipient',
];

/** A realistic string for a property name (and the object it sits in), or undefined when the name says nothing. */
export function stringByName(
  name: string,
  ctx: Ctx,
  shape: Shape,
  hint: Hint = { prop: name },
): string | undefined {
  const tokens = words(name);
  if (tokens.length === 0) return undefined;
  const rng = ctx.rng;
  const f = fakerOf(ctx);
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  const has = (...list: string[]): boolean => list.some((w) => tokens.includes(w));
  const entity = entityString(ctx, hint, undefined, shape);
  if (entity !== undefined) return entity;
  if (last === 'email' || joined === 'emailaddress' || joined === 'mail') return f.internet.email();
  if (last === 'uuid' || last === 'guid') return f.string.uuid();
  if (joined === 'id' || last === 'id' || last === 'ids') return f.string.uuid();
  if (joined === 'firstname' || joined === 'givenname') return f.person.firstName();
  if (joined === 'lastname' || joined === 'surname' || joined === 'familyname') return f.person.lastName();
  if (['username', 'login', 'handle', 'nickname', 'screenname', 'userlogin', 'userid'].includes(joined))
    return f.internet.username();
  if (
    [
      'companyname',
      'organizationname',
      'orgname',
      'company',
      'organization',
      'organisation',
      'employer',
      'businessname',
      'merchantname',
      'vendorname',
    ].includes(joined)
  ) {
    return f.company.name();
  }
  if (joined === 'filename' || joined === 'file') return f.system.fileName();
  if (joined === 'hostname' || joined === 'host' || joined === 'domain' || joined === 'domainname')
    return f.internet.domainName();
  if (joined === 'productname' || (last === 'name' && has('product', 'item', 'plan')))
    return f.commerce.productName();
  if (last === 'name' && (tokens.length === 1 || has(...PERSON_PREFIXES))) return f.person.fullName();
  if (last === 'name') return titleCase(f.word.words(2));
  if (has('phone', 'mobile', 'telephone', 'tel', 'fax', 'msisdn')) return phone(f);
  if (last === 'city' || last === 'town' || last === 'locality') return f.location.city();
  if (
    joined === 'countrycode' ||
    (last === 'country' && shape.maxLength !== undefined && shape.maxLength <= 3)
  )
    return f.location.countryCode(shape.minLength === 3 ? 'alpha-3' : 'alpha-2');
  if (last === 'country') return f.location.country();
  if (['region', 'province', 'county', 'state'].includes(last) && (has('address') || last !== 'state'))
    return attempt(
      () => f.location.state(),
      () => f.location.county(),
    );
  if (
    ['street', 'address', 'addressline', 'line1', 'address1', 'streetaddress', 'addressline1'].includes(
      joined,
    )
  ) {
    return f.location.streetAddress();
  }
  if (['line2', 'address2', 'addressline2'].includes(joined)) return f.location.secondaryAddress();
  if (['zip', 'zipcode', 'postalcode', 'postcode', 'postal'].includes(joined)) return f.location.zipCode();
  if (last === 'currency' || joined === 'currencycode') return f.finance.currencyCode();
  if (last === 'iban') return f.finance.iban();
  if (last === 'bic' || last === 'swift') return f.finance.bic();
  if (joined === 'macaddress' || last === 'mac') return f.internet.mac();
  if (
    ['url', 'uri', 'href', 'link', 'website', 'homepage', 'permalink'].includes(last) ||
    tokens.some((t) => IMAGE_WORDS.has(t))
  ) {
    return urlFor(ctx, { ...hint, prop: name });
  }
  if (last === 'bio' || last === 'about') return f.person.bio();
  if (['description', 'summary', 'details', 'content', 'body', 'text'].includes(last)) return sentence(f);
  if (['message', 'comment', 'note', 'notes', 'reason'].includes(last))
    return attempt(
      () => f.hacker.phrase(),
      () => f.lorem.sentence(),
    );
  if (['title', 'subject', 'headline', 'caption'].includes(last)) return titleCase(f.word.words(3));
  if (last === 'label') return titleCase(f.word.words(2));
  if (isTimestampName(tokens, joined)) return isoDateTime(rng);
  if (last === 'date' || joined === 'dob' || joined === 'birthday' || (last === 'on' && tokens.length > 1))
    return isoDate(rng);
  if (joined === 'time') return FORMAT_GENERATORS.time(ctx, hint, shape);
  if (last === 'color' || last === 'colour') return f.color.rgb();
  if (joined === 'locale') return LOCALES[Math.floor(rng() * LOCALES.length)];
  if (joined === 'language' || joined === 'lang') return f.location.language().alpha2;
  if (joined === 'timezone' || joined === 'tz' || joined === 'timezonename') return f.location.timeZone();
  if (joined === 'ip' || joined === 'ipaddress' || last === 'ip') return f.internet.ipv4();
  if (last === 'slug') return f.helpers.slugify(f.word.words(3)).toLowerCase();
  if (['sha', 'hash', 'etag', 'checksum', 'digest', 'commit', 'sha1'].includes(last))
    return f.git.commitSha();
  if (['token', 'secret', 'apikey', 'key', 'nonce', 'signature'].includes(last)) return hex(rng, 32);
  if (last === 'version') return f.system.semver();
  if (last === 'status' || joined === 'state')
    return f.helpers.arrayElement(['active', 'pending', 'completed']);
  if (['type', 'kind', 'category'].includes(last))
    return f.helpers.arrayElement(['standard', 'premium', 'basic']);
  if (['password', 'passwd', 'passphrase'].includes(last)) return f.internet.password({ length: 16 });
  if (last === 'path' || joined === 'filepath') return f.system.filePath();
  if (['mimetype', 'contenttype', 'mediatype'].includes(joined)) return f.system.mimeType();
  if (last === 'tag' || last === 'keyword' || last === 'topic') return f.word.noun();
  if (last === 'sku' || last === 'code')
    return `${f.string.alpha({ length: 3, casing: 'upper' })}-${int(rng, 1000, 9999)}`;
  return undefined;
}

/** A realistic number for a property name, or undefined. */
export function numberByName(name: string, ctx: Ctx, integer: boolean): number | undefined {
  const rng = ctx.rng;
  const tokens = words(name);
  if (tokens.length === 0) return undefined;
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  const money = (): number =>
    integer ? int(rng, 100, 50000) : Number(fakerOf(ctx).commerce.price({ min: 1, max: 1000 }));
  if (joined === 'id' || last === 'id') return int(rng, 1, 99999);
  if (isTimestampName(tokens, joined) || ['created', 'updated', 'timestamp'].includes(joined)) {
    const seconds = Math.floor(moment(rng).getTime() / 1000);
    return tokens.some((t) => t === 'ms' || t === 'millis' || t === 'milliseconds')
      ? seconds * 1000
      : seconds;
  }
  if (last === 'age') return int(rng, 18, 90);
  if (last === 'year') return int(rng, 1990, 2025);
  if (last === 'month') return int(rng, 1, 12);
  if (last === 'day') return int(rng, 1, 28);
  if (last === 'hour') return int(rng, 0, 23);
  if (last === 'minute' || last === 'second') return int(rng, 0, 59);
  if (['price', 'amount', 'cost', 'balance', 'subtotal', 'fee', 'salary', 'tax', 'total'].includes(last))
    return money();
  if (['count', 'size', 'quantity', 'qty', 'length', 'items', 'number', 'num'].includes(last))
    return int(rng, 1, 100);
  if (last === 'lat' || last === 'latitude')
    return integer ? int(rng, -90, 90) : roundTo(rng() * 180 - 90, 6);
  if (last === 'lng' || last === 'lon' || last === 'longitude')
    return integer ? int(rng, -180, 180) : roundTo(rng() * 360 - 180, 6);
  if (last === 'percent' || last === 'percentage')
    return integer ? int(rng, 0, 100) : roundTo(rng() * 100, 2);
  if (last === 'rating' || last === 'score' || last === 'stars')
    return integer ? int(rng, 1, 5) : roundTo(1 + rng() * 4, 1);
  if (last === 'port') return int(rng, 1024, 65535);
  if (last === 'page') return int(rng, 1, 10);
  if (['limit', 'perpage', 'pagesize'].includes(joined) || last === 'limit')
    return [10, 20, 50, 100][Math.floor(rng() * 4)];
  return undefined;
}

export type { Entity };
