import { parseRendered, type StringValue } from '../core/evaluate';

/** One program invocation of a command line, its words with holes written `{source}`. */
export interface CommandSegment {
  program: string;
  subcommand?: string;
  words: string[];
  /** The sources of the holes in this segment, in order. */
  holes: string[];
  text: string;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash']);
// Prefixes and shell keywords before the program: `sudo curl`, `if ! curl`, `then wget`.
const WRAPPERS = new Set(['sudo', 'env', 'nohup', 'time', 'npx', 'exec', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '$SUDO_CMD', '{expr:SUDO_CMD}']);

/**
 * Splits a command into its program invocations: a shell string is split on `&&`, `||`, `;`
 * and `|`; `sh -c '…'` is opened; `sudo` and `env VAR=x` prefixes are skipped.
 */
export function parseCommandLine(values: StringValue[], isShellString: boolean): CommandSegment[] {
  const holes: string[] = [];
  const render = (value: StringValue) =>
    value.parts.map((part) => {
      if (typeof part === 'string') return part;
      holes.push(part.source);
      return `{${part.source}}`;
    }).join('');
  let words: string[];
  if (isShellString) words = tokenize(values.map(render).join(' '));
  else words = values.map(render);
  return splitSegments(words, holes);
}

function splitSegments(words: string[], holes: string[]): CommandSegment[] {
  const segments: CommandSegment[] = [];
  let current: string[] = [];
  const flush = () => {
    const segment = toSegment(current, holes);
    if (segment) segments.push(...segment);
    current = [];
  };
  for (const word of words) {
    if (['&&', '||', ';', '|', '&'].includes(word)) flush();
    else current.push(word);
  }
  flush();
  return segments;
}

function toSegment(words: string[], holes: string[]): CommandSegment[] | undefined {
  let index = 0;
  while (index < words.length && (WRAPPERS.has(words[index]) || /^[A-Z_][A-Z0-9_]*=/.test(words[index]))) index += 1;
  const rest = words.slice(index);
  if (rest.length === 0) return undefined;
  const program = rest[0].split('/').pop() ?? rest[0];
  if (SHELLS.has(program) && rest[1] === '-c' && rest[2]) return splitSegments(tokenize(rest[2]), holes);
  const subcommand = rest.slice(1).find((word) => !word.startsWith('-'));
  const text = rest.join(' ');
  // A hole the joined words do not hold, no word holds: most are ruled out without a look at each word.
  const inSegment = (hole: string) => {
    const marker = `{${hole}}`;
    return text.includes(marker) && rest.some((word) => word.includes(marker));
  };
  return [{ program, subcommand, words: rest, holes: holes.filter(inSegment), text }];
}

const HOLE_MARKER = /^\{[a-z]+:[^{}]*\}/;

function isLowercaseLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** `\s` as a regular expression reads it, without running one for every character of plain ASCII. */
function isWhitespace(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(char);
}

/** Shell-style word splitting with quotes; separators become words of their own. */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  const push = () => {
    if (started) words.push(word);
    word = '';
    started = false;
  };
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quote) {
      if (char === quote) quote = undefined;
      else word += char;
      continue;
    }
    // A hole marker starts `{` and a lowercase letter (`{expr:…}`); `${VAR}` never needs the expression.
    const hole = char === '{' && isLowercaseLetter(line.charCodeAt(index + 1)) ? HOLE_MARKER.exec(line.slice(index, index + 400)) : null;
    if (hole) {
      // A hole marker (`{expr:quote()}`) is one piece of a word, whatever characters it holds.
      word += hole[0];
      started = true;
      index += hole[0].length - 1;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\n') {
      // A newline ends a command, as `;` does.
      push();
      words.push(';');
    } else if (isWhitespace(char)) {
      push();
    } else if ((char === '$' && line[index + 1] === '(') || char === '`' || char === ')') {
      // `ip=$(curl …)`: the substitution is a command of its own.
      push();
      words.push(';');
      if (char === '$') index += 1;
    } else if (char === ';' || char === '|' || char === '&') {
      push();
      const double = line[index + 1] === char && char !== ';';
      words.push(double ? char + char : char);
      if (double) index += 1;
    } else {
      word += char;
      started = true;
    }
  }
  push();
  return words;
}

/** The remote a command names: a URL, `user@host:path`, `user@host`, or an image `registry.host/name`; `dynamic` when a variable names it. */
export function remoteTarget(segment: CommandSegment): { url?: StringValue; host?: string; dynamic?: string } | undefined {
  for (const word of segment.words.slice(1)) {
    const url = /[a-z][a-z0-9+.-]*:\/\/\S+/i.exec(word);
    if (url) return { url: parseRendered(url[0]) };
  }
  for (const word of segment.words.slice(1)) {
    const scpLike = /^(?:[\w.-]+@)?([a-z0-9-]+(?:\.[a-z0-9-]+)+):/i.exec(word);
    if (scpLike) return { host: scpLike[1].toLowerCase() };
    const sshLike = /^[\w.-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(word);
    if (sshLike) return { host: sshLike[1].toLowerCase() };
  }
  if (segment.program === 'rclone') {
    // rclone names remotes `:s3:bucket/path` (an inline backend) or `name:path` (a configured one).
    const remote = segment.words.slice(2).find((word) => /^:?[a-z][\w-]*:(?!\/\/)/i.test(word) && !word.startsWith('--'));
    if (remote) return { dynamic: `rclone-remote:${remote.split(':').filter(Boolean)[0]}` };
  }
  if (['pull', 'push', 'login'].includes(segment.subcommand ?? '') && ['docker', 'podman', 'helm'].includes(segment.program)) {
    const index = segment.words.indexOf(segment.subcommand!);
    const argument = segment.words.slice(index + 1).find((word) => !word.startsWith('-'));
    const hole = argument ? /^\{([a-z]+:[^}]*)\}/.exec(argument) : null;
    if (hole) return { dynamic: hole[1] };
    const registry = segment.subcommand === 'login' ? argument : argument?.includes('/') ? argument.split('/')[0] : undefined;
    if (registry && /[.:]/.test(registry)) return { host: registry.replace(/^https?:\/\//, '').split(/[:/]/)[0].toLowerCase() };
  }
  return undefined;
}

