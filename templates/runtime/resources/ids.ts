/** Ids for created resources, in the recorded format (integer, uuid, prefixed like `cus_…`, shaped like a sample). */
import { randomInt, randomUUID } from 'node:crypto';
import type { ResourceStore } from '../session';
import { shapeToken } from '../tokens';
import type { IdFormat, ResourceSpec } from '../core/types';
import { SEED_PARENT, findItem } from './collection';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function generateId(format: IdFormat, store: ResourceStore, sample: string | undefined): string {
  switch (format.kind) {
    case 'integer':
      return String(store.nextInt);
    case 'uuid':
      return randomUUID();
    case 'prefixed': {
      const prefix = format.prefix ?? '';
      const length = format.length ?? (sample ? Math.max(sample.length - prefix.length, 8) : 24);
      return prefix + randomString(length, format.alphabet || ALNUM);
    }
    case 'string':
      if (format.length !== undefined || format.alphabet !== undefined) {
        return randomString(format.length ?? 16, format.alphabet || ALNUM);
      }
      return sample ? shapeToken(sample) : randomString(16, ALNUM);
  }
}

export function newId(
  spec: ResourceSpec,
  store: ResourceStore,
  sample: string | undefined,
  parent = SEED_PARENT,
): string {
  if (spec.idFormat.kind === 'integer') {
    // every stored id that reads as an integer is below nextInt (addItem): the next one is free
    const id = String(store.nextInt);
    store.nextInt += 1;
    return id;
  }
  for (let attempt = 0; ; attempt++) {
    const id = generateId(spec.idFormat, store, sample);
    // findItem is a map lookup: creating stays O(1) however many resources the store holds
    if (!findItem(store, parent, id) || attempt > 20) return id;
  }
}

/** The id as the resource holds it: a number for integer ids unless the resource shape uses strings. */
export function typedId(spec: ResourceSpec, id: string, sample: unknown): string | number {
  if (spec.idFormat.kind !== 'integer' || typeof sample === 'string') return id;
  const numeric = Number(id);
  return Number.isSafeInteger(numeric) ? numeric : id;
}
