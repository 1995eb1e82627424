import { EVALBENCH_VERSION } from '../common/version';
import { suggest } from '../common/catalog/validate';
import { CliError, parseCommandLine, UsageError } from './cli/args';
import { usageLine, type Command } from './cli/command';
import { commandHelp, overallHelp } from './cli/help';
import { COMMANDS } from './commands';
import { PlanError } from './runs/submit';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(overallHelp(COMMANDS));
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const about = rest[0] === undefined ? undefined : findCommand(rest[0]);
    process.stdout.write(about ? commandHelp(about) : overallHelp(COMMANDS));
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`${EVALBENCH_VERSION}\n`);
    return 0;
  }
  const command = findCommand(name);
  const parsed = parseCommandLineOf(command, rest);
  if (parsed.help) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parsed.args);
  } catch (err) {
    if (err instanceof UsageError)
      throw new UsageError(
        `${err.message}\nusage: ${usageLine(command)}\n(evalbench ${command.name} --help lists the options)`,
      );
    throw err;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  throw new UsageError(
    `unknown command "${name}"${suggest(
      name,
      COMMANDS.map((c) => c.name),
    )}\n(evalbench help lists the commands)`,
  );
}

function parseCommandLineOf(command: Command, argv: string[]) {
  try {
    return parseCommandLine(argv, command.options);
  } catch (err) {
    if (err instanceof UsageError)
      throw new UsageError(
        `${command.name}: ${err.message}\nusage: ${usageLine(command)}\n(evalbench ${command.name} --help lists the options)`,
      );
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`evalbench: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof CliError || err instanceof PlanError) {
      // A PlanError (the request does not plan: unknown ids, a dataset missing) is bad input too.
      process.stderr.write(`evalbench: ${err.message}\n`);
      process.exitCode = err instanceof CliError ? err.code : 2;
    } else {
      process.stderr.write(
        `evalbench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
