import * as fs from 'node:fs';
import path from 'node:path';

/** Match `*` and `?` in the last path component (shells expand unquoted globs themselves). */
export function expandGlob(pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (/[*?]/.test(dir)) return [pattern];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [pattern];
  }
  const out = names
    .filter((n) => re.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => (dir === '.' && !pattern.startsWith('./') ? n : path.join(dir, n)))
    .filter((p) => {
      try {
        return fs.statSync(p).isFile();
      } catch {
        return false;
      }
    });
  return out.length ? out : [pattern];
}
