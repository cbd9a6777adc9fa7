import { fold, pseudoSum, sum16 } from '../core/checksum.js';
import { field, protocol } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { timeSub } from '../dissect/state.js';
import { formatRelTime } from '../output/format.js';
import { addrKey } from './tcp.js';

export const pUdp = protocol('udp', 'User Datagram Protocol');
export const udp = {
  srcport: field('udp.srcport', 'Source Port', 'uint', { bits: 16 }),
  dstport: field('udp.dstport', 'Destination Port', 'uint', { bits: 16 }),
  port: field('udp.port', 'Source or Destination Port', 'uint', { bits: 16 }),
  length: field('udp.length', 'Length', 'uint', { bits: 16 }),
  badLength: field('udp.length.bad', 'Bad length value', 'none'),
  checksum: field('udp.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumCalc: field('udp.checksum_calculated', 'Calculated Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumStatus: field('udp.checksum.status', 'Checksum Status', 'uint', { bits: 8, vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present' } }),
  checksumBad: field('udp.checksum.bad', 'Bad checksum', 'none'),
  stream: field('udp.stream', 'Stream index', 'uint'),
  timeRelative: field('udp.time_relative', 'Time since first frame', 'reltime'),
  timeDelta: field('udp.time_delta', 'Time since previous frame', 'reltime'),
  payload: field('udp.payload', 'Payload', 'bytes'),
};

interface UdpConv {
  index: number;
  first: { sec: number; nsec: number };
  prev: { sec: number; nsec: number };
}

export function dissectUdp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  ctx.need(o, 8, end, rend);
  const L = ctx.layer(pUdp, o, 8);
  const sport = ctx.u16(o);
  const dport = ctx.u16(o + 2);
  const ulen = ctx.u16(o + 4);
  const cks = ctx.u16(o + 6);
  ctx.add(L, null, udp.srcport, o, 2, sport, `Source Port: ${sport}`);
  ctx.add(L, null, udp.dstport, o + 2, 2, dport, `Destination Port: ${dport}`);
  ctx.tree.hidden(L, udp.port, o, 2, sport);
  ctx.tree.hidden(L, udp.port, o + 2, 2, dport);
  const reported = rend - o;
  const lenN = ctx.add(L, null, udp.length, o + 4, 2, ulen, `Length: ${ulen}`);
  let bad = false;
  if (ulen < 8 || (ulen > reported && !ctx.inError)) {
    bad = true;
    ctx.expert(L, lenN, udp.badLength, 'error', 'Malformed', ulen < 8 ? `Bad length value ${ulen} < 8` : `Bad length value ${ulen} > IP payload length`);
  }
  const dEnd = bad ? Math.min(end, o + reported) : Math.min(end, o + ulen);
  const dRend = bad ? rend : Math.min(rend, o + ulen);
  if (cks === 0 && ctx.netKind === 4) {
    ctx.add(L, null, udp.checksum, o + 6, 2, cks, `Checksum: 0x0000 [zero-value ignored]`);
    ctx.gen(L, null, udp.checksumStatus, 3, 'Checksum Status: Not present');
  } else if (ctx.state.prefs['udp.check_checksum'] && ctx.netSrc && ctx.netDst && !bad && o + ulen <= end && !ctx.inError) {
    const acc = pseudoSum(ctx.netSrc, ctx.netDst, 17, ulen) + sum16(ctx.data, o, ulen);
    const good = fold(acc) === 0;
    const computed = fold(acc - cks) || 0xffff;
    const n = ctx.add(L, null, udp.checksum, o + 6, 2, cks, `Checksum: 0x${cks.toString(16).padStart(4, '0')} ${good ? '[correct]' : `incorrect, should be 0x${computed.toString(16).padStart(4, '0')} (maybe caused by "UDP checksum offload"?)`}`);
    ctx.gen(L, null, udp.checksumCalc, computed, `Calculated Checksum: 0x${computed.toString(16).padStart(4, '0')}`);
    ctx.gen(L, null, udp.checksumStatus, good ? 1 : 0, `Checksum Status: ${good ? 'Good' : 'Bad'}`);
    if (!good) {
      ctx.expert(L, n, udp.checksumBad, 'error', 'Checksum', 'Bad checksum');
      ctx.pkt.infoSuffix += ' [UDP CHECKSUM INCORRECT]';
    }
  } else {
    ctx.add(L, null, udp.checksum, o + 6, 2, cks, `Checksum: 0x${cks.toString(16).padStart(4, '0')} [unverified]`);
    ctx.gen(L, null, udp.checksumStatus, 2, 'Checksum Status: Unverified');
  }
  if (!ctx.inError && ctx.netSrc && ctx.netDst) {
    const a = addrKey(ctx.netSrc);
    const b = addrKey(ctx.netDst);
    const key = a < b || (a === b && sport <= dport) ? `${a}|${sport}|${b}|${dport}` : `${b}|${dport}|${a}|${sport}`;
    const st = ctx.state.udpStreams;
    let conv: UdpConv | undefined = st.get(key);
    const ts = ctx.pkt.rec.ts;
    if (!conv) {
      conv = { index: st.size, first: ts, prev: ts };
      st.set(key, conv);
    }
    ctx.gen(L, null, udp.stream, conv.index, `Stream index: ${conv.index}`);
    if (ctx.tree.full || ctx.tree.wants(udp.timeRelative) || ctx.tree.wants(udp.timeDelta)) {
      const rel = timeSub(ts, conv.first);
      const delta = timeSub(ts, conv.prev);
      const tsN = ctx.gen(L, null, udp.timeRelative, rel, `Time since first frame: ${formatRelTime(rel)} seconds`);
      ctx.gen(L, null, udp.timeDelta, delta, `Time since previous frame: ${formatRelTime(delta)} seconds`);
      void tsN;
    }
    conv.prev = ts;
    ctx.pkt.udp = { srcKey: a, dstKey: b, srcPort: sport, dstPort: dport };
  }
  if (ctx.tree.full) L.summary = `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  if (ctx.tree.cols && !ctx.inError) {
    ctx.pkt.colProto = 'UDP';
    ctx.pkt.colInfo = `${sport} \u2192 ${dport} Len=${ulen - 8}`;
  }
  if (dEnd > o + 8) {
    const pl = ctx.bytes(o + 8, dEnd - o - 8);
    ctx.add(L, null, udp.payload, o + 8, pl.length, pl, `UDP payload (${pl.length} byte${pl.length === 1 ? '' : 's'})`);
    return { dissector: 'data', offset: o + 8, end: dEnd, rend: dRend };
  }
  return null;
}

register('udp', dissectUdp);
handoff('ip.proto', 17, 'udp');
