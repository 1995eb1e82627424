import * as os from 'os';
import * as path from 'path';

/** One `Keyword value` line of an ssh config file, with the Host patterns in force where it appeared. */
export interface SshConfigEntry {
  keyword: string;
  value: string;
  /** Host patterns of the enclosing block; null before the first Host line (applies to every host). */
  hostPatterns: string[] | null;
  file: string;
  line: number;
}

export interface SshConfigProblem {
  file: string;
  line: number;
  message: string;
}

export interface ParsedSshConfig {
  entries: SshConfigEntry[];
  problems: SshConfigProblem[];
}

/** What `ssh <alias>` would use, for the keywords evalbench understands. */
export interface SshHostConfig {
  alias: string;
  hostName: string;
  port: number;
  user?: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  /** `[user@]host[:port]` of the single jump host, if any. */
  proxyJump?: string;
  userKnownHostsFiles: string[];
  identityAgent?: string;
  connectTimeoutS?: number;
  serverAliveIntervalS?: number;
  serverAliveCountMax?: number;
  /** Keywords that change how ssh connects but that evalbench does not implement (ProxyCommand, …). */
  unsupported: string[];
}

export interface IncludeReader {
  /** Files matching an Include pattern (already ~-expanded and made absolute), each with its text. */
  (pattern: string): { file: string; text: string }[];
}

const UNSUPPORTED = new Set([
  'proxycommand',
  'localcommand',
  'remotecommand',
  'certificatefile',
  'pkcs11provider',
  'securitykeyprovider',
  'hostkeyalias',
]);
const MAX_INCLUDE_DEPTH = 8;

/** Splits a config line into keyword and arguments (`Key value`, `Key=value`, double-quoted arguments). */
export function splitConfigLine(raw: string): { keyword: string; args: string[] } | null {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return null;
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*)$/.exec(line) ?? /^([A-Za-z][A-Za-z0-9]*)$/.exec(line);
  if (!m) return { keyword: '', args: [line] };
  const rest = m[2] ?? '';
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let t = re.exec(rest); t; t = re.exec(rest)) {
    if (t[2]?.startsWith('#')) break;
    args.push(t[1] ?? t[2] ?? '');
  }
  return { keyword: m[1]!.toLowerCase(), args };
}

export function parseSshConfig(
  text: string,
  file: string,
  readInclude?: IncludeReader,
  home = os.homedir(),
  depth = 0,
): ParsedSshConfig {
  const entries: SshConfigEntry[] = [];
  const problems: SshConfigProblem[] = [];
  let hostPatterns: string[] | null = null;
  let inMatch = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const parsed = splitConfigLine(raw);
    if (!parsed) return;
    const { keyword, args } = parsed;
    if (keyword === '') {
      problems.push({ file, line, message: `cannot read line: ${raw.trim()}` });
      return;
    }
    if (keyword === 'host') {
      hostPatterns = args;
      inMatch = false;
      if (args.length === 0) problems.push({ file, line, message: 'Host needs at least one pattern' });
      return;
    }
    if (keyword === 'match') {
      // Match blocks are not evaluated; `Match all` behaves like `Host *`.
      inMatch = !(args.length === 1 && args[0]!.toLowerCase() === 'all');
      hostPatterns = inMatch ? null : ['*'];
      if (inMatch)
        problems.push({ file, line, message: `Match ${args.join(' ')} is not supported; its block is ignored` });
      return;
    }
    if (inMatch) return;
    if (keyword === 'include') {
      if (!readInclude) return;
      if (depth >= MAX_INCLUDE_DEPTH) {
        problems.push({ file, line, message: 'Include nested too deeply' });
        return;
      }
      for (const pattern of args) {
        const expanded = expandTilde(pattern, home);
        const absolute = path.isAbsolute(expanded) ? expanded : path.join(home, '.ssh', expanded);
        for (const inc of readInclude(absolute)) {
          const sub = parseSshConfig(inc.text, inc.file, readInclude, home, depth + 1);
          // Lines before the included file's first Host line take the including block's condition.
          entries.push(...sub.entries.map((e) => (e.hostPatterns === null ? { ...e, hostPatterns } : e)));
          problems.push(...sub.problems);
        }
      }
      return;
    }
    if (args.length === 0) {
      problems.push({ file, line, message: `${keyword} needs a value` });
      return;
    }
    entries.push({ keyword, value: args.join(' '), hostPatterns, file, line });
  });
  return { entries, problems };
}

/** OpenSSH pattern matching: `*` and `?` wildcards, case-insensitive. */
export function matchPattern(name: string, pattern: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    'i',
  );
  return re.test(name);
}

/** A pattern list matches when some pattern matches and no negated (`!`) pattern does. */
export function matchPatternList(name: string, patterns: string[]): boolean {
  let matched = false;
  for (const p of patterns.flatMap((x) => x.split(','))) {
    if (p.startsWith('!')) {
      if (matchPattern(name, p.slice(1))) return false;
    } else if (matchPattern(name, p)) matched = true;
  }
  return matched;
}

export function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/** The simple percent tokens: %h host, %p port, %r remote user, %u local user, %n alias, %d home, %%. */
export function expandTokens(
  value: string,
  t: { host: string; port: number; remoteUser: string; localUser: string; alias: string; home: string },
): string {
  return value.replace(/%([hprund%])/g, (_m, c: string) => {
    switch (c) {
      case 'h':
        return t.host;
      case 'p':
        return String(t.port);
      case 'r':
        return t.remoteUser;
      case 'u':
        return t.localUser;
      case 'n':
        return t.alias;
      case 'd':
        return t.home;
      default:
        return '%';
    }
  });
}

export interface ResolveOptions {
  home?: string;
  localUser?: string;
}

/** Resolves `alias` the way ssh does: for each keyword the first matching value wins; IdentityFile accumulates. */
export function resolveSshHost(config: ParsedSshConfig, alias: string, opts: ResolveOptions = {}): SshHostConfig {
  const home = opts.home ?? os.homedir();
  const localUser = opts.localUser ?? safeLocalUser();
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  const knownHosts: string[] = [];
  const unsupported: string[] = [];
  for (const e of config.entries) {
    if (e.hostPatterns !== null && !matchPatternList(alias, e.hostPatterns)) continue;
    if (e.keyword === 'identityfile') identityFiles.push(e.value);
    else if (e.keyword === 'userknownhostsfile') {
      if (knownHosts.length === 0) knownHosts.push(...e.value.split(/\s+/));
    } else if (!first.has(e.keyword)) {
      first.set(e.keyword, e.value);
      if (UNSUPPORTED.has(e.keyword) && e.value.toLowerCase() !== 'none')
        unsupported.push(`${e.keyword} (${e.file}:${e.line})`);
    }
  }
  const port = parsePort(first.get('port')) ?? 22;
  const hostTemplate = first.get('hostname') ?? alias;
  const hostName = expandTokens(hostTemplate, { host: alias, port, remoteUser: '', localUser, alias, home });
  const user = first.get('user');
  const tokens = { host: hostName, port, remoteUser: user ?? localUser, localUser, alias, home };
  const files = (list: string[]) =>
    list.filter((f) => f.toLowerCase() !== 'none').map((f) => expandTilde(expandTokens(f, tokens), home));
  const jump = first.get('proxyjump');
  const num = (k: string) => {
    const v = first.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return {
    alias,
    hostName,
    port,
    user: user === undefined ? undefined : expandTokens(user, tokens),
    identityFiles: files(identityFiles),
    identitiesOnly: first.get('identitiesonly')?.toLowerCase() === 'yes',
    proxyJump: jump && jump.toLowerCase() !== 'none' ? jump : undefined,
    userKnownHostsFiles: files(knownHosts),
    identityAgent: agentSocket(first.get('identityagent'), tokens, home),
    connectTimeoutS: num('connecttimeout'),
    serverAliveIntervalS: num('serveraliveinterval'),
    serverAliveCountMax: num('serveralivecountmax'),
    unsupported,
  };
}

/** undefined: use $SSH_AUTH_SOCK; '': agent disabled (`IdentityAgent none`); else the socket path. */
function agentSocket(
  value: string | undefined,
  tokens: Parameters<typeof expandTokens>[1],
  home: string,
): string | undefined {
  if (value === undefined || value === 'SSH_AUTH_SOCK') return undefined;
  if (value.toLowerCase() === 'none') return '';
  return expandTilde(expandTokens(value, tokens), home);
}

function parsePort(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 65535 ? n : undefined;
}

function safeLocalUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** Parses `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`; a list of several hops is refused. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  if (spec.includes(',')) throw new Error(`ProxyJump "${spec}" names several jump hosts; evalbench supports one`);
  let s = spec.trim().replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const colon = /^([^:]+):(\d+)$/.exec(s);
  if (bracket) {
    host = bracket[1]!;
    port = bracket[2] ? Number(bracket[2]) : undefined;
  } else if (colon) {
    host = colon[1]!;
    port = Number(colon[2]);
  }
  if (!host) throw new Error(`ProxyJump "${spec}" has no host`);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`ProxyJump "${spec}" has an invalid port`);
  return { user: user || undefined, host, port };
}
