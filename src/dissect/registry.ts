import type { Ctx, Next, TableName } from './context.js';

/** A dissector: a function of the bytes [offset, end) (captured) with the reported end `rend`.
 * It adds a layer and fields, and returns where the rest goes (or null when it consumed it all). */
export type DissectFn = (ctx: Ctx, offset: number, end: number, rend: number) => Next | null;

const dissectors = new Map<string, DissectFn>();
const tables = new Map<TableName, Map<number, string>>();

/** Register a dissector under its protocol name. */
export function register(name: string, fn: DissectFn): void {
  dissectors.set(name, fn);
  resolved.clear();
}

/** Add a hand-off: add('ethertype', 0x0800, 'ip'), like Wireshark's dissector_add_uint. */
export function handoff(table: TableName, key: number, name: string): void {
  let t = tables.get(table);
  if (!t) tables.set(table, (t = new Map()));
  t.set(key, name);
  resolved.clear();
}

export function getDissector(name: string): DissectFn | undefined {
  return dissectors.get(name);
}

/** resolved entries: table → key → function (null: no entry); dropped when a table changes */
const resolved = new Map<TableName, Map<number, DissectFn | null>>();

/** The dissector for a table key, or undefined when the table has no entry. */
export function lookup(table: TableName, key: number): DissectFn | undefined {
  let r = resolved.get(table);
  if (!r) resolved.set(table, (r = new Map()));
  let fn = r.get(key);
  if (fn === undefined) {
    const name = tables.get(table)?.get(key);
    fn = (name === undefined ? undefined : dissectors.get(name)) ?? null;
    // only keys that occur are cached: at most a table's 2^16 keys (32 for IP versions)
    r.set(key, fn);
  }
  return fn ?? undefined;
}

/**
 * The key under which a transport's payload goes through its port table (`udp.port`, `tcp.port`),
 * as Wireshark's decode_udp_ports / decode_tcp_ports choose it (heuristics not tried first, no
 * conversation dissector): the server port when the transport knows it (TCP: from the handshake),
 * then the lower port, then the higher; port 0 never matches. -1: no entry (the payload is data).
 */
export function portKey(table: TableName, sport: number, dport: number, server = 0): number {
  const t = tables.get(table);
  if (!t) return -1;
  if (server !== 0 && t.has(server)) return server;
  const lo = sport < dport ? sport : dport;
  const hi = sport < dport ? dport : sport;
  if (lo !== 0 && t.has(lo)) return lo;
  if (hi !== 0 && t.has(hi)) return hi;
  return -1;
}

/** Names of the dissectors registered, for docs and tests. */
export function registeredDissectors(): string[] {
  return [...dissectors.keys()];
}
