// Every packet of a list of captures as the JSON objects `-T jsonl` prints (in-process: the engine
// and the printer minishark runs, each line parsed back), for the JSON shape and schema tests.
import path from 'node:path';
import { Engine } from '../../src/dissect/engine.js';
import { CaptureError } from '../../src/io/errors.js';
import { openCapture } from '../../src/io/reader.js';
import { resolveFields } from '../../src/output/fields.js';
import { JsonPrinter } from '../../src/output/json.js';
import { captureFiles, CORPUS, FIXTURES, ROOT } from './reference.js';

/** every fixture, test input and (when present) shared/corpus capture */
export function allCaptures(): string[] {
  return [...captureFiles(FIXTURES), ...captureFiles(path.join(ROOT, 'test', 'inputs')), ...captureFiles(CORPUS)];
}

/** an -e list of hidden fields (shown because they are named), repeating fields, layers and columns */
export const E_HIDDEN = ['ip.addr', 'ip.host', 'ipv6.addr', 'tcp.port', 'udp.port', 'eth.addr', 'eth.lg', 'tcp.option_kind', 'tcp.options.nop', 'ip.src', 'data', '_ws.malformed', '_ws.col.Info', '_ws.expert'];

/** Calls `each` with every packet's JSON object and where it came from ("file#frame"); a capture
 * that ends in an error gives the packets before it. `fields`: an -e list. Returns the packet count. */
export async function eachJson(files: string[], fields: string[] | null, each: (o: unknown, where: string) => void): Promise<number> {
  const refs = fields ? resolveFields(fields).refs : null;
  let n = 0;
  for (const f of files) {
    const engine = new Engine({ full: true, texts: false, columns: refs !== null });
    const printer = new JsonPrinter(true, { refs });
    try {
      const reader = await openCapture(f);
      for await (const batch of reader.batches()) {
        for (const rec of batch) {
          n++;
          each(JSON.parse(printer.packet(engine.dissect(rec))), `${path.basename(f)}#${rec.num}`);
        }
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
    }
  }
  return n;
}

/** the JSON type of a value, as the type test counts them */
export function jsonType(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** Records the type of every key path of an object (array items at `path[]`) into `types`. */
export function keyTypes(o: unknown, where: string, types: Map<string, Map<string, string>>, at = ''): void {
  const t = jsonType(o);
  let m = types.get(at);
  if (!m) types.set(at, (m = new Map()));
  if (!m.has(t)) m.set(t, where);
  if (Array.isArray(o)) for (const x of o) keyTypes(x, where, types, at + '[]');
  else if (t === 'object') for (const [k, x] of Object.entries(o as object)) keyTypes(x, where, types, `${at}.${k}`);
}

/** the key paths with more than one JSON type (null aside), each with its types and where each was first seen */
export function mixedPaths(types: Map<string, Map<string, string>>): string[] {
  const out: string[] = [];
  for (const [p, m] of types) {
    const ts = [...m].filter(([t]) => t !== 'null');
    if (ts.length > 1) out.push(`${p}: ${ts.map(([t, w]) => `${t} (${w})`).join(', ')}`);
  }
  return out;
}
