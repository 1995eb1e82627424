/** Fills `{field}` placeholders; `{{` and `}}` stand for literal braces. Unknown fields are an error naming the known ones. */
export function fillTemplate(template: string, fields: Record<string, string>): string {
  return template.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const v = fields[name!];
    if (v === undefined)
      throw new TemplateError(
        `the prompt template names {${name}}, which this record does not have (fields: ${Object.keys(fields).sort().join(', ')})`,
      );
    return v;
  });
}

export class TemplateError extends Error {}
