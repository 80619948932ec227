import assert from 'node:assert/strict';
import { createAjv } from '../../templates/runtime/core/ajv';
import { FORMAT_CHECKS, generateValue } from '../../templates/runtime/core/fake';
import type { JsonSchema } from '../../templates/runtime/core/types';

/** Formats a contract may use, each generated for many seeds and checked by Ajv (+ ajv-formats) or our own check. */
const FORMATS = [
  'date',
  'date-time',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'url',
  'uuid',
  'byte',
  'binary',
  'password',
  'decimal',
  'decimal_string',
  'int64',
  'int32',
  'double',
  'float',
  'currency',
  'country-code',
  'country',
  'language',
  'locale',
  'iban',
  'bic',
  'mac',
  'color',
  'phone',
  'timezone',
  'semver',
  'cron',
];

const ajv = createAjv();

function formatValid(format: string, value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  const own = FORMAT_CHECKS[format];
  if (own) return own(value);
  return ajv.compile({ type: 'string', format })(value);
}

describe('data: production-like values (faker)', () => {
  for (const format of FORMATS) {
    it(`gives valid, varied \`format: ${format}\` strings`, () => {
      const values = new Set<string>();
      for (let seed = 0; seed < 25; seed++) {
        const value = generateValue({ type: 'string', format }, {}, { seed });
        assert.ok(formatValid(format, value), `${format}: ${JSON.stringify(value)} (seed ${seed})`);
        values.add(value as string);
      }
      if (format !== 'binary') assert.ok(values.size >= 10, `${format}: only ${values.size} distinct values`);
    });
  }

  it('keeps a date-time valid RFC 3339 when a pattern is also given', () => {
    const schema = {
      type: 'string',
      format: 'date-time',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$',
    };
    const check = ajv.compile(schema);
    for (let seed = 0; seed < 20; seed++) {
      const value = generateValue(schema, {}, { seed });
      assert.ok(check(value), `${JSON.stringify(value)} (seed ${seed})`);
    }
  });

  it('gives decimals, not words, to Stripe-style decimal strings (the SDK parses them)', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['unit_amount_decimal', 'price', 'amount'],
      properties: {
        unit_amount_decimal: { type: 'string', format: 'decimal' },
        price: { type: 'string', format: 'decimal_string' },
        amount: { type: 'string', format: 'decimal', maxLength: 12 },
      },
    };
    for (let seed = 0; seed < 20; seed++) {
      const value = generateValue(schema, {}, { seed }) as Record<string, string>;
      for (const [key, text] of Object.entries(value)) {
        assert.match(text, /^-?\d+(\.\d+)?$/, `${key}: ${text}`);
        assert.ok(Number.isFinite(Number(text)));
      }
    }
  });

  const person: JsonSchema = {
    type: 'object',
    required: ['customer'],
    properties: {
      customer: {
        type: 'object',
        required: ['first_name', 'last_name', 'name', 'email', 'username'],
        properties: {
          first_name: { type: 'string' },
          last_name: { type: 'string' },
          name: { type: 'string' },
          email: { type: 'string', format: 'email' },
          username: { type: 'string' },
        },
      },
    },
  };

  it('gives a customer one person: name, email and username agree', () => {
    const simple = (s: string) =>
      s
        .normalize('NFKD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase();
    for (let seed = 0; seed < 20; seed++) {
      const { customer } = generateValue(person, {}, { seed }) as { customer: Record<string, string> };
      assert.equal(customer.name.includes(customer.first_name), true, JSON.stringify(customer));
      assert.equal(customer.name.includes(customer.last_name), true, JSON.stringify(customer));
      const local = simple(customer.email.split('@')[0]);
      assert.ok(
        local.includes(simple(customer.first_name)) || local.includes(simple(customer.last_name)),
        JSON.stringify(customer),
      );
      const user = simple(customer.username);
      assert.ok(
        user.includes(simple(customer.first_name)) || user.includes(simple(customer.last_name)),
        JSON.stringify(customer),
      );
    }
  });

  it('gives an address a street, city, state, postcode and country that agree', () => {
    const address: JsonSchema = {
      type: 'object',
      required: ['line1', 'city', 'state', 'postal_code', 'country'],
      properties: {
        line1: { type: 'string' },
        city: { type: 'string' },
        state: { type: 'string', maxLength: 2 },
        postal_code: { type: 'string' },
        country: { type: 'string', maxLength: 2 },
      },
    };
    // US ZIP prefixes by state (first digit): the postcode lies in the state
    const firstDigit: Record<string, string> = {
      NY: '01',
      CA: '9',
      TX: '7',
      WA: '9',
      FL: '3',
      IL: '6',
      MA: '0',
    };
    for (let seed = 0; seed < 40; seed++) {
      const value = generateValue(
        { type: 'object', required: ['address'], properties: { address } },
        {},
        { seed },
      ) as {
        address: Record<string, string>;
      };
      const a = value.address;
      assert.equal(a.country, 'US', JSON.stringify(a));
      assert.match(a.state, /^[A-Z]{2}$/, JSON.stringify(a));
      assert.match(a.postal_code, /^\d{5}(-\d{4})?$/, JSON.stringify(a));
      const digits = firstDigit[a.state];
      if (digits) assert.ok(digits.includes(a.postal_code[0]), JSON.stringify(a));
    }
    const de = generateValue(address, {}, { seed: 3, locale: 'de' }) as Record<string, string>;
    assert.equal(de.country, 'DE');
    assert.match(de.postal_code, /^\d{5}$/);
  });

  it('gives a company a company name and its own web address', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['company'],
      properties: {
        company: {
          type: 'object',
          required: ['name', 'website'],
          properties: { name: { type: 'string' }, website: { type: 'string', format: 'uri' } },
        },
      },
    };
    const { company } = generateValue(schema, {}, { seed: 5 }) as { company: Record<string, string> };
    const slug = company.name.toLowerCase().replace(/[^a-z0-9]+/g, '');
    assert.ok(company.website.includes(slug.slice(0, 24)), JSON.stringify(company));
  });

  it('is deterministic per (schema, seed, locale), whatever ran before', () => {
    const a = JSON.stringify(generateValue(person, {}, { seed: 'x' }));
    generateValue(person, {}, { seed: 'other', locale: 'ja' });
    const b = JSON.stringify(generateValue(person, {}, { seed: 'x' }));
    assert.equal(a, b);
    assert.notEqual(a, JSON.stringify(generateValue(person, {}, { seed: 'y' })));
  });

  it('writes names in the chosen locale', () => {
    const ja = generateValue(person, {}, { seed: 1, locale: 'ja' }) as { customer: Record<string, string> };
    assert.match(ja.customer.name, /[\u3040-\u30ff\u4e00-\u9faf]/, ja.customer.name);
    assert.match(ja.customer.email, /^[\x21-\x7e]+@[a-z0-9.-]+$/i, 'emails stay ASCII');
    const en = generateValue(person, {}, { seed: 1 }) as { customer: Record<string, string> };
    assert.match(en.customer.name, /^[A-Za-z' .-]+$/, en.customer.name);
  });

  it('gives named fields what their names say', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['email', 'phone', 'city', 'currency', 'website', 'country_code', 'company_name'],
      properties: {
        email: { type: 'string' },
        phone: { type: 'string' },
        city: { type: 'string' },
        currency: { type: 'string' },
        website: { type: 'string' },
        country_code: { type: 'string' },
        company_name: { type: 'string' },
      },
    };
    const value = generateValue(schema, {}, { seed: 2 }) as Record<string, string>;
    assert.match(value.email, /^[^@\s]+@[^@\s]+\.[a-z]+$/);
    assert.match(value.phone, /^\+\d{7,15}$/);
    assert.match(value.currency, /^[A-Z]{3}$/);
    assert.match(value.website, /^https:\/\//);
    assert.match(value.country_code, /^[A-Z]{2}$/);
    for (const text of Object.values(value)) assert.ok(!/lorem|^string$/i.test(text), text);
  });
});
