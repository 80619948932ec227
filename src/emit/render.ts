import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../paths';
import { commentText, markdownCell, markdownCode, stringLiteral } from './escape';

/**
 * Strict Handlebars, one escape helper per output context: `str` (TS string literal), `comment`
 * (block comment text), `md` (Markdown table cell), `code` (Markdown inline code). Data never goes
 * through a template: it is written to JSON files.
 */
const hbs = Handlebars.create();
hbs.registerHelper('str', (value: unknown) => stringLiteral(String(value)));
hbs.registerHelper('comment', (value: unknown) => commentText(String(value ?? '')));
hbs.registerHelper('md', (value: unknown) => markdownCell(String(value ?? '')));
hbs.registerHelper('code', (value: unknown) => markdownCode(String(value ?? '')));

const KNOWN_HELPERS = { str: true, comment: true, md: true, code: true } as const;
const cache = new Map<string, HandlebarsTemplateDelegate>();

export function renderTemplate(name: string, context: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = fs.readFileSync(path.join(templatesDir, 'project', name), 'utf8');
    template = hbs.compile(source, {
      strict: true,
      noEscape: true,
      knownHelpersOnly: true,
      knownHelpers: KNOWN_HELPERS,
      preventIndent: true,
    });
    cache.set(name, template);
  }
  return template(context);
}
