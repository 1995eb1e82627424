import { shellQuote } from '../../common/shell-quote';

export { shellQuote };

/**
 * A path as profiles write it ("~/evalbench", "/scratch/$USER/evalbench") for the remote shell: a leading `~`
 * and `$VAR`/`${VAR}` are expanded there (an unset variable stops the script with an error, `${VAR?}`); every
 * other character is quoted, so nothing else (command substitution, globs, spaces) is interpreted.
 */
export function shellPath(p: string): string {
  let rest = p;
  let out = '';
  if (rest === '~' || rest.startsWith('~/')) {
    out = '"${HOME?}"';
    rest = rest.slice(1);
  }
  const re = /\$\{(\w+)\}|\$(\w+)/g;
  let last = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index > last) out += shellQuote(rest.slice(last, m.index));
    out += `"\${${m[1] ?? m[2]}?}"`;
    last = m.index + m[0].length;
  }
  if (last < rest.length) out += shellQuote(rest.slice(last));
  return out === '' ? "''" : out;
}
