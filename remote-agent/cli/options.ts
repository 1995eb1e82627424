import type { OptionTable } from './option-table';

/** Where existing runs are: the lookup of commands/workdir.ts. */
export const WORKDIR_OPTIONS: OptionTable = {
  workdir: { type: 'string', value: 'DIR', help: 'the work directory holding runs/ (default: $EVALBENCH_WORKDIR)' },
  target: {
    type: 'string',
    value: 'PROFILE',
    help: 'else: the work directory of this cluster profile of .evalbench/clusters.jsonc',
  },
  workspace: {
    type: 'string',
    value: 'DIR',
    help: 'the workspace holding .evalbench/, for --target (default: the current folder)',
  },
};

export const WORKSPACE_OPTION: OptionTable = {
  workspace: { type: 'string', value: 'DIR', help: 'the workspace holding the catalog, .evalbench/*.jsonc (required)' },
};

/** What to evaluate: a category, or models × datasets. */
export const SELECTION_OPTIONS: OptionTable = {
  category: { type: 'string', value: 'C', help: 'evaluate a category of .evalbench/categories.jsonc' },
  models: { type: 'string', value: 'a,b', help: 'models to evaluate (with --datasets, or to narrow --category)' },
  datasets: { type: 'string', value: 'x,y', help: 'datasets to evaluate (with --models, or to narrow --category)' },
  'exclude-models': { type: 'string', value: 'm,n', help: 'leave these models out' },
  preset: {
    type: 'string',
    value: 'P',
    help: "engine and generation preset (default: the category's, else the catalog's default)",
  },
  samples: { type: 'string', value: 'N', help: 'evaluate the first N samples of each dataset' },
};

export const JUDGE_OPTIONS: OptionTable = {
  judge: { type: 'string', value: 'MODEL', help: 'judge judged datasets with this catalog model' },
  'judge-url': {
    type: 'string',
    value: 'URL',
    help: 'or with a running OpenAI-compatible server at URL (with --judge-model)',
  },
  'judge-model': { type: 'string', value: 'NAME', help: 'the model name that server serves' },
};

export const JSON_OPTION: OptionTable = {
  json: { type: 'boolean', help: 'print JSON on stdout instead of text' },
};
