/**
 * @faker-js/faker, driven by the generation's own PRNG: one Faker per locale whose randomizer reads
 * whatever PRNG the current value is generated with, so the same (schema, seed) still gives the same
 * value, whatever was generated before. Only the chosen locale's module is loaded (`en` unless the
 * contract or the config names another), so the emitted server loads one locale, not all of them.
 */
import type { Faker } from '@faker-js/faker';

export type Rng = () => number;

export const DEFAULT_LOCALE = 'en';

/** faker's locale module names: `en`, `de`, `en_GB`, `pt_BR`, `sr_RS_latin`... */
const LOCALE_NAME = /^[a-z]{2,3}(?:_[A-Za-z]{2,8}){0,2}$/;

let current: Rng = () => 0.5;

const instances = new Map<string, Faker>();

/** A locale name faker ships (`de-DE` and `de_DE` both name `de`'s module when there is no `de_DE`), or undefined. */
export function resolveLocale(name: string): string | undefined {
  const normalised = name.trim().replace(/-/g, '_');
  const candidates = [normalised];
  const parts = normalised.split('_');
  if (parts.length > 1) candidates.push(`${parts[0].toLowerCase()}_${parts[1].toUpperCase()}`, parts[0]);
  for (const candidate of candidates) {
    if (!LOCALE_NAME.test(candidate)) continue;
    if (candidate === DEFAULT_LOCALE || loadLocale(candidate) !== undefined) return candidate;
  }
  return undefined;
}

let fakerEn: Faker | undefined;

/**
 * `en`, loaded on first use like every locale: its data is megabytes of heap that a mock which only
 * validates (conformance checks load this module) would otherwise carry, and every garbage
 * collection would walk. `en` is served by en_US: the same English plus US postcodes by state, so an
 * address's state and ZIP agree.
 */
function english(): Faker {
  fakerEn ??= (require('@faker-js/faker/locale/en_US') as { faker: Faker }).faker;
  return fakerEn;
}

function loadLocale(name: string): Faker | undefined {
  if (name === DEFAULT_LOCALE) return english();
  try {
    return (require(`@faker-js/faker/locale/${name}`) as { faker?: Faker }).faker;
  } catch {
    return undefined;
  }
}

/** The Faker for `locale` (en when faker has no such locale), drawing from `rng` until the next call. */
export function fakerFor(rng: Rng, locale: string | undefined): Faker {
  current = rng;
  const name = locale ?? DEFAULT_LOCALE;
  let instance = instances.get(name);
  if (!instance) {
    const base = loadLocale(LOCALE_NAME.test(name) ? name : DEFAULT_LOCALE) ?? english();
    // the locale module's Faker class, so the main entry (every locale) is never loaded
    const FakerClass = base.constructor as new (options: {
      locale: Faker['rawDefinitions'];
      randomizer: { next(): number; seed(seed: number | number[]): void };
    }) => Faker;
    instance = new FakerClass({
      locale: base.rawDefinitions,
      randomizer: { next: () => current(), seed: () => undefined },
    });
    instances.set(name, instance);
  }
  return instance;
}
