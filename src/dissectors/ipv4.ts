import { ipv4At } from '../core/addr.js';
import { fold, sum16 } from '../core/checksum.js';
import { field, protocol, type FieldNode, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { MalformedError } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { IP_PROTO } from './ipproto.js';

const DSCP: Record<number, string> = {
  0: 'Default', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12', 14: 'Assured Forwarding 13',
  16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22', 22: 'Assured Forwarding 23',
  24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32', 30: 'Assured Forwarding 33',
  32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42', 38: 'Assured Forwarding 43',
  40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding', 48: 'Class Selector 6', 56: 'Class Selector 7', 1: 'Lower Effort',
};
const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23', 24: 'CS3', 26: 'AF31',
  28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5', 44: 'VOICE-ADMIT', 46: 'EF', 48: 'CS6', 56: 'CS7', 1: 'LE',
};
export const ECN: Record<number, string> = {
  0: 'Not ECN-Capable Transport',
  1: 'ECN-Capable Transport codepoint \'01\'',
  2: 'ECN-Capable Transport codepoint \'10\'',
  3: 'Congestion Experienced',
};
export const ECN_SHORT: Record<number, string> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' };
export { DSCP, DSCP_SHORT };

const IPOPT: Record<number, string> = {
  0: 'End of Options List (EOL)', 1: 'No-Operation (NOP)', 7: 'Record Route', 68: 'Time Stamp', 130: 'Security',
  131: 'Loose Source Route', 133: 'Extended Security', 136: 'Stream ID', 137: 'Strict Source Route', 148: 'Router Alert',
  82: 'Traceroute', 25: 'Quick-Start', 134: 'Commercial Security', 149: 'Selective Directed Broadcast',
};

export const pIp = protocol('ip', 'Internet Protocol Version 4');
export const ip = {
  version: field('ip.version', 'Version', 'uint', { bits: 8, bitmask: 0xf0 }),
  hdrLen: field('ip.hdr_len', 'Header Length', 'uint', { bits: 8, bitmask: 0x0f }),
  dsfield: field('ip.dsfield', 'Differentiated Services Field', 'uint', { base: 'hex', bits: 8 }),
  dscp: field('ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint', { bits: 8, bitmask: 0xfc, vals: DSCP }),
  ecn: field('ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint', { bits: 8, bitmask: 0x03, vals: ECN }),
  len: field('ip.len', 'Total Length', 'uint', { bits: 16 }),
  id: field('ip.id', 'Identification', 'uint', { base: 'hex_dec', bits: 16 }),
  flags: field('ip.flags', 'Flags', 'uint', { base: 'hex', bits: 8, bitmask: 0xe0 }),
  rb: field('ip.flags.rb', 'Reserved bit', 'bool', { bits: 8, bitmask: 0x80 }),
  df: field('ip.flags.df', "Don't fragment", 'bool', { bits: 8, bitmask: 0x40 }),
  mf: field('ip.flags.mf', 'More fragments', 'bool', { bits: 8, bitmask: 0x20 }),
  fragOffset: field('ip.frag_offset', 'Fragment Offset', 'uint', { bits: 16, bitmask: 0x1fff }),
  ttl: field('ip.ttl', 'Time to Live', 'uint', { bits: 8 }),
  proto: field('ip.proto', 'Protocol', 'uint', { bits: 8, vals: IP_PROTO }),
  checksum: field('ip.checksum', 'Header Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumCalc: field('ip.checksum_calculated', 'Calculated Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumStatus: field('ip.checksum.status', 'Header checksum status', 'uint', { bits: 8, vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  checksumBad: field('ip.checksum_bad.expert', 'Bad checksum', 'none'),
  src: field('ip.src', 'Source Address', 'ipv4'),
  dst: field('ip.dst', 'Destination Address', 'ipv4'),
  addr: field('ip.addr', 'Source or Destination Address', 'ipv4'),
  srcHost: field('ip.src_host', 'Source Host', 'string'),
  dstHost: field('ip.dst_host', 'Destination Host', 'string'),
  host: field('ip.host', 'Source or Destination Host', 'string'),
  opt: field('ip.options', 'Options', 'bytes'),
  optType: field('ip.opt.type', 'Type', 'uint', { bits: 8, vals: IPOPT }),
  optCopy: field('ip.opt.type.copy', 'Copy on fragmentation', 'bool', { bits: 8, bitmask: 0x80 }),
  optClass: field('ip.opt.type.class', 'Class', 'uint', { bits: 8, bitmask: 0x60, vals: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' } }),
  optNumber: field('ip.opt.type.number', 'Number', 'uint', { bits: 8, bitmask: 0x1f }),
  optLen: field('ip.opt.len', 'Length', 'uint', { bits: 8 }),
  optPadding: field('ip.opt.padding', 'Padding', 'bytes'),
  optRa: field('ip.opt.ra', 'Router Alert', 'uint', { bits: 16, vals: { 0: 'Router shall examine packet (0)' } }),
  optPtr: field('ip.opt.ptr', 'Pointer', 'uint', { bits: 8 }),
  optRecRt: field('ip.rec_rt', 'Recorded Route', 'ipv4'),
  optBadLen: field('ip.opt.len.invalid', 'Invalid length for option', 'none'),
  fragments: field('ip.fragments', 'IPv4 Fragments', 'bytes'),
  fragment: field('ip.fragment', 'IPv4 Fragment', 'framenum'),
  fragOverlap: field('ip.fragment.overlap', 'Fragment overlap', 'bool'),
  fragConflict: field('ip.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'),
  fragTooLong: field('ip.fragment.toolongfragment', 'Fragment too long', 'bool'),
  fragCount: field('ip.fragment.count', 'Fragment count', 'uint'),
  reassembledIn: field('ip.reassembled_in', 'Reassembled IPv4 in frame', 'framenum'),
  reassembledLength: field('ip.reassembled.length', 'Reassembled IPv4 length', 'uint'),
  reassembledData: field('ip.reassembled.data', 'Reassembled IPv4 data', 'bytes'),
  badHdrLen: field('ip.bogus_header_length', 'Bogus IP header length', 'none'),
  badLen: field('ip.bogus_ip_length', 'Bogus IP length', 'none'),
  badVersion: field('ip.bogus_ip_version', 'Bogus IP version', 'none'),
  ttlZero: field('ip.ttl.too_small', 'Time To Live too small', 'none'),
  badSrc: field('ip.src.bogus', 'Source address must not be a multicast address', 'none'),
};

function onOff(b: boolean): string {
  return b ? 'Set' : 'Not set';
}

export function bitText(bits: number, mask: number, raw: number, label: string, value: string): string {
  return `${bitPicture(bits, mask, raw)} = ${label}: ${value}`;
}

function dissectOptions(ctx: Ctx, L: Layer, o: number, end: number): void {
  const len = end - o;
  const top = ctx.add(L, null, ip.opt, o, len, ctx.bytes(o, len), `Options: (${len} bytes)${optSummary(ctx, o, end)}`);
  while (o < end) {
    const t = ctx.u8(o);
    const name = IPOPT[t & 0xff] ?? 'Unknown';
    if (t === 0 || t === 1) {
      const n = ctx.add(L, top, ip.optType, o, 1, t, `IP Option - ${name}`);
      typeChildren(ctx, L, n, o, t);
      o++;
      if (t === 0) {
        // everything after EOL is padding
        if (o < end) ctx.add(L, top, ip.optPadding, o, end - o, ctx.bytes(o, end - o));
        return;
      }
      continue;
    }
    if (o + 1 >= end) {
      ctx.add(L, top, ip.optBadLen, o, 1, null, 'Option length is missing');
      return;
    }
    const olen = ctx.u8(o + 1);
    const holder = ctx.add(L, top, ip.optType, o, Math.max(2, Math.min(olen, end - o)), t, `IP Option - ${name} (${olen} bytes)`);
    typeChildren(ctx, L, holder, o, t);
    ctx.add(L, holder, ip.optLen, o + 1, 1, olen, `Length: ${olen}`);
    if (olen < 2 || o + olen > end) {
      ctx.add(L, holder, ip.optBadLen, o + 1, 1, null, `Length: ${olen} (invalid)`);
      return;
    }
    if (t === 148 && olen === 4) ctx.add(L, holder, ip.optRa, o + 2, 2, ctx.u16(o + 2), `Router Alert: ${ctx.u16(o + 2) === 0 ? 'Router shall examine packet' : 'Reserved'} (${ctx.u16(o + 2)})`);
    if ((t === 7 || t === 131 || t === 137) && olen >= 3) {
      ctx.add(L, holder, ip.optPtr, o + 2, 1, ctx.u8(o + 2), `Pointer: ${ctx.u8(o + 2)}`);
      for (let a = o + 3; a + 4 <= o + olen; a += 4) ctx.add(L, holder, ip.optRecRt, a, 4, ctx.u32(a), `Recorded Route: ${ipv4At(ctx.data, a)}`);
    }
    o += olen;
  }
}

function optSummary(ctx: Ctx, o: number, end: number): string {
  const names: string[] = [];
  while (o < end) {
    const t = ctx.u8(o);
    names.push(IPOPT[t] ?? 'Unknown');
    if (t === 0) break;
    if (t === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const l = ctx.u8(o + 1);
    if (l < 2) break;
    o += l;
  }
  return names.length ? `, ${names.join(', ')}` : '';
}

function typeChildren(ctx: Ctx, L: Layer, parent: FieldNode | null, o: number, t: number): void {
  if (!parent) return;
  ctx.add(L, parent, ip.optType, o, 1, t, `Type: ${t}`);
  ctx.add(L, parent, ip.optCopy, o, 1, (t & 0x80) !== 0, bitText(8, 0x80, t, 'Copy on fragmentation', (t & 0x80) ? 'Yes' : 'No'));
  ctx.add(L, parent, ip.optClass, o, 1, (t >> 5) & 3, bitText(8, 0x60, t, 'Class', `${['Control', 'Reserved for future use', 'Debugging and measurement', 'Reserved for future use'][(t >> 5) & 3]} (${(t >> 5) & 3})`));
  ctx.add(L, parent, ip.optNumber, o, 1, t & 0x1f, bitText(8, 0x1f, t, 'Number', `${IPOPT[t] ?? 'Unknown'} (${t & 0x1f})`));
}

export function dissectIpv4(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  ctx.need(o, 1, end, rend);
  const L = ctx.layer(pIp, o, 20);
  const vh = ctx.u8(o);
  const version = vh >> 4;
  const hl = (vh & 0x0f) * 4;
  ctx.add(L, null, ip.version, o, 1, version, bitText(8, 0xf0, vh, 'Version', String(version)));
  if (version !== 4) {
    ctx.add(L, null, ip.badVersion, o, 1, null, `Bogus IP version (${version})`);
    ctx.pkt.colProto = 'IPv4';
    if (ctx.tree.cols) ctx.pkt.colInfo = `Bogus IP version (${version})`;
    ctx.expert(L, null, ip.badVersion, 'error', 'Protocol', `Bogus IP version (${version})`);
    return null;
  }
  if (hl < 20) {
    ctx.add(L, null, ip.hdrLen, o, 1, hl, bitText(8, 0x0f, vh, 'Header Length', `${hl} bytes (${vh & 15})`));
    ctx.pkt.colProto = 'IPv4';
    if (ctx.tree.cols) ctx.pkt.colInfo = `Bogus IPv4 header length (${hl}, must be at least 20)`;
    ctx.expert(L, null, ip.badHdrLen, 'error', 'Protocol', `Bogus IP header length (${hl}, must be at least 20)`);
    return null;
  }
  ctx.add(L, null, ip.hdrLen, o, 1, hl, bitText(8, 0x0f, vh, 'Header Length', `${hl} bytes (${vh & 15})`));
  ctx.need(o, 20, end, rend);
  const ds = ctx.u8(o + 1);
  const dsN = ctx.add(L, null, ip.dsfield, o + 1, 1, ds, `Differentiated Services Field: 0x${ds.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[ds >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]})`);
  ctx.add(L, dsN, ip.dscp, o + 1, 1, ds >> 2, bitText(8, 0xfc, ds, 'Differentiated Services Codepoint', `${DSCP[ds >> 2] ?? 'Unknown'} (${ds >> 2})`));
  ctx.add(L, dsN, ip.ecn, o + 1, 1, ds & 3, bitText(8, 0x03, ds, 'Explicit Congestion Notification', `${ECN[ds & 3]} (${ds & 3})`));
  let totalLen = ctx.u16(o + 2);
  const id = ctx.u16(o + 4);
  const ff = ctx.u16(o + 6);
  const flags = ff >> 13;
  const fragOff = ff & 0x1fff;
  const ttl = ctx.u8(o + 8);
  const proto = ctx.u8(o + 9);
  const cks = ctx.u16(o + 10);
  const src = ctx.u32(o + 12);
  const dst = ctx.u32(o + 16);
  // TSO/BIG TCP: total length 0 means "use the captured length", as Wireshark does
  let lenNote = '';
  if (totalLen === 0) {
    totalLen = rend - o;
    lenNote = ' (0, TSO/GSO: using reported length)';
  }
  ctx.add(L, null, ip.len, o + 2, 2, ctx.u16(o + 2), `Total Length: ${ctx.u16(o + 2)}${lenNote}`);
  ctx.add(L, null, ip.id, o + 4, 2, id, `Identification: 0x${id.toString(16).padStart(4, '0')} (${id})`);
  const fb = ctx.u8(o + 6);
  const flagNames = [(flags & 2) ? "Don't fragment" : '', (flags & 1) ? 'More fragments' : ''].filter(Boolean).join(', ');
  const flN = ctx.add(L, null, ip.flags, o + 6, 1, flags, `${bitPicture(8, 0xe0, fb)} = Flags: 0x${flags.toString(16)}${flagNames ? ', ' + flagNames : ''}`);
  ctx.add(L, flN, ip.rb, o + 6, 1, (flags & 4) !== 0, bitText(8, 0x80, fb, 'Reserved bit', onOff((flags & 4) !== 0)));
  ctx.add(L, flN, ip.df, o + 6, 1, (flags & 2) !== 0, bitText(8, 0x40, fb, "Don't fragment", onOff((flags & 2) !== 0)));
  ctx.add(L, flN, ip.mf, o + 6, 1, (flags & 1) !== 0, bitText(8, 0x20, fb, 'More fragments', onOff((flags & 1) !== 0)));
  ctx.add(L, null, ip.fragOffset, o + 6, 2, fragOff, bitText(16, 0x1fff, ff, 'Fragment Offset', String(fragOff * 8)));
  ctx.add(L, null, ip.ttl, o + 8, 1, ttl, `Time to Live: ${ttl}`);
  const protoName = IP_PROTO[proto] ?? 'Unknown';
  ctx.add(L, null, ip.proto, o + 9, 1, proto, `Protocol: ${protoName} (${proto})`);
  if (ctx.state.prefs['ip.check_checksum'] && o + hl <= end) {
    const calc = fold(sum16(ctx.data, o, hl));
    const good = calc === 0;
    const computed = fold(sum16(ctx.data, o, 10) + sum16(ctx.data, o + 12, hl - 12));
    const n = ctx.add(L, null, ip.checksum, o + 10, 2, cks, `Header Checksum: 0x${cks.toString(16).padStart(4, '0')} ${good ? '[correct]' : `incorrect, should be 0x${computed.toString(16).padStart(4, '0')}(may be caused by "IP checksum offload"?)`}`);
    ctx.gen(L, null, ip.checksumCalc, computed, `Calculated Checksum: 0x${computed.toString(16).padStart(4, '0')}`);
    ctx.gen(L, null, ip.checksumStatus, good ? 1 : 0, `Header checksum status: ${good ? 'Good' : 'Bad'}`);
    if (!good) {
      ctx.expert(L, n, ip.checksumBad, 'error', 'Checksum', 'Bad checksum');
      ctx.pkt.infoSuffix += ' [IP CHECKSUM INCORRECT]';
    }
  } else {
    ctx.add(L, null, ip.checksum, o + 10, 2, cks, `Header Checksum: 0x${cks.toString(16).padStart(4, '0')} [validation disabled]`);
    ctx.gen(L, null, ip.checksumStatus, 2, 'Header checksum status: Unverified');
  }
  const srcS = ipv4At(ctx.data, o + 12);
  const dstS = ipv4At(ctx.data, o + 16);
  ctx.add(L, null, ip.src, o + 12, 4, src, `Source Address: ${srcS}`);
  ctx.tree.hidden(L, ip.addr, o + 12, 4, src);
  ctx.tree.hidden(L, ip.srcHost, o + 12, 4, srcS);
  ctx.tree.hidden(L, ip.host, o + 12, 4, srcS);
  ctx.add(L, null, ip.dst, o + 16, 4, dst, `Destination Address: ${dstS}`);
  ctx.tree.hidden(L, ip.addr, o + 16, 4, dst);
  ctx.tree.hidden(L, ip.dstHost, o + 16, 4, dstS);
  ctx.tree.hidden(L, ip.host, o + 16, 4, dstS);
  if (ctx.tree.full) L.summary = `Internet Protocol Version 4, Src: ${srcS}, Dst: ${dstS}`;
  if (ctx.tree.cols && !ctx.inError) {
    ctx.pkt.colSrc = srcS;
    ctx.pkt.colDst = dstS;
    ctx.pkt.colProto = 'IPv4';
  }
  if (hl > 20) {
    ctx.need(o, hl, end, rend);
    dissectOptions(ctx, L, o + 20, o + hl);
  }
  L.length = hl;
  if (totalLen < hl) {
    if (ctx.tree.cols) ctx.pkt.colInfo = `Bogus IPv4 total length (${totalLen}, must be at least ${hl})`;
    ctx.expert(L, null, ip.badLen, 'error', 'Protocol', `Bogus IP length (${totalLen}, less than header length ${hl})`);
    return null;
  }
  // the datagram ends at the reported total length; what lies beyond it in the frame is padding/trailer
  const dgEnd = o + totalLen;
  if (!ctx.inError && ctx.l3End < 0) ctx.l3End = Math.min(dgEnd, end);
  if (dgEnd > rend) {
    // IP says more than the frame carried: Wireshark flags it and dissects what is there
    if (!ctx.inError) {
      ctx.expert(L, null, ip.badLen, 'error', 'Protocol', `IPv4 total length exceeds packet length (${rend - o} bytes)`);
      throw new MalformedError('IPv4 total length exceeds packet length', o + 2);
    }
  }
  const pEnd = Math.min(end, dgEnd);
  const pRend = ctx.inError ? Math.max(dgEnd, pEnd) : Math.min(rend, dgEnd);
  ctx.netKind = 4;
  ctx.netSrc = ctx.data.subarray(o + 12, o + 16);
  ctx.netDst = ctx.data.subarray(o + 16, o + 20);
  const isFrag = (flags & 1) !== 0 || fragOff !== 0;
  if (isFrag && ctx.state.prefs['ip.defragment'] && !ctx.inError) {
    const key = `${src}:${dst}:${id}:${proto}`;
    const payload = ctx.data.subarray(o + hl, pEnd);
    const r = pEnd === dgEnd ? ctx.state.defrag4.add(key, ctx.pkt.rec.num, fragOff * 8, payload, (flags & 1) !== 0) : null;
    if (!r) {
      if (ctx.tree.cols) {
        ctx.pkt.colProto = 'IPv4';
        ctx.pkt.colInfo = `Fragmented IP protocol (proto=${protoName} ${proto}, off=${fragOff * 8}, ID=${id.toString(16).padStart(4, '0')})`;
      }
      ctx.fragment = true;
      return { dissector: 'data', offset: o + hl, end: pEnd, rend: pRend };
    }
    const fragsN = ctx.add(L, null, ip.fragments, o + hl, 0, r.data,
      `${r.fragments.length} IPv4 Fragments (${r.data.length} bytes): ${r.fragments.map((fr) => `#${fr.frame}(${fr.data.length})`).join(', ')}`);
    if (fragsN) fragsN.generated = true;
    for (const fr of r.fragments) {
      const n = ctx.add(L, fragsN, ip.fragment, 0, 0, fr.frame, `Frame: ${fr.frame}, payload: ${fr.offset}-${fr.offset + fr.data.length - 1} (${fr.data.length} bytes)`);
      if (n) n.generated = true;
      if (fr.overlap) ctx.gen(L, n, ip.fragOverlap, true, 'Fragment overlap: True');
      if (fr.conflict) ctx.gen(L, n, ip.fragConflict, true, 'Conflicting data in fragment overlap: True');
      if (fr.tooLong) ctx.gen(L, n, ip.fragTooLong, true, 'Fragment too long: True');
    }
    ctx.gen(L, fragsN, ip.fragCount, r.fragments.length, `Fragment count: ${r.fragments.length}`);
    ctx.gen(L, fragsN, ip.reassembledLength, r.data.length, `Reassembled IPv4 length: ${r.data.length}`);
    ctx.gen(L, fragsN, ip.reassembledData, r.data, `Reassembled IPv4 data: ${Buffer.from(r.data.subarray(0, 36)).toString('hex')}${r.data.length > 36 ? '…' : ''}`);
    return { table: 'ip.proto', key: proto, offset: 0, end: r.data.length, rend: r.data.length, data: r.data };
  }
  if (isFrag) ctx.fragment = true;
  if (fragOff !== 0) {
    if (ctx.tree.cols && !ctx.inError) {
      ctx.pkt.colInfo = `Fragmented IP protocol (proto=${protoName} ${proto}, off=${fragOff * 8}, ID=${id.toString(16).padStart(4, '0')})`;
    }
    return { dissector: 'data', offset: o + hl, end: pEnd, rend: pRend };
  }
  return { table: 'ip.proto', key: proto, offset: o + hl, end: pEnd, rend: pRend };
}

register('ip', dissectIpv4);
handoff('ethertype', 0x0800, 'ip');
handoff('linktype', 228, 'ip');
