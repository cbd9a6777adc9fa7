/**
 * Messages that say what to do instead: a stray argument (`minishark x.pcap`) and the names of
 * Wireshark protocols minishark does not dissect (`-Y http`, `-e http.host`).
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { CompiledFilter } from '../filter/index.js';
import { notDissected, notDissectedNote } from '../filter/not-dissected.js';

/** what a capture file is usually called */
const CAPTURE_NAME = /\.(pcap|pcapng|cap|ntar|dmp|erf|pcap\.gz|pcapng\.gz|gz)$/i;

function looksLikeCapture(arg: string): boolean {
  if (CAPTURE_NAME.test(arg)) return true;
  try {
    return fs.statSync(arg).isFile();
  } catch {
    return false;
  }
}

/** A word as a shell needs it. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whether a command-line token is an option of the program that takes the next token as its value. */
function takesValue(program: Command, token: string): boolean {
  if (token.startsWith('--')) {
    if (token.includes('=')) return false;
    const o = program.options.find((x) => x.long === token);
    return !!o && (o.required || o.optional);
  }
  // -Y tcp (value next) and -qr FILE (flags, the last takes the value); -Ytcp carries its value
  for (let i = 1; i < token.length; i++) {
    const o = program.options.find((x) => x.short === `-${token[i]}`);
    if (!o) return false;
    if (o.required || o.optional) return i === token.length - 1;
  }
  return false;
}

/** The indexes in `args` (the user's arguments) of the words that are no option and no option's value. */
function operandIndexes(program: Command, args: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      for (let j = i + 1; j < args.length; j++) out.push(j);
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      if (takesValue(program, a)) i++;
    } else out.push(i);
  }
  return out;
}

/**
 * The message for words given without an option (`minishark x.pcap`): a capture file is read with -r
 * (the command line to use instead), anything else is not an option (tshark would take it as a capture
 * filter: minishark does not capture). null when no such word is found.
 */
export function strayArgumentMessage(program: Command, args: readonly string[]): string | null {
  const stray = operandIndexes(program, args);
  if (!stray.length) return null;
  if (stray.every((i) => looksLikeCapture(args[i]!))) {
    // each file after -r (which takes even a name that starts with "-": no "--" needed)
    const fixed = args.flatMap((a, i) => (stray.includes(i) ? ['-r', shellWord(a)] : a === '--' ? [] : [shellWord(a)]));
    return `"${args[stray[0]!]}" is not an option; to read a capture file use -r: minishark ${fixed.join(' ')}`;
  }
  const words = stray.map((i) => args[i]!).join(' ');
  return `"${words}" is not an option: minishark reads capture files (-r FILE) and takes no capture filter; to select packets use -Y FILTER (see minishark --help)`;
}

/**
 * One stderr line per name of a Wireshark protocol minishark does not dissect, each name once: those
 * the filters read (-Y, then the -z filters) match nothing, those of -e print an empty column.
 */
export function notDissectedNotes(filters: readonly CompiledFilter[], fields: readonly string[]): string[] {
  const lines = new Map<string, string>();
  for (const f of filters) for (const n of f.notDissected) if (!lines.has(n.name)) lines.set(n.name, notDissectedNote(n, 'filter'));
  for (const name of fields) {
    const n = notDissected(name);
    if (n && !lines.has(name)) lines.set(name, notDissectedNote(n, 'column'));
  }
  return [...lines.values()];
}
