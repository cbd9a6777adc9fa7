import { field, protocol } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { register } from '../dissect/registry.js';

export const pData = protocol('data', 'Data', { short: 'Data' });
export const data = {
  data: field('data.data', 'Data', 'bytes'),
  len: field('data.len', 'Length', 'int'),
};

/**
 * Payload no dissector claims: the captured bytes, like Wireshark's "data" dissector (which never
 * throws: a payload cut by the snaplen shows what was captured, and nothing when none was).
 */
export function dissectData(ctx: Ctx, o: number, end: number, _rend: number): Next | null {
  const n = end - o;
  if (n <= 0) return null;
  const L = ctx.layer(pData, o, n);
  const F = ctx.tree.full;
  if (F) L.summary = `Data (${n} byte${n === 1 ? '' : 's'})`;
  ctx.addBytes(L, null, data.data, o, n, ctx.tree.texts ? `Data: ${Buffer.from(ctx.data.subarray(o, o + Math.min(n, 36))).toString('hex')}${n > 36 ? '…' : ''}` : undefined);
  ctx.gen(L, null, data.len, n, ctx.tree.texts ? `Length: ${n}` : undefined);
  return null;
}

register('data', dissectData);
