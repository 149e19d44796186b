/**
 * The known name a mistyped one most likely meant, at most `maxEdits` edits away, letter case aside
 * (`network-calls` → `network-call`, `thirdparties` → `thirdParties`); the nearest, the first on a tie.
 */
export function closestName(word: string, names: Iterable<string>, maxEdits = 2): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= maxEdits && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein's distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
