/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become \u escapes so no string in it can
 * close the element or open a comment, and U+2028/U+2029 are escaped for older parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
