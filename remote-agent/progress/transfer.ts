import { formatBytes } from '../../common/run/dataset-files';

/** Files smaller than this are copied without progress lines. */
const LARGE = 8 * 1024 * 1024;

/**
 * Progress of copying dataset files, on a stream: one line redrawn in place on a terminal, else a line per 10%.
 * Small files say nothing.
 */
export function transferProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  verb = 'copying',
): (file: string, done: number, total: number) => void {
  let lastStep = -1;
  let lastFile = '';
  return (file, done, total) => {
    if (total < LARGE) return;
    if (file !== lastFile) {
      lastFile = file;
      lastStep = -1;
    }
    const pct = Math.floor((done / total) * 100);
    const step = out.isTTY ? pct : Math.floor(pct / 10);
    if (step === lastStep) return;
    lastStep = step;
    const line = `${verb} ${file}: ${pct}% (${formatBytes(done)} of ${formatBytes(total)})`;
    if (out.isTTY) out.write(`\r${line}${done >= total ? '\n' : ''}`);
    else out.write(`${line}\n`);
  };
}
