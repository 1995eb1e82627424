/** A job log for reading: a run of identical lines shows once, with how many more times it came. The file is untouched. */
export function collapseRepeats(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    out.push(lines[i]!);
    const more = j - i - 1;
    if (more > 0 && lines[i]!.trim()) out.push(`  ⟨the line above ${more} more time${more === 1 ? '' : 's'}⟩`);
    else for (let k = 1; k <= more; k++) out.push(lines[i]!);
    i = j;
  }
  return out.join('\n');
}
