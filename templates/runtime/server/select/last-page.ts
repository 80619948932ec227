/**
 * A request that continues a pagination (a cursor, page token, `starting_after`, `page` ≥ 2) gets
 * the documented answer as the last page (next cursor `''`, `has_more: false`), so SDK
 * auto-pagination ends: a documented page announces a next page whatever was asked.
 */
import { continuesPagination } from '../../pagination';
import { documentedAnswer } from './documented';
import type { SelectionRule } from './rule';

export const lastPage: SelectionRule = {
  name: 'last page',
  applies: (x) => continuesPagination(x.request!.query, x.request!.body),
  session: false,
  answer: (p, x) => documentedAnswer(p, x, true),
};
