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

/** The answer to a valid request. */
export function selectResponse(p: Pipeline, x: Exchange): MaybePromise<BuiltResponse> {
  const answer = runRules(p, x, 0);
  const save = p.store.save;
  if (save === undefined) return answer;
  const saved = (built: BuiltResponse): MaybePromise<BuiltResponse> => {
    if (x.state === undefined) return built;
    const done = save.call(p.store, x.state);
    return done instanceof Promise ? done.then(() => built) : built;
  };
  return answer instanceof Promise ? answer.then(saved) : saved(answer);
}

function runRules(p: Pipeline, x: Exchange, from: number): MaybePromise<BuiltResponse> {
  for (let i = from; i < RULES.length; i++) {
    const rule = RULES[i];
    if (!rule.applies(x)) continue;
    if (rule.session && x.state === undefined) {
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
