import { strict as assert } from 'node:assert';

/** A small strict XML reader for reporter tests: well-formedness (nesting, entities, attribute quoting, characters). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Characters an XML 1.0 document cannot hold, even as references. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decode(text: string): string {
  assert.doesNotMatch(text, /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/, `bare & in ${text}`);
  assert.doesNotMatch(text, /</, `bare < in ${text}`);
  assert.ok(!text.includes(']]>'), `]]> in character data: ${text}`);
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    const char = String.fromCodePoint(code);
    assert.doesNotMatch(char, NOT_XML, `&${e}; refers to a character XML 1.0 forbids`);
    return char;
  });
}

export function parseXml(xml: string): XmlElement {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
  assert.doesNotMatch(xml, NOT_XML, 'characters XML 1.0 cannot carry');
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<\?[^?]*\?>|<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(xml)) !== null) {
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      stack[stack.length - 1].text += decode(m[5]);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      const open = stack.pop();
      assert.equal(open?.name, m[2], `</${m[2]}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w.-]+)="([^"]*)"/g)) {
      assert.ok(!(a[1] in attrs), `duplicate attribute ${a[1]}`);
      // literal tabs and newlines in attribute values are normalised to spaces by XML parsers
      attrs[a[1]] = decode(a[2].replace(/[\t\n\r]/g, ' '));
    }
    const el: XmlElement = { name: m[2], attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(el);
    if (!m[4]) stack.push(el);
  }
  assert.equal(pos, xml.length, `XML not well-formed at ${pos}: ${xml.slice(pos, pos + 40)}`);
  assert.equal(stack.length, 1, 'unclosed elements');
  const elements = root.children;
  assert.equal(elements.length, 1, 'one root element');
  assert.equal(root.text.trim(), '', 'no text outside the root element');
  return elements[0];
}

interface ElementRule {
  required?: string[];
  optional?: string[];
  children?: string[];
  /** character data allowed (mixed content) */
  text?: boolean;
}

/** Time in seconds as Surefire writes it (junit-10.xsd `SUREFIRE_TIME`). */
const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;
const COUNT = /^(0|[1-9][0-9]*)$/;

/**
 * The Jenkins xUnit plugin's `junit-10.xsd` (the schema Jenkins and GitLab readers follow),
 * transcribed: which attributes and children each element may have.
 */
const JUNIT_10: Record<string, ElementRule> = {
  testsuites: { optional: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'] },
  testsuite: {
    required: ['name', 'tests', 'failures', 'errors'],
    optional: ['group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
  },
  properties: { children: ['property'] },
  property: { required: ['name', 'value'] },
  testcase: {
    required: ['name'],
    optional: ['time', 'classname', 'group'],
    children: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
  },
  failure: { optional: ['type', 'message'], text: true },
  error: { optional: ['type', 'message'], text: true },
  skipped: { optional: ['type', 'message'], text: true },
  'system-out': { text: true },
  'system-err': { text: true },
};

/** Asserts that a parsed document follows junit-10.xsd (elements, attributes, counts and times). */
export function assertJunit10(el: XmlElement, where = ''): void {
  const path = `${where}/${el.name}`;
  const rule = JUNIT_10[el.name];
  assert.ok(rule, `${path}: element not in junit-10.xsd`);
  const allowed = new Set([...(rule.required ?? []), ...(rule.optional ?? [])]);
  for (const name of rule.required ?? []) assert.ok(name in el.attrs, `${path}: @${name} is required`);
  for (const name of Object.keys(el.attrs)) assert.ok(allowed.has(name), `${path}: @${name} not allowed`);
  for (const name of ['tests', 'failures', 'errors', 'skipped'])
    if (name in el.attrs) assert.match(el.attrs[name], COUNT, `${path}/@${name}`);
  if ('time' in el.attrs && el.name !== 'testcase')
    assert.match(el.attrs.time, SUREFIRE_TIME, `${path}/@time`);
  if (!rule.text) assert.equal(el.text.trim(), '', `${path}: no character data allowed`);
  for (const c of el.children) {
    assert.ok((rule.children ?? []).includes(c.name), `${path}: <${c.name}> not allowed here`);
    assertJunit10(c, path);
  }
}
