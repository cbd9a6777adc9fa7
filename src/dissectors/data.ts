import { field, protocol } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { register } from '../dissect/registry.js';

export const pData = protocol('data', 'Data');
export const data = {
  data: field('data.data', 'Data', 'bytes'),
  len: field('data.len', 'Length', 'int'),
};

/** Payload no dissector claims: shown as bytes, like Wireshark's "data" dissector. */
export function dissectData(ctx: Ctx, o: number, end: number, _rend: number): Next | null {
  const n = end - o;
  if (n <= 0) return null;
  const L = ctx.layer(pData, o, n);
  const b = ctx.bytes(o, n);
  if (ctx.tree.full) L.summary = `Data (${n} byte${n === 1 ? '' : 's'})`;
  ctx.add(L, null, data.data, o, n, b, `Data: ${Buffer.from(b.subarray(0, 36)).toString('hex')}${n > 36 ? '…' : ''}`);
  ctx.gen(L, null, data.len, n, `Length: ${n}`);
  return null;
}

register('data', dissectData);
