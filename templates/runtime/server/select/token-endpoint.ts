/** The OAuth2 token endpoint (`issuesTokens`): fresh tokens, registered in the store (token-endpoint.ts). */
import { handleTokenEndpoint } from '../../token-endpoint';
import type { SelectionRule } from './rule';

export const tokenEndpoint: SelectionRule = {
  name: 'token endpoint',
  applies: (x) => x.op!.issuesTokens === true,
  session: false,
  answer: (p, x) => handleTokenEndpoint(x.op!, x.request!, p.manifest, p.store, p.tokenLifetimeS),
};
