import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { CATALOG_SCHEMAS, catalogFileName, type CatalogKind } from './files';
import type { CatalogProblem } from './problem';

/** Where an entry sits in its file, so the tree and diagnostics can point at it. */
export interface EntryLocation {
  keyOffset: number;
  keyLength: number;
  valueOffset: number;
  valueLength: number;
}

export interface ParsedFile<T = unknown> {
  kind: CatalogKind;
  file: string;
  text: string;
  /** Valid entries only. */
  entries: Record<string, T>;
  /** Every entry found, valid or not. */
  locations: Record<string, EntryLocation>;
  invalid: Set<string>;
  root: Node | undefined;
  problems: CatalogProblem[];
}

export function parseCatalogFile(kind: CatalogKind, text: string, file = catalogFileName(kind)): ParsedFile {
  const problems: CatalogProblem[] = [];
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    problems.push({
      file,
      offset: e.offset,
      length: Math.max(1, e.length),
      message: `syntax error: ${describeParseError(e)}`,
      severity: 'error',
    });
  }
  const result: ParsedFile = { kind, file, text, entries: {}, locations: {}, invalid: new Set(), root, problems };
  if (!root) return result;
  if (root.type !== 'object') {
    problems.push({
      file,
      offset: root.offset,
      length: root.length,
      message: `${file} must be one JSON object mapping ids to definitions`,
      severity: 'error',
    });
    return result;
  }
  const schema = CATALOG_SCHEMAS[kind];
  const seen = new Map<string, Node>();
  for (const prop of root.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    const id = keyNode.value;
    if (seen.has(id)) {
      problems.push({
        file,
        offset: keyNode.offset,
        length: keyNode.length,
        message: `duplicate id "${id}": it is already defined above`,
        severity: 'error',
      });
      result.invalid.add(id);
      continue;
    }
    seen.set(id, keyNode);
    if (id.trim() === '' || /[/\\\0\n]/.test(id)) {
      problems.push({
        file,
        offset: keyNode.offset,
        length: keyNode.length,
        message: `id "${id}" must be non-empty and may not contain "/", "\\" or line breaks`,
        severity: 'error',
      });
    }
    result.locations[id] = {
      keyOffset: keyNode.offset,
      keyLength: keyNode.length,
      valueOffset: valueNode?.offset ?? keyNode.offset,
      valueLength: valueNode?.length ?? keyNode.length,
    };
    if (!valueNode) {
      result.invalid.add(id);
      continue;
    }
    const raw = nodeValue(valueNode);
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      result.entries[id] = parsed.data;
    } else {
      result.invalid.add(id);
      for (const issue of parsed.error.issues) {
        problems.push(issueToProblem(file, id, keyNode, valueNode, issue));
      }
    }
  }
  return result;
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v && typeof k.value === 'string') o[k.value] = nodeValue(v);
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function issueToProblem(
  file: string,
  id: string,
  keyNode: Node,
  valueNode: Node,
  issue: z.core.$ZodIssue,
): CatalogProblem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const where = path.length ? `${id}.${path.join('.')}` : id;
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length ? findNodeAtLocation(valueNode, path) : valueNode;
    const key = issue.keys[0] ?? '';
    const prop = parent?.children?.find((c) => c.children?.[0]?.value === key);
    const target = prop?.children?.[0] ?? parent ?? valueNode;
    return {
      file,
      offset: target.offset,
      length: target.length,
      message: `${id}: unknown key "${issue.keys.join('", "')}"${path.length ? ` in ${path.join('.')}` : ''}`,
      severity: 'error',
    };
  }
  const node = path.length ? findNodeAtLocation(valueNode, path) : valueNode;
  if (node) {
    // The value itself is wrong: point at it (for an object-level refinement, at its key).
    const target =
      path.length && node.parent?.type === 'property'
        ? issue.code === 'custom'
          ? (node.parent.children?.[0] ?? node)
          : node
        : node;
    return {
      file,
      offset: target.offset,
      length: target.length,
      message: `${where}: ${issue.message}`,
      severity: 'error',
    };
  }
  // The field is missing: point at the nearest existing object's key.
  let anchor: Node = keyNode;
  for (let i = path.length - 1; i > 0; i--) {
    const parent = findNodeAtLocation(valueNode, path.slice(0, i));
    const key = parent?.parent?.children?.[0];
    if (parent && key) {
      anchor = key;
      break;
    }
  }
  const message =
    issue.code === 'custom' || !path.length
      ? `${id}: ${issue.message}`
      : `${id}: missing required field "${path.join('.')}"`;
  return { file, offset: anchor.offset, length: anchor.length, message, severity: 'error' };
}

function describeParseError(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
