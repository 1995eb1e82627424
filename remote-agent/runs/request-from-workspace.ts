import * as path from 'path';
import { buildRunRequest, type BuildRequestInput } from '../../common/run/build-request';
import type { RunRequest } from '../../common/run/request';
import { CliError } from '../cli/args';

export interface WorkspaceRequestInput extends Omit<BuildRequestInput, 'datasetRoot' | 'clusterOverride'> {
  /** Relative dataset paths resolve against it. */
  workspace: string;
}

/**
 * The self-contained request for a selection of the workspace catalog (the extension's own builder, so both send
 * the same request): only the models and datasets the selection resolves to travel, and relative dataset paths
 * resolve against the workspace. Whatever is wrong is a CliError listing every problem.
 */
export function requestFromWorkspace(input: WorkspaceRequestInput): RunRequest {
  const { workspace, ...rest } = input;
  const built = buildRunRequest({ ...rest, datasetRoot: path.resolve(workspace) });
  if (!built.ok) throw new CliError(built.errors.join('\n'), 2);
  return built.request;
}
