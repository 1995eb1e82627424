import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellPath, shellQuote } from '../../../../src/connection/shell-quote';

/** What /bin/sh makes of a word (printf between markers, so empty words and spaces show). */
function sh(word: string, env: Record<string, string> = {}): string {
  return execFileSync('/bin/sh', ['-c', `printf '<%s>' ${word}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

describe('shell quoting', () => {
  it('keeps every character of a quoted value literal', () => {
    for (const v of ['plain', 'with space', "it's", '$(touch /tmp/x)', '`id`', 'a"b', '*', '', 'new\nline', '\\']) {
      assert.equal(sh(shellQuote(v)), `<${v}>`, v);
    }
  });

  it('expands ~ and $VAR / ${VAR} in paths, and nothing else', () => {
    const env = { HOME: '/home/al ice', USER: 'alice', SCRATCH: '/scr' };
    assert.equal(sh(shellPath('~/evalbench'), env), '</home/al ice/evalbench>');
    assert.equal(sh(shellPath('~'), env), '</home/al ice>');
    assert.equal(sh(shellPath('/scratch/$USER/eval bench'), env), '</scratch/alice/eval bench>');
    assert.equal(sh(shellPath('${SCRATCH}/runs-$(id)'), env), '</scr/runs-$(id)>');
    assert.equal(sh(shellPath('/data/*'), env), '</data/*>');
  });

  it('stops on an unset variable instead of writing to the wrong place', () => {
    assert.throws(
      () =>
        execFileSync('/bin/sh', ['-c', `X=${shellPath('/scratch/$NOPE/x')}; echo reached`], {
          encoding: 'utf8',
          stdio: 'pipe',
          env: {},
        }),
      /NOPE/,
    );
  });
});
