import { visitorKeys } from '@typescript-eslint/visitor-keys';

/**
 * Walks and edits of an oxc tree by its offsets, for splicing re-parsed parts into an open document's
 * previous tree (incremental-parse.ts): which child spans a range, and moving offsets after an edit.
 */

/** An oxc node as this module sees it: a type and offsets (typescript-estree's trees have `range` and are never spliced). */
export interface Positioned {
  type: string;
  start: number;
  end: number;
  loc?: unknown;
}

// Read once: a bundled import is a getter, and the shift reads it for every node.
const VISITOR_KEYS: Record<string, readonly string[] | undefined> = visitorKeys;

/** The length of the common prefix: string comparisons of halving spans (native), then characters. */
export function commonPrefix(a: string, b: string): number {
  let low = 0;
  let high = Math.min(a.length, b.length);
  // Invariant: the first `low` characters are equal; the answer is at most `high`.
  while (high - low > 64) {
    const middle = (low + high) >> 1;
    if (a.slice(low, middle) === b.slice(low, middle)) low = middle;
    else high = middle;
  }
  while (low < high && a.charCodeAt(low) === b.charCodeAt(low)) low += 1;
  return low;
}

/** The length of the common suffix, not reaching into the first `floor` characters of either. */
export function commonSuffix(a: string, b: string, floor: number): number {
  let low = 0;
  let high = Math.min(a.length, b.length) - floor;
  while (high - low > 64) {
    const middle = (low + high) >> 1;
    if (a.slice(a.length - middle, a.length - low) === b.slice(b.length - middle, b.length - low)) low = middle;
    else high = middle;
  }
  while (low < high && a.charCodeAt(a.length - 1 - low) === b.charCodeAt(b.length - 1 - low)) low += 1;
  return low;
}

/** The node-valued fields of a node type (visitor keys; for a type they do not know, every field). */
function keysOf(node: Positioned): readonly string[] {
  return VISITOR_KEYS[node.type] ?? Object.keys(node).filter((key) => key !== 'parent' && key !== 'loc');
}

/** The child whose span holds [start, end], if one does. */
export function childSpanning(node: Positioned, start: number, end: number): Positioned | undefined {
  let found: Positioned | undefined;
  forEachChild(node, (child) => {
    if (child.start > start || end > child.end) return true;
    found = child;
    return false;
  });
  return found;
}

/** Calls `visit` on each child node, in field order. */
function forEachChild(node: Positioned, visit: (child: Positioned) => boolean | void): void {
  const keys = keysOf(node);
  for (let index = 0; index < keys.length; index += 1) {
    const value = (node as unknown as Record<string, unknown>)[keys[index]];
    if (Array.isArray(value)) {
      for (let item = 0; item < value.length; item += 1) if (isNode(value[item]) && visit(value[item]) === false) return;
    } else if (isNode(value) && visit(value) === false) return;
  }
}

function isNode(value: unknown): value is Positioned {
  return typeof value === 'object' && value !== null && typeof (value as Positioned).type === 'string' && typeof (value as Positioned).start === 'number';
}

/** Moves every offset at or after `oldEnd` by `delta`; subtrees that end before the edit are left alone. */
export function shiftAfter(root: Positioned, start: number, oldEnd: number, delta: number): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.end < start) continue;
    let moved = false;
    if (node.start >= oldEnd) {
      node.start += delta;
      moved = true;
    }
    if (node.end >= oldEnd) {
      node.end += delta;
      moved = true;
    }
    // A line and column computed before the edit are stale (cleared, not deleted: a delete would
    // turn the node into a slow dictionary object).
    if (moved && node.loc !== undefined) node.loc = undefined;
    pushChildren(stack, node);
  }
}

export function moveBy(root: Positioned, offset: number): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.start += offset;
    node.end += offset;
    pushChildren(stack, node);
  }
}

/** Pushes a node's children: the loops of forEachChild without a closure per node, for the walks over every node after an edit. */
function pushChildren(stack: Positioned[], node: Positioned): void {
  const keys = keysOf(node);
  for (let index = 0; index < keys.length; index += 1) {
    const value = (node as unknown as Record<string, unknown>)[keys[index]];
    if (Array.isArray(value)) {
      for (let item = 0; item < value.length; item += 1) if (isNode(value[item])) stack.push(value[item]);
    } else if (isNode(value)) stack.push(value);
  }
}

/** The node of one of `types` spanning exactly [start, end) at or under `root`, if there is one. */
export function nodeSpanning(root: Positioned, start: number, end: number, types: ReadonlySet<string>): Positioned | undefined {
  let node: Positioned | undefined = root;
  while (node) {
    if (types.has(node.type) && node.start === start && node.end === end) return node;
    node = childSpanning(node, start, end);
  }
  return undefined;
}

/** Where `parent` holds `child` (a field, or an item of a list field), as a setter; undefined if it does not. */
export function slotOf(parent: Positioned, child: Positioned): { set(replacement: Positioned): void } | undefined {
  const fields = parent as unknown as Record<string, unknown>;
  for (const key of keysOf(parent)) {
    const value = fields[key];
    if (value === child) return { set: (replacement) => (fields[key] = replacement) };
    if (Array.isArray(value)) {
      const index = value.indexOf(child);
      if (index !== -1) return { set: (replacement) => (value[index] = replacement) };
    }
  }
  return undefined;
}
