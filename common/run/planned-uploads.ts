import type { StagedFile } from './dataset-files';
import type { Plan } from './plan-schema';
import type { RunRequest } from './request';

/**
 * The staged files a plan says are not in the work directory yet, each content and name once: data files, and the
 * images of a dataset with some still to send (the plan counts them; each file is checked again as it is sent, so
 * one already there is skipped). Empty when everything is there: a second run sends nothing.
 */
export function filesToUpload(
  plan: Pick<Plan, 'datasets'>,
  request: Pick<RunRequest, 'datasetFiles' | 'datasetImages'>,
): StagedFile[] {
  const pending = new Map<string, StagedFile>();
  const add = (f: StagedFile | undefined) => f && pending.set(`${f.sha256}/${f.name}`, f);
  for (const line of plan.datasets ?? []) {
    if (line.source !== 'upload') continue;
    if (line.upload) add(request.datasetFiles?.[line.dataset]?.[line.field]);
    if (line.images?.toUpload) Object.values(request.datasetImages?.[line.dataset]?.images ?? {}).forEach(add);
  }
  return [...pending.values()];
}
