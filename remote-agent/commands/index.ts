import { asCommand, type Command, type FlagListCommand } from '../cli/command';
import { cancelCommand } from './cancel';
import { compareCommand } from './compare';
import { demoCommand } from './demo';
import { judgePairwiseCommand } from './judge-pairwise';
import { fetchCommand } from './fetch';
import { planCommand } from './plan';
import { reportCommand } from './report';
import { rerunCommand } from './rerun';
import { rescoreCommand } from './rescore';
import { scoreCommand } from './score';
import { selfcheckCommand } from './selfcheck';
import { runCommand } from './run';
import { runsCommand } from './runs';
import { serveCommand } from './serve';
import { statusCommand } from './status';
import { workCommand } from './work';

/**
 * Every CLI command, in the order `evalbench help` lists them. To add one: a file here exporting a `Command` (name,
 * summary, usage, options with their help, run), and its entry below; `--help`, unknown-option errors and
 * did-you-mean come from the option table.
 */
const TABLE: Array<Command | FlagListCommand> = [
  planCommand,
  runCommand,
  runsCommand,
  statusCommand,
  cancelCommand,
  rerunCommand,
  rescoreCommand,
  scoreCommand,
  selfcheckCommand,
  fetchCommand,
  serveCommand,
  workCommand,
  reportCommand,
  compareCommand,
  judgePairwiseCommand,
  demoCommand,
];
export const COMMANDS: Command[] = TABLE.map(asCommand);
