import { LINE_TERMINATOR } from './regexp';

/**
 * Where a position stands. `string`: a string literal or a template literal without substitutions,
 * whose value its text alone gives. `template`: the text of a template literal with substitutions,
 * which in a file that does not parse may be code to TypeScript's recovering parser (`${a b}`: it
 * ends the template at `b` and reads the `}` as stray), so callers trust it least.
 */
export type Region = 'code' | 'comment' | 'string' | 'template' | 'unknown';

interface Span {
  kind: 'comment' | 'string' | 'template';
  start: number;
  end: number;
}

// What ends a stretch of code. Braces count only inside a template's `${}`, where a `}` may close it.
// A merge conflict's marker at the start of a line (`=======`) ends what is known: TypeScript's
// scanner, which reads a file oxc cannot, skips the conflict's other side as if it were a comment.
const CONFLICT_MARKER = String.raw`^(?:<{7}|={7}|\|{7}|>{7})`;
const CODE_STOP = new RegExp(String.raw`['"\`/]|<!--|-->|${CONFLICT_MARKER}`, 'gm');
const CODE_STOP_IN_SUBSTITUTION = new RegExp(String.raw`['"\`/{}]|<!--|-->|${CONFLICT_MARKER}`, 'gm');
const CODE_STOP_JSX = new RegExp(String.raw`['"\`/<]|-->|${CONFLICT_MARKER}`, 'gm');
const CODE_STOP_JSX_IN_SUBSTITUTION = new RegExp(String.raw`['"\`/<{}]|-->|${CONFLICT_MARKER}`, 'gm');
const SINGLE_QUOTED_STOP = /['\\\n\r]/g;
const DOUBLE_QUOTED_STOP = /["\\\n\r]/g;
const TEMPLATE_STOP = /[`\\]|\$\{/g;
const LINE_END = new RegExp(LINE_TERMINATOR, 'g');

/**
 * Where the positions of a source text stand, read exactly from the start of the text as far as
 * lexing needs no parser: strings, template literals (with their `${}` nesting), comments and a
 * hashbang are told apart by their first characters alone. A `/` that opens no comment (a regular
 * expression or a division, which only a parser tells apart) ends what can be known, and so do a
 * `<` where JSX may stand (JSX text holds quotes that open no string), `<!--` and `-->` (HTML-like
 * comments of scripts), a merge conflict's marker, and anything that is no valid token (a string
 * running into a line break): from there on every position is `unknown`. Like the prefilter's other
 * signs it reads code that parses: after a substitution that does not (`${a b}`), TypeScript's
 * recovering parser may read what follows otherwise. The prefilter asks match after match in the
 * order of the text; asked about an earlier position, it starts over.
 */
export class CodeRegions {
  // Where lexing goes on, in code: the end of the last span found, or past a brace.
  private at = 0;
  private span: Span | undefined;
  // Open `${` substitutions, innermost last: the braces opened inside each and not yet closed.
  private braces: number[] = [];
  private unknownFrom = Infinity;
  private ended = false;
  private asked = 0;

  /** `jsx`: whether the text may hold JSX (a `<` in code ends what can be known). */
  constructor(
    private readonly text: string,
    private readonly jsx: boolean,
  ) {
    this.restart();
  }

  /** The region of the character at `position`. Lexing goes on from the last position asked, or starts over before it. */
  regionAt(position: number): Region {
    if (position < this.asked) this.restart();
    this.asked = position;
    for (;;) {
      if (position >= this.unknownFrom) return 'unknown';
      if (this.span && position < this.span.end) return position >= this.span.start ? this.span.kind : 'code';
      if (this.ended) return 'code';
      this.next();
    }
  }

  /**
   * The string or substitution-free template literal holding `position` (from its opening quote to
   * past its closing one), as regionAt last found it; undefined elsewhere.
   */
  stringAt(position: number): { start: number; end: number } | undefined {
    const span = this.span;
    return span?.kind === 'string' && position >= span.start && position < span.end ? { start: span.start, end: span.end } : undefined;
  }

  /** Finds the next span after the current one, or marks the end of the text or of what can be known. */
  private next(): void {
    const text = this.text;
    const substituting = this.braces.length > 0;
    const stop = this.jsx ? (substituting ? CODE_STOP_JSX_IN_SUBSTITUTION : CODE_STOP_JSX) : substituting ? CODE_STOP_IN_SUBSTITUTION : CODE_STOP;
    stop.lastIndex = this.at;
    const found = stop.exec(text);
    if (!found) {
      this.span = undefined;
      this.ended = true;
      return;
    }
    const start = found.index;
    const char = found[0];
    if (char === '{') {
      this.braces[this.braces.length - 1] += 1;
      this.at = start + 1;
    } else if (char === '}') {
      const depth = this.braces.length - 1;
      if (this.braces[depth] > 0) {
        this.braces[depth] -= 1;
        this.at = start + 1;
      } else {
        // The `}` that closes a substitution: the template's text goes on.
        this.braces.pop();
        this.templateText(start + 1, false, start);
      }
    } else if (char === "'" || char === '"') this.quoted(start, char);
    else if (char === '`') this.templateText(start + 1, true, start);
    else if (char === '/' && text[start + 1] === '/') this.lineComment(start);
    else if (char === '/' && text[start + 1] === '*') {
      const close = text.indexOf('*/', start + 2);
      if (close === -1) this.unknownAt(start);
      else this.found('comment', start, close + 2);
    } else this.unknownAt(start);
  }

  private quoted(start: number, quote: string): void {
    const stop = quote === "'" ? SINGLE_QUOTED_STOP : DOUBLE_QUOTED_STOP;
    stop.lastIndex = start + 1;
    for (;;) {
      const found = stop.exec(this.text);
      // A line break ends no string: the text is not what this lexer took it for.
      if (!found || found[0] === '\n' || found[0] === '\r') return this.unknownAt(start);
      if (found[0] === quote) return this.found('string', start, found.index + 1);
      stop.lastIndex = this.escapeEnd(found.index);
    }
  }

  /**
   * A template literal's text from `from` to its next `${` (the substitution's code follows) or its
   * closing backtick. `opened`: it starts at the opening backtick (at `start`), so a text that closes
   * without a substitution is a plain string.
   */
  private templateText(from: number, opened: boolean, start = from): void {
    TEMPLATE_STOP.lastIndex = from;
    for (;;) {
      const found = TEMPLATE_STOP.exec(this.text);
      if (!found) return this.unknownAt(start);
      if (found[0] === '`') return this.found(opened ? 'string' : 'template', start, found.index + 1);
      if (found[0] === '${') {
        this.braces.push(0);
        return this.found('template', start, found.index + 2);
      }
      TEMPLATE_STOP.lastIndex = this.escapeEnd(found.index);
    }
  }

  private lineComment(start: number): void {
    LINE_END.lastIndex = start + 2;
    const found = LINE_END.exec(this.text);
    this.found('comment', start, found ? found.index : this.text.length);
  }

  /** Past the character a backslash at `at` escapes (a `\r\n` line continuation is one). */
  private escapeEnd(at: number): number {
    return this.text[at + 1] === '\r' && this.text[at + 2] === '\n' ? at + 3 : at + 2;
  }

  private restart(): void {
    this.at = 0;
    this.span = undefined;
    this.braces = [];
    this.unknownFrom = Infinity;
    this.ended = false;
    if (this.text.startsWith('#!')) this.lineComment(0);
  }

  private found(kind: Span['kind'], start: number, end: number): void {
    this.span = { kind, start, end };
    this.at = end;
  }

  private unknownAt(start: number): void {
    this.unknownFrom = start;
    this.span = undefined;
    this.ended = true;
  }
}
