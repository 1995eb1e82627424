/**
 * Parses Python call syntax as BFCL's prompting models write it: `[f(a=1, b='x'), g.h(c=[1, 2])]` or a bare
 * `f(a=1)`. Arguments are Python literals: numbers, strings, True/False/None, lists, tuples, dicts. Positional
 * arguments are kept under "$0", "$1"… so a mismatch can name them.
 */
export interface ParsedCall {
  name: string;
  arguments: Record<string, unknown>;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  peek(): string | undefined {
    this.ws();
    return this.s[this.i];
  }
  eat(c: string): boolean {
    if (this.peek() === c) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(c: string): void {
    if (!this.eat(c)) throw new Error(`expected "${c}" at ${this.i}`);
  }
  ident(): string {
    this.ws();
    const m = /^[A-Za-z_][\w.]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`expected a name at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }

  call(): ParsedCall {
    const name = this.ident();
    this.expect('(');
    const args: Record<string, unknown> = {};
    let positional = 0;
    while (!this.eat(')')) {
      const save = this.i;
      const m = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(this.s.slice(this.i));
      if (m) {
        this.i += m[0].length;
        args[m[1]!] = this.value();
      } else {
        this.i = save;
        args[`$${positional++}`] = this.value();
      }
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return { name, arguments: args };
  }

  value(): unknown {
    const c = this.peek();
    if (c === undefined) throw new Error('unexpected end');
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      this.i++;
      const out: unknown[] = [];
      while (!this.eat(close)) {
        out.push(this.value());
        if (!this.eat(',')) {
          this.expect(close);
          break;
        }
      }
      return out;
    }
    if (c === '{') {
      this.i++;
      const out: Record<string, unknown> = {};
      while (!this.eat('}')) {
        const k = this.value();
        this.expect(':');
        out[String(k)] = this.value();
        if (!this.eat(',')) {
          this.expect('}');
          break;
        }
      }
      return out;
    }
    if (c === '"' || c === "'") return this.string();
    const rest = this.s.slice(this.i);
    const num = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    const word = /^[A-Za-z_][\w.]*/.exec(rest);
    if (word) {
      if (word[0] === 'True' || word[0] === 'true') return ((this.i += word[0].length), true);
      if (word[0] === 'False' || word[0] === 'false') return ((this.i += word[0].length), false);
      if (word[0] === 'None' || word[0] === 'null') return ((this.i += word[0].length), null);
      // A nested call (rare in BFCL answers): keep it as its source text.
      const start = this.i;
      const inner = this.call();
      return `${inner.name}(${this.s.slice(start + inner.name.length + 1, this.i - 1)})`;
    }
    throw new Error(`unexpected "${c}" at ${this.i}`);
  }

  string(): string {
    const q = this.s[this.i]!;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let out = '';
    while (this.i < this.s.length && !this.s.startsWith(end, this.i)) {
      const c = this.s[this.i++]!;
      if (c === '\\') {
        const n = this.s[this.i++] ?? '';
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else out += c;
    }
    if (this.i >= this.s.length) throw new Error('unterminated string');
    this.i += end.length;
    return out;
  }
}

/** `[f(…), g(…)]` or `f(…)`; undefined when the text is not (only) Python calls. */
export function parsePythonCalls(text: string): ParsedCall[] | undefined {
  const s = text
    .trim()
    .replace(/^`+|`+$/g, '')
    .trim();
  if (!s) return undefined;
  try {
    const p = new Parser(s);
    const calls: ParsedCall[] = [];
    if (p.eat('[')) {
      while (!p.eat(']')) {
        calls.push(p.call());
        if (!p.eat(',')) {
          p.expect(']');
          break;
        }
      }
    } else {
      calls.push(p.call());
      while (p.eat(';') || p.eat(',')) if (p.peek() !== undefined) calls.push(p.call());
    }
    p.ws();
    return p.i >= s.length ? calls : undefined;
  } catch {
    return undefined;
  }
}
