import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCommandLine, UsageError } from '../../../../remote-agent/cli/args';
import type { OptionTable } from '../../../../remote-agent/cli/option-table';
import { COMMANDS } from '../../../../remote-agent/commands';

const ROOT = path.resolve(__dirname, '../../../..');
const AGENT = path.join(ROOT, 'dist/agent.js');
const agent = (...args: string[]) => spawnSync(process.execPath, [AGENT, ...args], { encoding: 'utf8' });

const OPTIONS: OptionTable = {
  workspace: { type: 'string', value: 'DIR', help: '' },
  samples: { type: 'string', value: 'N', help: '' },
  json: { type: 'boolean', help: '' },
  out: { type: 'string', short: 'o', value: 'FILE', help: '' },
};

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv, OPTIONS);
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    return err.message;
  }
  assert.fail(`${argv.join(' ')} parsed`);
}

describe('the command line parser', () => {
  it('reads --name value, --name=value, short aliases, booleans, positionals and --', () => {
    const parsed = parseCommandLine(
      ['RUN', '--workspace', 'ws', '--samples=5', '-o', '-', '--json', '--', '--not-an-option'],
      OPTIONS,
    );
    assert.equal(parsed.help, false);
    if (parsed.help) return;
    const a = parsed.args;
    assert.deepEqual(
      [a.string('workspace'), a.int('samples'), a.string('out'), a.has('json'), a.positional],
      ['ws', 5, '-', true, ['RUN', '--not-an-option']],
    );
  });

  it('answers help for -h or --help anywhere, even beside a bad option', () => {
    assert.equal(parseCommandLine(['--bogus', '-h'], OPTIONS).help, true);
    assert.equal(parseCommandLine(['RUN', '--help'], OPTIONS).help, true);
    const value = parseCommandLine(['--workspace', '--help'], OPTIONS);
    assert.equal(value.help, true, 'an option that looks like help is help, not a value');
  });

  it('names an unknown option with the nearest known one, and no guess when nothing is near', () => {
    assert.equal(usageError(['--worksapce', 'x']), 'unknown option --worksapce (did you mean --workspace?)');
    assert.equal(usageError(['--zzzzzzzzzz']), 'unknown option --zzzzzzzzzz');
  });

  it('refuses a missing value, a value for a boolean, and an option taken for a value', () => {
    assert.equal(usageError(['--workspace']), '--workspace needs a value');
    assert.equal(usageError(['--json=yes']), '--json takes no value (got "yes")');
    assert.match(
      usageError(['--workspace', '--json']),
      /^--workspace needs a value \(got the option --json; write --workspace=--json if that is the value\)$/,
    );
    const parsed = parseCommandLine(['--workspace=--odd'], OPTIONS);
    assert.ok(!parsed.help && parsed.args.string('workspace') === '--odd');
  });
});

describe(
  'evalbench as a command',
  { skip: fs.existsSync(AGENT) ? false : 'dist/agent.js is not built (npm run build)' },
  () => {
    it('every command answers --help on stdout with its usage and every option, exit 0', () => {
      for (const c of COMMANDS) {
        const r = agent(c.name, '--help');
        assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
        assert.equal(r.stderr, '', c.name);
        assert.ok(r.stdout.startsWith(`usage: evalbench ${c.name}`), `${c.name}: ${r.stdout.slice(0, 80)}`);
        for (const [name, o] of Object.entries(c.options)) {
          assert.match(r.stdout, new RegExp(`--${name}\\b`), `${c.name} --help lists --${name}`);
          assert.ok(o.help.length > 0, `${c.name} --${name} has a description`);
        }
      }
      const short = agent('run', '-h');
      assert.equal(short.status, 0);
      assert.match(short.stdout, /^usage: evalbench run --workspace DIR/);
      const viaHelp = agent('help', 'report');
      assert.equal(viaHelp.status, 0);
      assert.match(viaHelp.stdout, /--min-score X/);
    });

    it('puts usage errors on stderr with exit 2 and a did-you-mean, and nothing on stdout', () => {
      const r = agent('run', '--worksapce', 'ws', '--target', 'local');
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^evalbench: run: unknown option --worksapce \(did you mean --workspace\?\)\nusage: evalbench run /,
      );
      const cmd = agent('stauts', 'x');
      assert.equal(cmd.status, 2);
      assert.match(cmd.stderr, /unknown command "stauts" \(did you mean "status"\?\)/);
      const none = agent();
      assert.equal(none.status, 2);
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /usage: evalbench COMMAND/);
      const missingRun = agent('status', '--workdir', ROOT);
      assert.equal(missingRun.status, 2);
      assert.match(
        missingRun.stderr,
        /name the run: its id, as `evalbench runs` lists them\nusage: evalbench status RUN/,
      );
    });

    it('lists the commands on help and the version on --version', () => {
      const r = agent('help');
      assert.equal(r.status, 0);
      for (const c of COMMANDS.filter((x) => !x.internal)) assert.match(r.stdout, new RegExp(`^  ${c.name} `, 'm'));
      assert.doesNotMatch(r.stdout, /^ {2}work /m, 'what a job runs is not offered to people');
      assert.match(agent('--version').stdout, /^\d+\.\d+\.\d+/);
    });
  },
);
