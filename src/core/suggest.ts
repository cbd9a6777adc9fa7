/**
 * "Did you mean": the known names nearest to a mistyped one. Two kinds of near:
 *  - a few edits away (insert, delete, replace, swap two neighbours; letter case does not count), at
 *    most one edit per four characters (1 to 3): tcp.sek → tcp.seq, ipv4.src → ip.src;
 *  - a name that continues the typed one (tcp.window → tcp.window_size, …), when no name is an edit away.
 * The nearest come first (fewer edits, then shorter names); only the best distance is kept.
 */
import { allFields } from './field.js';

/** Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // three rows: the one before the previous (for swaps), the previous, the current
  let pp = new Array<number>(n + 1).fill(0);
  let p = Array.from({ length: n + 1 }, (_, j) => j);
  let c = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    c[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(p[j]! + 1, c[j - 1]! + 1, p[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, pp[j - 2]! + 1);
      c[j] = d;
    }
    [pp, p, c] = [p, c, pp];
  }
  return p[n]!;
}

/** Up to `max` names among `known` that `name` was probably meant to be (nearest first). */
export function suggest(name: string, known: Iterable<string>, max = 3): string[] {
  const typed = name.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 4)));
  let best = limit + 1;
  let near: string[] = [];
  const longer: string[] = [];
  for (const k of known) {
    if (k === name) continue;
    const lower = k.toLowerCase();
    if (typed.length >= 3 && lower.startsWith(typed)) longer.push(k);
    // a cheap bound first: the lengths alone need that many edits
    if (Math.abs(lower.length - typed.length) > best) continue;
    const d = editDistance(typed, lower);
    if (d > limit) continue;
    if (d < best) {
      best = d;
      near = [k];
    } else if (d === best) near.push(k);
  }
  const order = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return (near.length ? near : longer).sort(order).slice(0, max);
}

/** Other tools' names for Wireshark's protocols: ipv4.src is ip.src. */
const ALIASES: Record<string, string> = { ipv4: 'ip', ethernet: 'eth', ether: 'eth' };

/** The registered field and protocol names nearest to `name` (see suggest); `extra`: more known names. */
export function suggestField(name: string, extra: Iterable<string> = []): string[] {
  const known = [...allFields().map((d) => d.abbrev), ...extra];
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const alias = ALIASES[head.toLowerCase()];
  if (alias && known.includes(alias + name.slice(head.length))) return [alias + name.slice(head.length)];
  return suggest(name, known);
}

/** "a, b or c" */
export function orList(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}` : (words[0] ?? '');
}

/** "did you mean a, b or c?" ('' for no names). */
export function didYouMean(names: readonly string[]): string {
  return names.length ? `did you mean ${orList(names)}?` : '';
}

/** "Did you mean tcp.seq?" for an unknown field name, as a sentence; '' when nothing is near. */
export function fieldHint(name: string): string {
  const hint = didYouMean(suggestField(name));
  return hint && hint[0]!.toUpperCase() + hint.slice(1);
}

/** fieldHint for an error about an unknown field name (one with a `field`, as the display filter's
 * FilterFieldError); '' for other errors. */
export function unknownFieldHint(err: unknown): string {
  const field = (err as { field?: unknown } | null)?.field;
  return typeof field === 'string' ? fieldHint(field) : '';
}
