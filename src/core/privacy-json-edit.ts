import { applyEdits, findNodeAtLocation, modify, parse, parseTree, type ParseError } from 'jsonc-parser';

// What a JSON node is, for a message.
const KIND: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', null: 'null', property: 'a property' };

/**
 * privacy.json edited the way a person would: only the value at a path changes, so comments and
 * formatting elsewhere stay. A file that does not parse before, or would not parse after, is
 * refused: the caller leaves it as it was.
 */
export function editPrivacyJsonText(text: string, path: Array<string | number>, value: unknown): { text: string } | { error: string } {
  const before: ParseError[] = [];
  const tree = parseTree(text, before, { allowTrailingComma: true });
  if (before.length > 0 || !tree) return { error: 'privacy.json does not parse; fix it before Offbox edits it' };
  // Every level on the way must be an object or an array of the kind the path needs: jsonc-parser
  // throws on `null`, a string or a list where a key goes (an unsaved edit can leave one).
  for (let depth = 0; depth < path.length; depth += 1) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (!node) break;
    const wanted = typeof path[depth] === 'number' ? 'array' : 'object';
    const where = depth === 0 ? 'privacy.json' : `"${path.slice(0, depth).join('.')}" in privacy.json`;
    if (node.type !== wanted) return { error: `${where} is ${KIND[node.type]}, not ${KIND[wanted]}; fix it before Offbox edits it` };
  }
  const updated = path[path.length - 1] === -1 ? appendToArray(text, tree, path.slice(0, -1), value) : undefined;
  const result = updated ?? applyEdits(text, modify(text, path, value, { formattingOptions: formatting(text) }));
  const after: ParseError[] = [];
  parse(result, after, { allowTrailingComma: true });
  if (after.length > 0) return { error: 'the edit would leave invalid JSON; privacy.json was not changed' };
  return { text: result };
}

/**
 * Appends to an array that has elements without touching them: a comma right after the last one,
 * and the new element on a line of its own after any comment that ends that line, written in the
 * style of the last element (one line if it was one line). jsonc-parser's own insertion reformats
 * the neighbour and moves its trailing comment.
 */
function appendToArray(text: string, tree: ReturnType<typeof parseTree> & object, arrayPath: Array<string | number>, value: unknown): string | undefined {
  const array = findNodeAtLocation(tree, arrayPath);
  const last = array?.type === 'array' ? array.children?.[array.children.length - 1] : undefined;
  if (!last) return undefined;
  const end = last.offset + last.length;
  const lineEnd = text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end);
  const lineStart = text.lastIndexOf('\n', last.offset) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart, last.offset))![0];
  const rest = text.slice(end, lineEnd);
  // Something other than a comment after the element on its line (`{…}]`): write right after the element.
  const ownLine = /^\s*(\/\/.*|\/\*.*\*\/\s*)?\r?$/.test(rest);
  // Before the line's `\r` in a CRLF file, not between it and its `\n`.
  const insertAt = ownLine ? (text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd) : end;
  const oneLine = !text.slice(last.offset, end).includes('\n');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Indented as the file is: with tabs where the last element is, else two spaces.
  const unit = indent.includes('\t') ? '\t' : 2;
  const rendered = oneLine ? JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\{ /g, '{ ').replace(/ \}/g, ' }') : JSON.stringify(value, null, unit).replace(/\n/g, `${eol}${indent}`);
  const separator = ownLine ? `${eol}${indent}` : ' ';
  return `${text.slice(0, end)},${text.slice(end, insertAt)}${separator}${rendered}${text.slice(insertAt)}`;
}

function formatting(text: string) {
  return { insertSpaces: true, tabSize: /\n( +)"/.exec(text)?.[1].length ?? 2, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}
