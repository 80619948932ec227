/**
 * `Prefer: code=…, example=…, dynamic=true` (or Prism's `__code`, `__example`, `__dynamic`): the
 * client asked for a documented response, so no recording, resource or token endpoint answers.
 * First in the table because it overrides every behaviour rule after it.
 */
import { continuesPagination } from '../../pagination';
import { hasPreferences } from '../../core/prefer';
import { documentedAnswer } from './documented';
import type { SelectionRule } from './rule';

export const preferred: SelectionRule = {
  name: 'preferred',
  applies: (x) => hasPreferences(x.prefs!),
  session: false,
  answer: (p, x) => documentedAnswer(p, x, continuesPagination(x.request!.query, x.request!.body)),
};
