/** Realistic values: names, places, dates, formats and what a property name suggests. */
import type { Ctx } from './generate';
import { roundTo } from './helpers';
import type { Shape } from './shapes';
import { words } from '../names';

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
  'Guido',
  'Sophie',
  'Mateo',
  'Aiko',
  'Priya',
];
const LAST_NAMES = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
  'Rossum',
  'Wilson',
  'Garcia',
  'Tanaka',
  'Patel',
];
const CITIES = [
  'London',
  'Paris',
  'Berlin',
  'Tokyo',
  'New York',
  'San Francisco',
  'Toronto',
  'Sydney',
  'Madrid',
  'Amsterdam',
  'Lisbon',
  'Seoul',
];
const COUNTRIES = [
  'United Kingdom',
  'France',
  'Germany',
  'Japan',
  'United States',
  'Canada',
  'Australia',
  'Spain',
  'Netherlands',
  'Portugal',
];
const COUNTRY_CODES = ['GB', 'FR', 'DE', 'JP', 'US', 'CA', 'AU', 'ES', 'NL', 'PT'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'SEK'];
const STATES = ['California', 'Texas', 'Ontario', 'Bavaria', 'Queensland', 'New York'];
const STREETS = ['Main Street', 'High Street', 'Market Street', 'Elm Avenue', 'Baker Street', 'Park Lane'];
const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Labs',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
];
const WORDS = [
  'alpha',
  'bravo',
  'canyon',
  'delta',
  'ember',
  'falcon',
  'garden',
  'harbor',
  'island',
  'jasmine',
  'kernel',
  'lagoon',
  'meadow',
  'nebula',
  'orbit',
  'prairie',
  'quartz',
  'river',
  'summit',
  'timber',
  'update',
  'valley',
  'willow',
  'zenith',
];
const TIMEZONES = [
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const STATUSES = ['active', 'pending', 'completed', 'archived'];
const MIME_TYPES = ['application/json', 'text/plain', 'image/png', 'application/pdf'];

type Rng = () => number;

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
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

export function loremWords(rng: Rng, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(rng, WORDS));
  return out.join(' ');
}

function sentence(rng: Rng): string {
  const text = loremWords(rng, 4 + Math.floor(rng() * 5));
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** A moment between 2023-01-01 and 2025-12-31, to the second. */
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

function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = '89ab'[Math.floor(rng() * 4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function personName(rng: Rng): [string, string] {
  return [pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)];
}

function email(rng: Rng): string {
  const [first, last] = personName(rng);
  return `${slug(first)}.${slug(last).replace(/-/g, '')}@${pick(rng, DOMAINS)}`;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export const FORMAT_GENERATORS: Record<string, (rng: Rng, prop?: string) => string> = {
  'date-time': isoDateTime,
  date: isoDate,
  time: (rng) => `${pad(int(rng, 0, 23))}:${pad(int(rng, 0, 59))}:${pad(int(rng, 0, 59))}Z`,
  duration: (rng) => `P${int(rng, 1, 30)}DT${int(rng, 1, 23)}H`,
  email,
  'idn-email': email,
  hostname: (rng) => `${pick(rng, ['api', 'www', 'app', 'mail'])}.${pick(rng, DOMAINS)}`,
  'idn-hostname': (rng) => `${pick(rng, ['api', 'www', 'app'])}.${pick(rng, DOMAINS)}`,
  ipv4: (rng) => `${int(rng, 10, 192)}.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`,
  ipv6: (rng) => `2001:db8:${hex(rng, 4)}:${hex(rng, 4)}::${hex(rng, 3).replace(/^0+/, '') || '1'}`,
  uri: (rng, prop) => urlFor(rng, prop),
  url: (rng, prop) => urlFor(rng, prop),
  iri: (rng, prop) => urlFor(rng, prop),
  'uri-reference': (rng) => `/${pick(rng, WORDS)}/${int(rng, 1, 999)}`,
  'iri-reference': (rng) => `/${pick(rng, WORDS)}/${int(rng, 1, 999)}`,
  'uri-template': (rng) => `https://${pick(rng, DOMAINS)}/${pick(rng, WORDS)}/{id}`,
  uuid,
  'json-pointer': (rng) => `/${pick(rng, WORDS)}/${int(rng, 0, 9)}`,
  'relative-json-pointer': (rng) => `${int(rng, 0, 3)}/${pick(rng, WORDS)}`,
  regex: () => '^[a-z0-9-]+$',
  byte: (rng) => base64(loremWords(rng, 2)),
  base64: (rng) => base64(loremWords(rng, 2)),
  binary: (rng) => loremWords(rng, 3),
  password: (rng) => `${titleCase(pick(rng, WORDS))}-${hex(rng, 6)}!`,
};

function urlFor(rng: Rng, prop: string | undefined): string {
  const tokens = prop === undefined ? [] : words(prop);
  if (tokens.some((t) => IMAGE_WORDS.has(t)))
    return `https://images.${pick(rng, DOMAINS)}/${hex(rng, 8)}.png`;
  return `https://${pick(rng, DOMAINS)}/${pick(rng, WORDS)}/${int(rng, 1, 9999)}`;
}

const IMAGE_WORDS = new Set(['avatar', 'image', 'photo', 'picture', 'logo', 'icon', 'thumbnail', 'img']);

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

/** A realistic string for a property name, or undefined when the name says nothing. */
export function stringByName(name: string, rng: Rng, shape: Shape): string | undefined {
  const tokens = words(name);
  if (tokens.length === 0) return undefined;
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  const has = (...words: string[]): boolean => words.some((w) => tokens.includes(w));
  if (last === 'email' || joined === 'emailaddress' || joined === 'mail') return email(rng);
  if (last === 'uuid' || last === 'guid') return uuid(rng);
  if (joined === 'id' || last === 'id' || last === 'ids') return uuid(rng);
  if (joined === 'firstname' || joined === 'givenname') return personName(rng)[0];
  if (joined === 'lastname' || joined === 'surname' || joined === 'familyname') return personName(rng)[1];
  if (['username', 'login', 'handle', 'nickname', 'screenname', 'userlogin'].includes(joined)) {
    const [first, last2] = personName(rng);
    return `${slug(first)}${slug(last2).slice(0, 1)}${int(rng, 1, 99)}`;
  }
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
    ].includes(joined)
  ) {
    return pick(rng, COMPANIES);
  }
  if (joined === 'filename' || joined === 'file')
    return `${pick(rng, WORDS)}-${int(rng, 1, 99)}.${pick(rng, ['pdf', 'png', 'txt', 'csv'])}`;
  if (joined === 'hostname' || joined === 'host' || joined === 'domain' || joined === 'domainname')
    return `${pick(rng, ['api', 'www', 'app'])}.${pick(rng, DOMAINS)}`;
  if (
    last === 'name' &&
    (tokens.length === 1 ||
      has(
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
      ))
  ) {
    return personName(rng).join(' ');
  }
  if (last === 'name') return titleCase(loremWords(rng, 2));
  if (has('phone', 'mobile', 'telephone', 'tel', 'fax', 'msisdn'))
    return `+1-555-${pad(int(rng, 100, 999), 3)}-${pad(int(rng, 0, 9999), 4)}`;
  if (last === 'city' || last === 'town' || last === 'locality') return pick(rng, CITIES);
  if (
    joined === 'countrycode' ||
    (last === 'country' && shape.maxLength !== undefined && shape.maxLength <= 3)
  )
    return pick(rng, COUNTRY_CODES);
  if (last === 'country') return pick(rng, COUNTRIES);
  if (joined === 'state' && has('address')) return pick(rng, STATES);
  if (['region', 'province', 'county'].includes(last)) return pick(rng, STATES);
  if (
    ['street', 'address', 'addressline', 'line1', 'address1', 'streetaddress', 'addressline1'].includes(
      joined,
    )
  ) {
    return `${int(rng, 1, 999)} ${pick(rng, STREETS)}`;
  }
  if (['line2', 'address2', 'addressline2'].includes(joined))
    return `Apt ${int(rng, 1, 40)}${pick(rng, ['A', 'B', 'C'])}`;
  if (['zip', 'zipcode', 'postalcode', 'postcode', 'postal'].includes(joined))
    return pad(int(rng, 10000, 99999), 5);
  if (last === 'currency' || joined === 'currencycode') return pick(rng, CURRENCIES);
  if (
    ['url', 'uri', 'href', 'link', 'website', 'homepage', 'permalink'].includes(last) ||
    tokens.some((t) => IMAGE_WORDS.has(t))
  ) {
    return urlFor(rng, name);
  }
  if (
    [
      'description',
      'summary',
      'bio',
      'about',
      'message',
      'body',
      'text',
      'comment',
      'note',
      'notes',
      'details',
      'reason',
      'content',
    ].includes(last)
  ) {
    return sentence(rng);
  }
  if (['title', 'subject', 'headline', 'label', 'caption'].includes(last))
    return titleCase(loremWords(rng, 3));
  if (isTimestampName(tokens, joined)) return isoDateTime(rng);
  if (last === 'date' || joined === 'dob' || joined === 'birthday' || (last === 'on' && tokens.length > 1))
    return isoDate(rng);
  if (joined === 'time') return FORMAT_GENERATORS.time(rng);
  if (last === 'color' || last === 'colour') return `#${hex(rng, 6)}`;
  if (joined === 'locale') return pick(rng, ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'ja-JP']);
  if (joined === 'language' || joined === 'lang') return pick(rng, ['en', 'fr', 'de', 'ja', 'es']);
  if (joined === 'timezone' || joined === 'tz' || joined === 'timezonename') return pick(rng, TIMEZONES);
  if (joined === 'ip' || joined === 'ipaddress' || last === 'ip') return FORMAT_GENERATORS.ipv4(rng);
  if (last === 'slug') return `${pick(rng, WORDS)}-${pick(rng, WORDS)}-${int(rng, 1, 99)}`;
  if (['sha', 'hash', 'etag', 'checksum', 'digest', 'commit', 'sha1'].includes(last)) return hex(rng, 40);
  if (['token', 'secret', 'apikey', 'key', 'nonce', 'signature'].includes(last)) return hex(rng, 32);
  if (last === 'version') return `${int(rng, 0, 5)}.${int(rng, 0, 20)}.${int(rng, 0, 9)}`;
  if (last === 'status' || joined === 'state') return pick(rng, STATUSES);
  if (['type', 'kind', 'category'].includes(last)) return pick(rng, ['standard', 'premium', 'basic']);
  if (['password', 'passwd', 'passphrase'].includes(last)) return FORMAT_GENERATORS.password(rng);
  if (last === 'path' || joined === 'filepath') return `/${pick(rng, WORDS)}/${pick(rng, WORDS)}.txt`;
  if (['mimetype', 'contenttype', 'mediatype'].includes(joined)) return pick(rng, MIME_TYPES);
  if (last === 'tag' || last === 'keyword' || last === 'topic') return pick(rng, WORDS);
  if (last === 'sku' || last === 'code')
    return `${pick(rng, WORDS).slice(0, 3).toUpperCase()}-${int(rng, 1000, 9999)}`;
  return undefined;
}

/** A realistic number for a property name, or undefined. */
export function numberByName(name: string, ctx: Ctx, integer: boolean): number | undefined {
  const rng = ctx.rng;
  const tokens = words(name);
  if (tokens.length === 0) return undefined;
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  const money = (): number => (integer ? int(rng, 100, 50000) : roundTo(int(rng, 500, 50000) / 100, 2));
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
    return pick(rng, [10, 20, 50, 100]);
  return undefined;
}
