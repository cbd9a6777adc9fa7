/**
 * UDP (Wireshark 4.0's packet-udp.c): ports, length checks, checksum (zero, and verification with
 * udp.check_checksum), the conversation's stream index and timestamps, the payload handed to data.
 *
 * Inside an ICMP error (ctx.inError > 0) the columns stay the ICMP's, the checksum zero is always
 * "ignored", timestamps are not computed and the payload is shown only when some of it was quoted;
 * the conversation (stream index) is looked up or created as Wireshark does.
 */
import { fold, pseudoSum, sum16 } from '../core/checksum.js';
import { field, protocol, type FieldNode, type Layer } from '../core/field.js';
import type { Time } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, lookup, portKey, register } from '../dissect/registry.js';
import { timeSub } from '../dissect/state.js';
import { formatRelTime } from '../output/format.js';
import { dissectData } from './data.js';

export const pUdp = protocol('udp', 'User Datagram Protocol', { short: 'UDP', analysis: false });
const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
export const udp = {
  srcport: field('udp.srcport', 'Source Port', 'uint', { bits: 16 }),
  dstport: field('udp.dstport', 'Destination Port', 'uint', { bits: 16 }),
  port: field('udp.port', 'Source or Destination Port', 'uint', { bits: 16, repeats: true }),
  stream: field('udp.stream', 'Stream index', 'uint'),
  length: field('udp.length', 'Length', 'uint', { bits: 16 }),
  checksum: field('udp.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumCalc: field('udp.checksum_calculated', 'Calculated Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumStatus: field('udp.checksum.status', 'Checksum Status', 'uint', { bits: 8, vals: CHECKSUM_STATUS }),
  timeRelative: field('udp.time_relative', 'Time since first frame', 'reltime'),
  timeDelta: field('udp.time_delta', 'Time since previous frame', 'reltime'),
  payload: field('udp.payload', 'Payload', 'bytes'),
  // expert items
  possibleTraceroute: field('udp.possible_traceroute', 'Possible traceroute', 'none'),
  badLength: field('udp.length.bad', 'Bad length value', 'none'),
  checksumZero: field('udp.checksum.zero', 'Illegal checksum value (0)', 'none'),
  checksumBad: field('udp.checksum.bad', 'Bad checksum', 'none'),
  badLengthZero: field('udp.length.bad_zero', 'Length is zero but payload < 65536', 'none'),
};
/** Wireshark's text-only tree items ("[Timestamps]") */
const fText = field('text', 'Text item', 'none');

/** A UDP conversation (both directions): stream index and the times its timestamps are relative to. */
export interface UdpConv {
  index: number;
  first: Time;
  prev: Time;
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

/** in_cksum_shouldbe(): the checksum field value that would have made the sum verify. */
export function shouldBe(sum: number, computed: number): number {
  let s = sum + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

function traceroute(ctx: Ctx, L: Layer, n: FieldNode | null, port: number): void {
  if (port > 33434 && port <= 33464) {
    const k = port - 33435;
    ctx.expert(L, n, udp.possibleTraceroute, 'chat', 'Sequence', `Possible traceroute: hop #${Math.floor(k / 3) + 1}, attempt #${(k % 3) + 1}`);
  }
}

/** UDP, after Wireshark's dissect_udp: ports, length, checksum, the stream, then the payload
 * through the udp.port table. */
export function dissectUdp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const C = ctx.tree.cols && ctx.inError === 0;
  // the layer first: a header the capture cut is "UDP truncated", with udp in frame.protocols
  const L = ctx.layer(pUdp, o, 8);
  ctx.need(o, 4, end, rend);
  const sport = ctx.u16(o);
  const dport = ctx.u16(o + 2);
  ports(ctx, L, o, sport, dport, C);
  ctx.need(o + 4, 2, end, rend);
  const reported = rend - o;
  const captured = Math.min(end, rend) - o;
  const ulen = udpLength(ctx, L, o, reported, C);
  if (ulen < 0) return null;
  ctx.need(o + 6, 2, end, rend);
  udpChecksum(ctx, L, o, ulen, captured >= reported && captured >= ulen && reported >= ulen, C);
  // the conversation: looked up (or created) for quoted datagrams too, like Wireshark
  const conv = ctx.hasNet() ? udpStream(ctx, L, sport, dport) : undefined;
  if (ulen === 8) return null;
  if (ctx.inError === 0 && conv) timestamps(ctx, L, conv);
  const p = o + 8;
  if (ctx.inError > 0 && captured <= 8) return null;
  // decode_udp_ports: the payload is cut at the UDP length; the payload item itself needs a byte
  let plen = captured - 8;
  let prep = reported - 8;
  if (ulen - 8 < prep) prep = ulen - 8;
  if (plen > prep) plen = prep;
  ctx.need(p, 1, Math.min(end, rend), rend);
  if (ctx.tree.wants(udp.payload)) {
    ctx.addBytes(L, null, udp.payload, p, captured - 8, ctx.tree.texts ? `UDP payload (${plen} byte${plen === 1 ? '' : 's'})` : undefined);
  }
  const key = portKey('udp.port', sport, dport);
  if (ctx.inError > 0) {
    quotedPayload(ctx, key, p, p + Math.max(0, plen), p + prep);
    return null;
  }
  // decode_udp_ports: the udp.port table (lower port first), else data
  if (key >= 0) return ctx.toTable('udp.port', key, p, p + Math.max(0, plen), p + prep);
  return { dissector: 'data', offset: p, end: p + Math.max(0, plen), rend: p + prep };
}

/** Source and destination ports, the columns, and the traceroute notes. */
function ports(ctx: Ctx, L: Layer, o: number, sport: number, dport: number, C: boolean): void {
  if (C) {
    ctx.pkt.colProto = 'UDP';
    ctx.pkt.colInfo = `${sport} \u2192 ${dport}`;
  }
  if (ctx.tree.full) L.summary = `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  const sN = ctx.add(L, null, udp.srcport, o, 2, sport, ctx.tree.texts ? `Source Port: ${sport}` : undefined);
  const dN = ctx.add(L, null, udp.dstport, o + 2, 2, dport, ctx.tree.texts ? `Destination Port: ${dport}` : undefined);
  ctx.tree.hidden(L, udp.port, o, 2, sport);
  ctx.tree.hidden(L, udp.port, o + 2, 2, dport);
  traceroute(ctx, L, sN, sport);
  traceroute(ctx, L, dN, dport);
}

/** The length field (0 over IPv6: a jumbogram of the reported length) and its notes; -1 when it
 * is below the header's 8 bytes. */
function udpLength(ctx: Ctx, L: Layer, o: number, reported: number, C: boolean): number {
  const F = ctx.tree.full;
  let ulen = ctx.u16(o + 4);
  const lenN = ctx.add(L, null, udp.length, o + 4, 2, ulen, ctx.tree.texts ? `Length: ${ulen}` : undefined);
  const jumbo = ulen === 0 && ctx.netKind === 6;
  // RFC 2675 jumbogram
  if (jumbo) ulen = reported;
  if (ulen < 8) {
    if (lenN && F) lenN.text += ' (bogus, must be >= 8)';
    ctx.expert(L, lenN, udp.badLength, 'error', 'Malformed', `Bad length value ${ulen} < 8`);
    if (C) ctx.pkt.colInfo += ` [BAD UDP LENGTH ${ulen} < 8]`;
    return -1;
  }
  if (ulen > reported && !ctx.fragment && ctx.inError === 0) {
    if (lenN && F) lenN.text += ` (bogus, payload length ${reported})`;
    ctx.expert(L, lenN, udp.badLength, 'error', 'Malformed', `Bad length value ${ulen} > IP payload length`);
    if (C) ctx.pkt.colInfo += ` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`;
  }
  if (jumbo && ulen < 65536) ctx.expert(L, lenN, udp.badLengthZero, 'warn', 'Protocol', 'Length is zero but payload < 65536');
  if (C) ctx.pkt.colInfo += ` Len=${ulen - 8}${jumbo ? ' [Jumbogram]' : ''}`;
  return ulen;
}

/** The checksum: zero (absent over IPv4, illegal over IPv6), verified when udp.check_checksum is on
 * and the whole datagram is there (`whole`), unverified otherwise. */
function udpChecksum(ctx: Ctx, L: Layer, o: number, ulen: number, whole: boolean, C: boolean): void {
  const cks = ctx.u16(o + 6);
  if (cks === 0) {
    const ignored = ctx.netKind === 4 || ctx.inError > 0;
    const n = ctx.add(L, null, udp.checksum, o + 6, 2, 0, ctx.tree.texts ? `Checksum: 0x0000 [zero-value ${ignored ? 'ignored' : 'illegal'}]` : undefined);
    if (!ignored) {
      ctx.expert(L, n, udp.checksumZero, 'error', 'Checksum', 'Illegal checksum value (0)');
      if (C) ctx.pkt.colInfo += ' [ILLEGAL CHECKSUM (0)]';
    }
    const st = ctx.add(L, n, udp.checksumStatus, o + 6, 2, ignored ? 3 : 4, ctx.tree.texts ? `Checksum Status: ${ignored ? 'Not present' : 'Illegal'}` : undefined);
    if (st) st.generated = true;
  } else if (!ctx.fragment && whole && ctx.state.prefs['udp.check_checksum'] && ctx.netSrc && ctx.netDst) {
    const computed = fold(pseudoSum(ctx.netSrc, ctx.netDst, 17, ulen) + sum16(ctx.data, o, ulen));
    const should = computed === 0 ? cks : shouldBe(cks, computed);
    const n = ctx.add(L, null, udp.checksum, o + 6, 2, cks,
      !ctx.tree.texts ? undefined : computed === 0 ? `Checksum: 0x${hex4(cks)} [correct]` : `Checksum: 0x${hex4(cks)} incorrect, should be 0x${hex4(should)} (maybe caused by "UDP checksum offload"?)`);
    if (computed !== 0) ctx.expert(L, n, udp.checksumBad, 'error', 'Checksum', `Bad checksum [should be 0x${hex4(should)}]`);
    ctx.gen(L, null, udp.checksumStatus, computed === 0 ? 1 : 0, ctx.tree.texts ? `Checksum Status: ${computed === 0 ? 'Good' : 'Bad'}` : undefined);
    if (computed !== 0 && C) ctx.pkt.colInfo += ' [UDP CHECKSUM INCORRECT]';
    const c = ctx.gen(L, n, udp.checksumCalc, should, ctx.tree.texts ? `Calculated Checksum: 0x${hex4(should)}` : undefined);
    if (c) [c.offset, c.length] = [o + 6, 2];
  } else {
    ctx.add(L, null, udp.checksum, o + 6, 2, cks, ctx.tree.texts ? `Checksum: 0x${hex4(cks)} [unverified]` : undefined);
    ctx.gen(L, null, udp.checksumStatus, 2, ctx.tree.texts ? 'Checksum Status: Unverified' : undefined);
  }
}

/** The conversation (udp.stream), numbered in order of first appearance; the packet's UDP endpoints
 * for the taps. */
function udpStream(ctx: Ctx, L: Layer, sport: number, dport: number): UdpConv {
  const ts = ctx.pkt.rec.ts;
  const a = ctx.netKey(false);
  const b = ctx.netKey(true);
  const key = a < b || (a === b && sport <= dport) ? `${a}|${sport}|${b}|${dport}` : `${b}|${dport}|${a}|${sport}`;
  const st = ctx.state.udpStreams;
  let conv = st.get(key);
  if (!conv) {
    conv = { index: st.size, first: ts, prev: ts };
    st.set(key, conv);
  }
  ctx.gen(L, null, udp.stream, conv.index, ctx.tree.texts ? `Stream index: ${conv.index}` : undefined);
  if (ctx.inError === 0) ctx.pkt.udp = { srcKey: a, dstKey: b, srcPort: sport, dstPort: dport };
  return conv;
}

/** udp.time_relative and udp.time_delta (the conversation's previous frame moves on). */
function timestamps(ctx: Ctx, L: Layer, conv: UdpConv): void {
  const ts = ctx.pkt.rec.ts;
  const delta = timeSub(ts, conv.prev);
  conv.prev = ts;
  if (!(ctx.tree.full || ctx.tree.wants(udp.timeRelative) || ctx.tree.wants(udp.timeDelta))) return;
  const rel = timeSub(ts, conv.first);
  const t = ctx.tree.full ? ctx.gen(L, null, fText, null, 'Timestamps') : null;
  ctx.gen(L, t, udp.timeRelative, rel, ctx.tree.texts ? `Time since first frame: ${formatRelTime(rel)} seconds` : undefined);
  ctx.gen(L, t, udp.timeDelta, delta, ctx.tree.texts ? `Time since previous frame: ${formatRelTime(delta)} seconds` : undefined);
}

/** The payload of a quoted datagram goes to the top of Wireshark's tree, not under the ICMP. */
function quotedPayload(ctx: Ctx, key: number, p: number, end: number, rend: number): void {
  const before = ctx.pkt.layers.length;
  (key < 0 ? dissectData : (lookup('udp.port', key) ?? dissectData))(ctx, p, end, rend);
  const dl = ctx.pkt.layers[before];
  if (dl) dl.inner = false;
}

register('udp', dissectUdp);
handoff('ip.proto', 17, 'udp');
