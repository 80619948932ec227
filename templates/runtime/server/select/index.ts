/**
 * The select stage: response selection as an ordered table of rules. The first rule that applies
 * and answers wins; a rule answering undefined leaves the request to the next. A new rule is one
 * file and one line in `RULES`.
 *
 * The session is read from the store once, by the first rule that needs it, and handed back to the
 * store (`save`) once the answer is chosen. With the in-memory store no promise is made.
 */
import type { BuiltResponse } from '../../respond';
import type { MaybePromise } from '../../store/maybe';
import { StoreUnavailableError } from '../../store/unavailable';
import type { Exchange, Pipeline } from '../context';
import { documented } from './documented';
import { lastPage } from './last-page';
import { preferred } from './preferred';
import { recorded } from './recorded';
import type { SelectionRule } from './rule';
import { stateful } from './stateful';
import { tokenEndpoint } from './token-endpoint';

export const RULES: readonly SelectionRule[] = [
  preferred,
  tokenEndpoint,
  recorded,
  stateful,
  lastPage,
  // always answers
  documented,
];

/** selections of one request before it is refused: replicas kept changing its session first */
const MAX_ATTEMPTS = 50;

/** The answer to a valid request. */
export function selectResponse(p: Pipeline, x: Exchange): MaybePromise<BuiltResponse> {
  const answer = runRules(p, x, 0);
  const store = p.store;
  if (store.save === undefined) return answer;
  if (!(answer instanceof Promise)) return saved(p, x, answer, 1);
  return answer.then(
    (built) => saved(p, x, built, 1),
    (err: unknown) => abandoned(p, x, err),
  );
}

/** Hands the session back; selects again when another replica changed it since it was read. */
function saved(p: Pipeline, x: Exchange, built: BuiltResponse, attempt: number): MaybePromise<BuiltResponse> {
  const state = x.state;
  if (state === undefined) return built;
  const done = p.store.save!(state);
  const next = (ok: void | boolean): MaybePromise<BuiltResponse> => {
    if (ok !== false) return built;
    x.state = undefined;
    if (attempt >= MAX_ATTEMPTS) {
      throw new StoreUnavailableError(
        `session changed by other replicas ${attempt} times while it was answered`,
      );
    }
    const again = runRules(p, x, 0);
    return again instanceof Promise
      ? again.then(
          (b) => saved(p, x, b, attempt + 1),
          (err: unknown) => abandoned(p, x, err),
        )
      : saved(p, x, again, attempt + 1);
  };
  return done instanceof Promise ? done.then(next) : next(done);
}

function abandoned(p: Pipeline, x: Exchange, err: unknown): never {
  if (x.state !== undefined) p.store.abandon?.(x.state);
  throw err;
}

function runRules(p: Pipeline, x: Exchange, from: number): MaybePromise<BuiltResponse> {
  for (let i = from; i < RULES.length; i++) {
    const rule = RULES[i];
    if (!rule.applies(x)) continue;
    const needs = rule.session;
    if (x.state === undefined && (needs === true || (needs !== false && needs(x)))) {
      const state = p.store.session(x.session);
      if (state instanceof Promise) {
        return state.then((loaded) => {
          x.state = loaded;
          return runRules(p, x, i);
        });
      }
      x.state = state;
    }
    const answer = rule.answer(p, x);
    if (answer === undefined) continue;
    if (answer instanceof Promise) {
      const next = i + 1;
      return answer.then((built) => built ?? runRules(p, x, next));
    }
    return answer;
  }
  // unreachable: the last rule always answers
  throw new Error(`no selection rule answered ${x.op?.id ?? 'the request'}`);
}
