/** The shape of one response-selection rule (see index.ts for the table). */
import type { BuiltResponse } from '../../respond';
import type { MaybePromise } from '../../store/maybe';
import type { Exchange, Pipeline } from '../context';

export interface SelectionRule {
  /** as in the README's table */
  name: string;
  /** whether the rule may answer this request at all: cheap, reads no state */
  applies(x: Exchange): boolean;
  /**
   * the rule reads or changes the session (`x.state` is loaded from the store before `answer`);
   * a function for a rule that needs it only for some requests (cheap, reads no state)
   */
  session: boolean | ((x: Exchange) => boolean);
  /** the answer, or undefined to leave the request to the next rule */
  answer(p: Pipeline, x: Exchange): MaybePromise<BuiltResponse | undefined>;
}
