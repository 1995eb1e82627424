// A small HTML tokenizer for tests: enough to prove a report parses as well-formed HTML (every element closed in
// order, raw-text elements kept whole) and to list its elements, attributes and script contents.

export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  /** Raw text of script and style elements. */
  text?: string;
}

export interface ParsedHtml {
  elements: HtmlElement[];
  errors: string[];
  /** Text outside tags, entities left as they are. */
  text: string;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW = new Set(['script', 'style', 'textarea', 'title']);

export function parseHtml(html: string): ParsedHtml {
  const elements: HtmlElement[] = [];
  const errors: string[] = [];
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) errors.push(`unclosed comment at ${lt}`);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (/^<!doctype html>/i.test(html.slice(lt, lt + 15))) {
      i = lt + 15;
      continue;
    }
    const close = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/.exec(html.slice(lt));
    if (close) {
      const tag = close[1]!.toLowerCase();
      const top = stack.pop();
      if (top !== tag) errors.push(`</${tag}> at ${lt} closes <${top ?? 'nothing'}>`);
      i = lt + close[0].length;
      continue;
    }
    const open =
      /^<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/.exec(
        html.slice(lt),
      );
    if (!open) {
      errors.push(`stray "<" at ${lt}: ${JSON.stringify(html.slice(lt, lt + 30))}`);
      text += '<';
      i = lt + 1;
      continue;
    }
    const tag = open[1]!.toLowerCase();
    const attrs: Record<string, string> = {};
    for (const m of open[2]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      attrs[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
    }
    const element: HtmlElement = { tag, attrs };
    elements.push(element);
    i = lt + open[0].length;
    if (RAW.has(tag)) {
      const end = html.toLowerCase().indexOf(`</${tag}`, i);
      if (end < 0) {
        errors.push(`<${tag}> at ${lt} never closed`);
        break;
      }
      element.text = html.slice(i, end);
      if (tag === 'title' || tag === 'textarea') text += element.text;
      i = html.indexOf('>', end) + 1;
      continue;
    }
    if (!VOID.has(tag) && open[3] !== '/') stack.push(tag);
  }
  if (stack.length) errors.push(`unclosed: ${stack.join(' > ')}`);
  return { elements, errors, text };
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
