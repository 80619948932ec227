/** Every other media type: a binary string (latin1, one char per byte, so `maxLength` counts bytes). */
import type { BodyParser } from './types';

export const raw: BodyParser = {
  accepts: () => true,
  parse: (input) => (typeof input.raw === 'string' ? input.raw : input.raw.toString('latin1')),
};
