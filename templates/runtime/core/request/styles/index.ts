/** The parameter styles by OpenAPI name; which one reads a parameter is `styleFor`'s choice. */
import { deepObject } from './deep-object';
import { form } from './form';
import { label } from './label';
import { matrix } from './matrix';
import { pipeDelimited } from './pipe-delimited';
import { simple } from './simple';
import { spaceDelimited } from './space-delimited';
import { tabDelimited } from './tab-delimited';
import type { ParameterStyle } from './types';

export { StyleError, type ParameterStyle, type StyleTarget } from './types';

export const STYLES: Readonly<Record<string, ParameterStyle>> = {
  form,
  simple,
  label,
  matrix,
  spaceDelimited,
  pipeDelimited,
  tabDelimited,
  deepObject,
};

/**
 * The style that reads a parameter: the declared one where OpenAPI allows it there, else the
 * location's default (headers are always simple, cookies form, paths simple unless label/matrix).
 */
export function styleFor(location: string, style: string | undefined): ParameterStyle {
  switch (location) {
    case 'path':
      return style === 'label' || style === 'matrix' ? STYLES[style] : simple;
    case 'header':
      return simple;
    case 'cookie':
      return form;
    default: {
      const found = style !== undefined ? STYLES[style] : undefined;
      return found?.fromQuery ? found : form;
    }
  }
}
