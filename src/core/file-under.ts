/**
 * Files `item` under `key` in a map of lists, once when the same item comes again in a row (the
 * importers of one file, an export's calls, a name's assigned values).
 */
export function fileUnder<T>(index: Map<string, T[]>, key: string, item: T): void {
  const items = index.get(key);
  if (!items) index.set(key, [item]);
  else if (items[items.length - 1] !== item) items.push(item);
}
