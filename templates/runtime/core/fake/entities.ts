/**
 * What an object is (a person, a company, an address, a product), from its property name, its
 * schema's name and its properties; its values are made once (lazily, in generation order, so
 * seeded output stays deterministic) and shared by its properties: a customer's name, email and
 * username name the same person; an address's street, city, state, postcode and country agree.
 */
import type { Ctx, Hint } from './generate';
import { words } from '../names';
import type { Shape } from './shapes';
import { fakerFor } from './faker';
import type { Faker } from '@faker-js/faker';

export type EntityKind = 'person' | 'company' | 'address' | 'product';

export interface Entity {
  kind: EntityKind;
  values?: Record<string, string>;
}

const KIND_WORDS: Record<EntityKind, readonly string[]> = {
  person: [
    'customer',
    'user',
    'owner',
    'author',
    'person',
    'member',
    'contact',
    'employee',
    'assignee',
    'creator',
    'sender',
    'recipient',
    'reviewer',
    'committer',
    'actor',
    'profile',
    'buyer',
    'patient',
    'student',
    'teacher',
    'driver',
    'guest',
    'attendee',
    'participant',
    'subscriber',
    'requester',
    'reporter',
    'individual',
    'representative',
    'signer',
    'collaborator',
    'follower',
    'admin',
    'submitter',
    'uploader',
    'pusher',
    'merger',
    'invitee',
    'inviter',
  ],
  company: [
    'company',
    'organization',
    'organisation',
    'org',
    'business',
    'merchant',
    'vendor',
    'employer',
    'supplier',
    'brand',
    'agency',
    'enterprise',
  ],
  address: ['address', 'residence', 'shipping', 'billing'],
  product: ['product', 'item', 'article', 'offering', 'sku'],
};

const PERSON_FIELDS = new Set([
  'firstname',
  'lastname',
  'email',
  'username',
  'login',
  'fullname',
  'surname',
  'phone',
]);
const ADDRESS_FIELDS = new Set([
  'city',
  'postalcode',
  'postcode',
  'zip',
  'zipcode',
  'line1',
  'street',
  'streetaddress',
  'address1',
  'addressline1',
  'state',
  'country',
  'region',
]);

/** The entity an object's properties describe, or undefined. */
export function entityFor(shape: Shape, hint: Hint): Entity | undefined {
  const names = [...(hint.prop !== undefined ? [hint.prop] : []), ...shape.refNames.slice().reverse()];
  for (const name of names) {
    const tokens = words(name);
    const last = tokens[tokens.length - 1];
    // `billing_details` holds an address and a person; `shipping` an address
    for (const kind of ['address', 'company', 'person', 'product'] as const) {
      if (last !== undefined && KIND_WORDS[kind].includes(singular(last))) return { kind };
    }
  }
  const keys = [...shape.properties.keys()].map((key) => words(key).join(''));
  if (keys.filter((k) => ADDRESS_FIELDS.has(k)).length >= 2) return { kind: 'address' };
  const personKeys = keys.filter((k) => PERSON_FIELDS.has(k));
  if (personKeys.length >= 2 || (personKeys.length === 1 && keys.includes('name'))) return { kind: 'person' };
  return undefined;
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('ss')) return word;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** The country the locale writes addresses for (`en` → US, `de` → DE, `en_GB` → GB). */
const LANGUAGE_COUNTRY: Record<string, string> = {
  en: 'US',
  de: 'DE',
  fr: 'FR',
  es: 'ES',
  it: 'IT',
  ja: 'JP',
  nl: 'NL',
  pl: 'PL',
  sv: 'SE',
  da: 'DK',
  fi: 'FI',
  ko: 'KR',
  ru: 'RU',
  uk: 'UA',
  cs: 'CZ',
  sk: 'SK',
  hu: 'HU',
  ro: 'RO',
  tr: 'TR',
  el: 'GR',
  he: 'IL',
  vi: 'VN',
  th: 'TH',
  zh: 'CN',
  pt: 'PT',
  nb: 'NO',
};

function localeCountry(locale: string | undefined): string {
  const parts = (locale ?? 'en').split('_');
  const region = parts.find((p, i) => i > 0 && /^[A-Z]{2}$/.test(p));
  return region ?? LANGUAGE_COUNTRY[parts[0]] ?? 'US';
}

function countryName(code: string, locale: string | undefined): string {
  try {
    const language = (locale ?? 'en').split('_')[0];
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function tryOr(fn: () => string, fallback: string): string {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function domainOf(company: string): string {
  const slug = company
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);
  return `${slug || 'company'}.com`;
}

function makeValues(kind: EntityKind, f: Faker, locale: string | undefined): Record<string, string> {
  switch (kind) {
    case 'person': {
      const sex = f.person.sexType();
      const firstName = f.person.firstName(sex);
      const lastName = f.person.lastName(sex);
      return {
        firstName,
        lastName,
        fullName: f.person.fullName({ firstName, lastName, sex }),
        // faker transliterates non-Latin names for these
        email: f.internet.email({ firstName, lastName }),
        username: f.internet.username({ firstName, lastName }),
        phone: tryOr(() => f.phone.number({ style: 'international' }), `+1${f.string.numeric(10)}`),
        url: `https://${f.internet.domainName()}`,
      };
    }
    case 'company': {
      const name = f.company.name();
      const domain = domainOf(name);
      return {
        name,
        email: `${f.helpers.arrayElement(['info', 'contact', 'hello', 'sales'])}@${domain}`,
        url: `https://www.${domain}`,
        phone: tryOr(() => f.phone.number({ style: 'international' }), `+1${f.string.numeric(10)}`),
      };
    }
    case 'address': {
      const code = localeCountry(locale);
      // one index into both lists: `Texas` and `TX`, and the postcode is one of TX's
      const states = f.rawDefinitions.location?.state ?? [];
      const abbreviations = f.rawDefinitions.location?.state_abbr ?? [];
      const index = states.length > 0 ? f.number.int(states.length - 1) : -1;
      const state = index >= 0 ? states[index] : '';
      const stateCode = abbreviations.length === states.length && index >= 0 ? abbreviations[index] : state;
      return {
        street: f.location.streetAddress(),
        line2: f.location.secondaryAddress(),
        city: f.location.city(),
        state: state,
        stateCode,
        postcode: tryOr(
          () => f.location.zipCode({ state: stateCode }),
          tryOr(() => f.location.zipCode(), '10001'),
        ),
        country: countryName(code, locale),
        countryCode: code,
      };
    }
    case 'product': {
      return {
        name: f.commerce.productName(),
        description: f.commerce.productDescription(),
        price: f.commerce.price({ min: 1, max: 1000 }),
        category: f.commerce.department(),
      };
    }
  }
}

/** Which of the entity's values a property (or a format, `want`) asks for. */
function fieldFor(kind: EntityKind, tokens: string[], shape: Shape | undefined): string | undefined {
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  switch (kind) {
    case 'person':
      if (last === 'email' || joined === 'emailaddress') return 'email';
      if (['firstname', 'givenname', 'first'].includes(joined)) return 'firstName';
      if (['lastname', 'surname', 'familyname', 'last'].includes(joined)) return 'lastName';
      if (['username', 'login', 'handle', 'nickname', 'screenname', 'userlogin'].includes(joined))
        return 'username';
      if (['name', 'fullname', 'displayname', 'realname'].includes(joined)) return 'fullName';
      if (last === 'phone' || joined === 'phonenumber' || joined === 'mobile') return 'phone';
      if (['url', 'website', 'blog', 'homepage'].includes(joined)) return 'url';
      return undefined;
    case 'company':
      if (
        ['name', 'companyname', 'displayname', 'legalname', 'businessname', 'organizationname'].includes(
          joined,
        )
      )
        return 'name';
      if (last === 'email') return 'email';
      if (['url', 'website', 'homepage', 'blog'].includes(joined)) return 'url';
      if (last === 'phone' || joined === 'phonenumber') return 'phone';
      return undefined;
    case 'address':
      if (
        ['street', 'line1', 'address1', 'addressline1', 'streetaddress', 'address', 'street1'].includes(
          joined,
        )
      )
        return 'street';
      if (['line2', 'address2', 'addressline2', 'street2'].includes(joined)) return 'line2';
      if (['city', 'town', 'locality'].includes(joined)) return 'city';
      if (['state', 'region', 'province', 'county'].includes(joined))
        return shape?.maxLength !== undefined && shape.maxLength <= 3 ? 'stateCode' : 'state';
      if (['postalcode', 'postcode', 'zip', 'zipcode', 'postal'].includes(joined)) return 'postcode';
      if (joined === 'countrycode') return 'countryCode';
      if (joined === 'country')
        return shape?.maxLength !== undefined && shape.maxLength <= 3 ? 'countryCode' : 'country';
      return undefined;
    case 'product':
      if (['name', 'title', 'productname'].includes(joined)) return 'name';
      if (['description', 'summary', 'details'].includes(joined)) return 'description';
      if (['category', 'department'].includes(joined)) return 'category';
      return undefined;
  }
}

/**
 * The value the enclosing entity gives the property `hint.prop` (or its field `want`: `email`,
 * `phone`, `url` for a format), or undefined when there is none.
 */
export function entityString(
  ctx: Ctx,
  hint: Hint,
  want: 'email' | 'phone' | 'url' | undefined,
  shape?: Shape,
): string | undefined {
  const entity = hint.entity;
  if (!entity || hint.prop === undefined) return undefined;
  const field = fieldFor(entity.kind, words(hint.prop), shape);
  if (field === undefined || (want !== undefined && field !== want)) return undefined;
  entity.values ??= makeValues(entity.kind, fakerFor(ctx.rng, ctx.locale), ctx.locale);
  const value = entity.values[field];
  return value === undefined || value === '' ? undefined : value;
}
