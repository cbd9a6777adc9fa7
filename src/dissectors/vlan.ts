import { field, protocol, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { dissect8023, ETHERTYPES, etypeText, ethertypeNext, ownTrailer } from './ethernet.js';

/** IEEE 802.1Q-2014 Table I-2, 8 priorities and no drop eligible ones (Wireshark's default). */
const PRI: Record<number, string> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
};

export const pVlan = protocol('vlan', '802.1Q Virtual LAN', { repeats: true, short: 'VLAN', analysis: false }) // VLAN in VLAN;
export const vlan = {
  priority: field('vlan.priority', 'Priority', 'uint', { bits: 16, bitmask: 0xe000, vals: PRI }),
  dei: field('vlan.dei', 'DEI', 'bool', { bits: 16, bitmask: 0x1000, tf: ['Eligible', 'Ineligible'] }),
  id: field('vlan.id', 'ID', 'uint', { bits: 16, bitmask: 0x0fff }),
  etype: field('vlan.etype', 'Type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  len: field('vlan.len', 'Length', 'uint', { bits: 16 }),
  trailer: field('vlan.trailer', 'Trailer', 'bytes'),
  lenPastEnd: field('vlan.len.past_end', 'Length field value goes past the end of the payload', 'none'),
  tooManyTags: field('vlan.too_many_tags', 'Too many nested VLAN tags', 'none'),
};

/** Wireshark stops after this many nested 802.1Q tags (VLAN_MAX_NESTED_TAGS) with an expert note. */
export const VLAN_MAX_NESTED_TAGS = 20;

export const pIeee8021ad = protocol('ieee8021ad', 'IEEE 802.1ad', { repeats: true, short: 'IEEE 802.1AD', analysis: false }) // stacked S-tags;
export const ieee8021ad = {
  priority: field('ieee8021ad.priority', 'Priority', 'uint', { bits: 16, bitmask: 0xe000 }),
  dei: field('ieee8021ad.dei', 'DEI', 'uint', { bits: 16, bitmask: 0x1000 }),
  id: field('ieee8021ad.id', 'ID', 'uint', { bits: 16, bitmask: 0x0fff }),
  svid: field('ieee8021ad.svid', 'ID', 'uint', { bits: 16, bitmask: 0x0fff }),
  cvid: field('ieee8021ad.cvid', 'ID', 'uint', { bits: 16, bitmask: 0x0fff }),
};
/** 802.1ad tags use the 802.1ah dissector's type and trailer fields, as in Wireshark. */
export const ieee8021ah = {
  etype: field('ieee8021ah.etype', 'Type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  trailer: field('ieee8021ah.trailer', 'Trailer', 'bytes'),
};

/** Number of 802.1Q layers in the packet so far (Wireshark's per-packet protocol depth). */
function vlanDepth(ctx: Ctx): number {
  const layers = ctx.pkt.layers;
  let n = 0;
  for (let i = 0; i < layers.length; i++) if (layers[i]!.def === pVlan) n++;
  return n;
}

/** 802.1Q tag (ethertype 0x8100, and 0x9100, the old Q-in-Q type). */
export function dissectVlan(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const depth = vlanDepth(ctx);
  const L = ctx.layer(pVlan, o, 4);
  ctx.pkt.colProto = 'VLAN';
  if (ctx.tree.cols) ctx.pkt.colInfo = '';
  ctx.need(o, 2, end, rend);
  const tci = ctx.u16(o);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0xfff;
  if (ctx.tree.cols) ctx.pkt.colInfo = `PRI: ${pri}  DEI: ${dei}  ID: ${id}`;
  if (depth + 1 > VLAN_MAX_NESTED_TAGS) {
    ctx.expert(L, null, vlan.tooManyTags, 'warn', 'Undecoded', 'Too many nested VLAN tags');
    return null;
  }
  const full = ctx.tree.full;
  if (full) L.summary = `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`;
  ctx.add(L, null, vlan.priority, o, 2, pri, ctx.tree.texts ? `${bitPicture(16, 0xe000, tci)} = Priority: ${PRI[pri]} (${pri})` : undefined);
  ctx.add(L, null, vlan.dei, o, 2, dei === 1, ctx.tree.texts ? `${bitPicture(16, 0x1000, tci)} = DEI: ${dei ? 'Eligible' : 'Ineligible'}` : undefined);
  ctx.add(L, null, vlan.id, o, 2, id, ctx.tree.texts ? `${bitPicture(16, 0x0fff, tci)} = ID: ${id}` : undefined);
  ctx.need(o, 4, end, rend);
  const encap = ctx.u16(o + 2);
  if (encap <= 1500) {
    const is8022 = !(o + 6 <= end && ctx.data[o + 4] === 0xff && ctx.data[o + 5] === 0xff);
    return dissect8023(ctx, L, encap, is8022, o, o + 4, end, rend, vlan.len, vlan.lenPastEnd, vlan.trailer, 0);
  }
  ctx.add(L, null, vlan.etype, o + 2, 2, encap, ctx.tree.texts ? etypeText('Type', encap) : undefined);
  ownTrailer(ctx, L, vlan.trailer, o, rend, 0);
  return ethertypeNext(ctx, encap, o + 4, end, rend);
}

function tagFields(ctx: Ctx, L: Layer, o: number, tci: number, idField: typeof ieee8021ad.id): void {
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0xfff;
  ctx.add(L, null, ieee8021ad.priority, o, 1, pri, ctx.tree.texts ? `${bitPicture(16, 0xe000, tci)} = Priority: ${pri}` : undefined);
  ctx.add(L, null, ieee8021ad.dei, o, 1, dei, ctx.tree.texts ? `${bitPicture(16, 0x1000, tci)} = DEI: ${dei}` : undefined);
  ctx.add(L, null, idField, o, 2, id, ctx.tree.texts ? `${bitPicture(16, 0x0fff, tci)} = ID: ${id}` : undefined);
}

/** IEEE 802.1ad service tag (ethertype 0x88a8). Two S-tags in a row make one layer (S-VID, C-VID). */
export function dissectIeee8021ad(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pIeee8021ad, o, 4);
  ctx.pkt.colProto = '802.1ad';
  if (ctx.tree.cols) ctx.pkt.colInfo = '';
  ctx.need(o, 2, end, rend);
  const tci = ctx.u16(o);
  if (ctx.tree.cols) ctx.pkt.colInfo = `PRI: ${tci >> 13}  DROP: ${(tci >> 12) & 1} ID: ${tci & 0xfff}`;
  ctx.need(o, 4, end, rend);
  const encap = ctx.u16(o + 2);
  const full = ctx.tree.full;
  if (encap === 0x88a8) {
    // two tags (Q-in-Q) in one 802.1ad layer
    ctx.need(o, 6, end, rend);
    const ctci = ctx.u16(o + 4);
    tagFields(ctx, L, o, tci, ieee8021ad.svid);
    tagFields(ctx, L, o + 4, ctci, ieee8021ad.cvid);
    if (full) L.summary = `IEEE 802.1ad, S-VID: ${tci & 0xfff}, C-VID: ${ctci & 0xfff}`;
    ctx.need(o, 8, end, rend);
    const etype = ctx.u16(o + 6);
    ctx.add(L, null, ieee8021ah.etype, o + 6, 2, etype, ctx.tree.texts ? etypeText('Type', etype) : undefined);
    ownTrailer(ctx, L, ieee8021ah.trailer, o, rend, 0);
    return ethertypeNext(ctx, etype, o + 8, end, rend);
  }
  tagFields(ctx, L, o, tci, ieee8021ad.id);
  if (full) L.summary = `IEEE 802.1ad, ID: ${tci & 0xfff}`;
  ctx.add(L, null, ieee8021ah.etype, o + 2, 2, encap, ctx.tree.texts ? etypeText('Type', encap) : undefined);
  ownTrailer(ctx, L, ieee8021ah.trailer, o, rend, 0);
  return ethertypeNext(ctx, encap, o + 4, end, rend);
}

register('vlan', dissectVlan);
register('ieee8021ad', dissectIeee8021ad);
handoff('ethertype', 0x8100, 'vlan');
handoff('ethertype', 0x9100, 'vlan');
handoff('ethertype', 0x88a8, 'ieee8021ad');
