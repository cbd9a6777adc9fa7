import type { FieldDef, FieldNode, Layer } from '../core/field.js';
import type { TcpSegment } from '../core/packet.js';
import { isDsack, type TcpResult } from '../analysis/tcp-tracker.js';
import type { Ctx } from '../dissect/context.js';
import { bitPicture } from '../output/format.js';
import { data, pData } from './data.js';
import { fTextItem, OPT_KIND, pTcp, ta, tcp } from './tcp-fields.js';
import { decimal } from '../core/decimal.js';

/**
 * TCP options (Wireshark's tcp_dissect_options and the option dissectors): items in header order,
 * and the values the tracker and the Info column need recorded on the segment. SACK edges are
 * shown relative to the peer's base sequence number when the sequence analysis ran.
 */
function optHeader(ctx: Ctx, L: Layer, node: FieldNode | null, o: number, kind: number, len: number | null): void {
  ctx.add(L, node, tcp.optionKind, o, 1, kind, ctx.tree.texts ? `Kind: ${OPT_KIND[kind] ?? 'Unknown'} (${kind})` : undefined);
  if (len !== null) ctx.add(L, node, tcp.optionLen, o + 1, 1, len, ctx.tree.texts ? `Length: ${len}` : undefined);
}

/** Short names of the option dissectors Wireshark 4.0 registers (the "Options: (N bytes), ..." list). */
const OPT_NAME: Record<number, string> = {
  2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted', 5: 'SACK', 6: 'Echo', 7: 'Echo reply', 8: 'Timestamps',
  11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 19: 'TCP MD5 signature', 27: 'Quick-Start', 28: 'User Timeout', 29: 'TCP AO',
  30: 'MPTCP', 34: 'TCP Fast Open', 172: 'Accurate ECN', 174: 'Accurate ECN', 253: 'Experimental', 254: 'Experimental',
};

const QS_RATE = ['0 bit/s', '80 kbit/s', '160 kbit/s', '320 kbit/s', '640 kbit/s', '1.28 Mbit/s', '2.56 Mbit/s', '5.12 Mbit/s', '10.24 Mbit/s',
  '20.48 Mbit/s', '40.96 Mbit/s', '81.92 Mbit/s', '163.84 Mbit/s', '327.68 Mbit/s', '655.36 Mbit/s', '1.31072 Gbit/s'];

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** The options being dissected: the context, the segment, its analysis (null when the tracker did
 * not run), the Options item, and the current option's offset, kind, length and bounds. */
interface OptCursor {
  ctx: Ctx;
  L: Layer;
  seg: TcpSegment;
  r: TcpResult | null;
  top: FieldNode | null;
  o: number;
  kind: number;
  len: number;
  ce: number;
  re: number;
}

/** a read inside the current option: captured up to OPT.ce, reported up to OPT.re */
function optNeed(OPT: OptCursor, at: number, n: number): void {
  OPT.ctx.need(at, n, OPT.ce, OPT.re);
}

/** the option's own item (its captured bytes) */
function optItem(OPT: OptCursor, def: FieldDef, text: string): FieldNode | null {
  const c = Math.max(0, OPT.ce - OPT.o);
  return OPT.ctx.addBytes(OPT.L, OPT.top, def, OPT.o, c, text);
}

/** Kind and Length under the option item; returns the Length item */
function optKindLen(OPT: OptCursor, n: FieldNode | null): FieldNode | null {
  const ctx = OPT.ctx;
  ctx.add(OPT.L, n, tcp.optionKind, OPT.o, 1, OPT.kind, ctx.tree.texts ? `Kind: ${OPT_KIND[OPT.kind] ?? 'Unknown'} (${OPT.kind})` : undefined);
  optNeed(OPT, OPT.o + 1, 1);
  return ctx.add(OPT.L, n, tcp.optionLen, OPT.o + 1, 1, OPT.len, ctx.tree.texts ? `Length: ${OPT.len}` : undefined);
}

/** The option's item, Kind and Length, for an option of fixed length `want`: false (after noting
 * "option length should be N", as Wireshark) when the length is another. */
function optFixed(OPT: OptCursor, def: FieldDef, title: string, want: number): FieldNode | null | false {
  const n = optItem(OPT, def, title);
  const ln = optKindLen(OPT, n);
  if (OPT.len === want) return n;
  optLenBad(OPT, ln, want);
  return false;
}

/** Options that carry one 32-bit value: Echo, Echo reply, CC, CC.NEW, CC.ECHO (RFC 1072/1644). */
const U32_OPTION: Record<number, { def: FieldDef; value: FieldDef; info: string }> = {
  6: { def: tcp.optEcho, value: tcp.echoValue, info: 'ECHO' },
  7: { def: tcp.optEchoReply, value: tcp.echoValue, info: 'ECHO' },
  11: { def: tcp.optCc, value: tcp.ccValue, info: 'CC' },
  12: { def: tcp.optCcNew, value: tcp.ccValue, info: 'CC' },
  13: { def: tcp.optCcEcho, value: tcp.ccValue, info: 'CC' },
};

/** "option length should be N" */
function optLenBad(OPT: OptCursor, n: FieldNode | null, want: number): void {
  OPT.ctx.expert(OPT.L, n, tcp.optBadLen, 'note', 'Sequence', `option length should be ${want}`);
}

/** What the option loop carries from one option to the next (tcp_dissect_options' locals) */
interface OptLoop {
  tcpStart: number;
  capEnd: number;
  rend: number;
  /** option bytes left */
  length: number;
  /** NOPs in a row */
  nop: number;
  eol: boolean;
  mssSeen: boolean;
  /** the options' length (the title's "N bytes") */
  total: number;
  /** the option names of the "Options: (N bytes), ..." title: only the details pane shows them */
  names: string[];
}

/**
 * Parse options like Wireshark 4.0's tcp_dissect_options: one option at a time, each in its own
 * bounds (a read past the captured bytes stops there: "[Packet size limited during capture]"),
 * with its length checks and expert items; records what the tracker and the Info column need.
 */
export function dissectOptions(ctx: Ctx, L: Layer, seg: TcpSegment, r: TcpResult | null, tcpStart: number, o: number, optEnd: number, capEnd: number, rend: number): void {
  const total = optEnd - o;
  const optCap = Math.max(0, Math.min(total, capEnd - o));
  const top = ctx.addBytes(L, null, tcp.options, o, optCap, ctx.tree.texts ? `Options: (${total} bytes)` : undefined);
  const OPT: OptCursor = { ctx, L, seg, r, top, o: 0, kind: 0, len: 0, ce: 0, re: 0 };
  const loop: OptLoop = { tcpStart, capEnd, rend, total, length: total, nop: 0, eol: false, mssSeen: false, names: ctx.tree.full ? [] : NO_NAMES };
  try {
    while (loop.length > 0 && o >= 0) o = nextOption(OPT, loop, o);
    if (o >= 0 && seg.flags & 0x02 && !loop.mssSeen) ctx.expert(L, top, tcp.mssAbsent, 'note', 'Protocol', 'The SYN packet does not contain a MSS option');
  } finally {
    optSummary(OPT, top, total, loop.names);
  }
}

/** One option at `o`: returns where the next one starts, or -1 when the options end here. */
function nextOption(OPT: OptCursor, loop: OptLoop, o: number): number {
  const { ctx, L, top } = OPT;
  ctx.need(o, 1, loop.capEnd, loop.rend);
  const kind = ctx.u8(o);
  loop.length--;
  if (loop.eol && kind !== 0) {
    // Wireshark: after an EOL only zero bytes (more EOLs); the first other byte ends the options
    const n = ctx.tree.full ? ctx.add(L, top, fTextItem, o, Math.min(loop.length + 1, loop.capEnd - o), null, 'Non-zero header padding') : null;
    ctx.expert(L, n ?? top, tcp.nonZeroAfterEol, 'error', 'Protocol', 'Non-zero header padding');
    ctx.need(o, loop.length + 1, loop.capEnd, loop.rend);
    return -1;
  }
  loop.eol = kind === 0;
  if (kind === 0 || kind === 1) return padding(OPT, loop, o, kind);
  const name = OPT_NAME[kind] ?? `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
  const len = optionLength(OPT, loop, o, name);
  if (len < 0) return -1;
  if (kind === 2) loop.mssSeen = true;
  // the option's own bounds: captured up to capEnd, reported up to its length
  const oe = o + len;
  OPT.o = o;
  OPT.kind = kind;
  OPT.len = len;
  OPT.ce = Math.min(loop.capEnd, oe);
  OPT.re = Math.min(oe, loop.rend);
  if (kind === 30) {
    // MPTCP is a protocol of its own, not one of ours: its option is handed to "data" (named in
    // the title first, which a cut in it must not lose)
    if (ctx.tree.full) loop.names.push(name);
    optSummary(OPT, top, loop.total, loop.names);
    dissectDataOption(OPT, ctx, o, OPT.ce, OPT.re);
  } else {
    dissectOption(OPT, o + 2);
    if (ctx.tree.full) loop.names.push(name);
  }
  loop.length -= len - 2;
  return o + len;
}

/** EOL and NOP: one byte, no length; 4 NOPs in a row (not at a 4-byte boundary) are noted */
function padding(OPT: OptCursor, loop: OptLoop, o: number, kind: number): number {
  const { ctx, L, top } = OPT;
  if (kind === 1) {
    if (loop.nop === 0 || (o - loop.tcpStart) % 4) {
      if (++loop.nop === 4) ctx.expert(L, top, tcp.optNopWarn, 'warn', 'Protocol', '4 NOP in a row - a router may have removed some options');
    } else loop.nop = 0;
  }
  if (ctx.tree.keeps(pTcp)) {
    const def = kind === 0 ? tcp.optEol : tcp.optNop;
    const n = ctx.addBytes(L, top, def, o, 1, def.name);
    optHeader(ctx, L, n, o, kind, null);
  }
  if (ctx.tree.full) loop.names.push(kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)');
  return o + 1;
}

/** The option's length byte, checked against the options left: -1 (after the note) when bad */
function optionLength(OPT: OptCursor, loop: OptLoop, o: number, name: string): number {
  const { ctx, L, top } = OPT;
  if (loop.length === 0) {
    ctx.expert(L, top, tcp.optBadLen, 'note', 'Sequence', `${name} (length byte past end of options)`, true);
    return -1;
  }
  ctx.need(o + 1, 1, loop.capEnd, loop.rend);
  const len = ctx.u8(o + 1);
  loop.length--;
  const bytes = `${len} byte${len === 1 ? '' : 's'}`;
  if (len < 2) {
    ctx.expert(L, top, tcp.optBadLen, 'note', 'Sequence', `${name} (with too-short option length = ${bytes})`, true);
    return -1;
  }
  if (len - 2 > loop.length) {
    ctx.expert(L, top, tcp.optBadLen, 'note', 'Sequence', `${name} (option length = ${bytes} says option goes past end of options)`, true);
    ctx.need(o, loop.length, loop.capEnd, loop.rend); // Wireshark throws after adding the item when its range passes the end
    return -1;
  }
  return len;
}

/** The option dissector for OPT.kind (Wireshark registers one per kind); `body` follows kind and length */
function dissectOption(OPT: OptCursor, body: number): void {
  switch (OPT.kind) {
    case 2:
      return optMss(OPT, body);
    case 3:
      return optWscale(OPT, body);
    case 4:
      return optSackPerm(OPT);
    case 5:
      return sackOption(OPT, body);
    case 6:
    case 7:
    case 11:
    case 12:
    case 13:
      return optU32(OPT, body);
    case 8:
      return optTimestamps(OPT, body);
    case 19:
      return optMd5(OPT, body);
    case 27:
      return optQuickStart(OPT, body);
    case 28:
      return optUserTimeout(OPT, body);
    case 29:
      return optAo(OPT, body);
    case 34:
      return optTfo(OPT);
    case 253:
    case 254:
      return optExperimental(OPT, body);
    case 172:
    case 174:
      return optAccEcn(OPT, body);
    default:
      return optUnknown(OPT, body);
  }
}

function optMss(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const n = optItem(OPT, tcp.optMss, 'TCP Option - Maximum segment size');
  if (!(seg.flags & 0x02)) ctx.expert(L, n, tcp.mssPresent, 'warn', 'Protocol', 'The non-SYN packet does contain a MSS option');
  const ln = optKindLen(OPT, n);
  if (OPT.len !== 4) return optLenBad(OPT, ln, 4);
  optNeed(OPT, body, 2);
  const mss = ctx.u16(body);
  seg.mss = mss;
  if (n && ctx.tree.full) n.text = `TCP Option - Maximum segment size: ${mss} bytes`;
  ctx.add(L, n, tcp.mssVal, body, 2, mss, ctx.tree.texts ? `MSS Value: ${mss}` : undefined);
  if (ctx.tree.cols) infoList(seg).push(' MSS=' + decimal(mss));
}

function optWscale(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const n = optFixed(OPT, tcp.optWscale, 'TCP Option - Window scale', 3);
  if (n === false) return;
  optNeed(OPT, body, 1);
  const val = ctx.u8(body);
  const sn = ctx.add(L, n, tcp.wsShift, body, 1, val, ctx.tree.texts ? `Shift count: ${val}` : undefined);
  let shift = val;
  if (shift > 14) {
    shift = 14;
    ctx.expert(L, sn, tcp.wsShiftInvalid, 'warn', 'Protocol', 'Window scale shift exceeds 14');
  }
  const mult = 1 << shift;
  seg.wsShift = shift;
  ctx.gen(L, n, tcp.wsMultiplier, mult, ctx.tree.texts ? `Multiplier: ${mult}` : undefined);
  if (n && ctx.tree.full) n.text = `TCP Option - Window scale: ${val} (multiply by ${mult})`;
  if (ctx.tree.cols) infoList(seg).push(' WS=' + decimal(mult));
}

function optSackPerm(OPT: OptCursor): void {
  const { ctx, seg } = OPT;
  const n = optItem(OPT, tcp.optSackPerm, 'TCP Option - SACK permitted');
  const ln = optKindLen(OPT, n);
  seg.sackPerm = true;
  if (ctx.tree.cols) infoList(seg).push(' SACK_PERM');
  if (OPT.len !== 2) optLenBad(OPT, ln, 2);
}

/** Echo, Echo reply, CC, CC.NEW, CC.ECHO: one 32-bit value */
function optU32(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const u = U32_OPTION[OPT.kind]!;
  const n = optFixed(OPT, u.def, u.def.name, 6);
  if (n === false) return;
  optNeed(OPT, body, 4);
  const v = ctx.u32(body);
  ctx.add(L, n, u.value, body, 4, v, ctx.tree.texts ? `${u.value.name}: ${v}` : undefined);
  if (n && ctx.tree.full) n.text += `: ${v}`;
  if (ctx.tree.cols) infoList(seg).push(` ${u.info}=${v}`);
}

function optTimestamps(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const n = optFixed(OPT, tcp.optTime, 'TCP Option - Timestamps', 10);
  if (n === false) return;
  optNeed(OPT, body, 8);
  const tsval = ctx.u32(body);
  const tsecr = ctx.u32(body + 4);
  seg.tsval = tsval;
  seg.tsecr = tsecr;
  if (ctx.tree.keeps(pTcp)) {
    ctx.add(L, n, tcp.tsval, body, 4, tsval, ctx.tree.texts ? `Timestamp value: ${tsval}` : undefined);
    ctx.add(L, n, tcp.tsecr, body + 4, 4, tsecr, ctx.tree.texts ? `Timestamp echo reply: ${tsecr}` : undefined);
  }
  if (n && ctx.tree.full) n.text = `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`;
  if (ctx.tree.cols) infoList(seg).push(' TSval=' + decimal(tsval) + ' TSecr=' + decimal(tsecr));
}

function optMd5(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const n = optFixed(OPT, tcp.optMd5, 'TCP Option - TCP MD5 signature', 18);
  if (n === false) return;
  optNeed(OPT, body, 16);
  ctx.addBytes(L, n, tcp.md5Digest, body, 16, ctx.tree.texts ? `MD5 digest: ${hexOf(ctx.bytes(body, 16))}` : undefined);
  if (ctx.tree.cols) infoList(seg).push(' MD5');
}

function optQuickStart(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const n = optFixed(OPT, tcp.optQs, 'TCP Option - Quick-Start', 8);
  if (n === false) return;
  optNeed(OPT, body, 2);
  const rate = ctx.u8(body) & 0x0f;
  ctx.add(L, n, tcp.qsRate, body, 1, rate, ctx.tree.texts ? `${bitPicture(8, 0x0f, rate)} = QS Rate: ${QS_RATE[rate]} (${rate})` : undefined);
  ctx.add(L, n, tcp.qsTtlDiff, body + 1, 1, ctx.u8(body + 1), ctx.tree.texts ? `QS Rate: ${ctx.u8(body + 1)}` : undefined);
  if (ctx.tree.cols) infoList(seg).push(` QSresp=${QS_RATE[rate]}`);
}

function optUserTimeout(OPT: OptCursor, body: number): void {
  const { ctx, L, seg } = OPT;
  const n = optFixed(OPT, tcp.optUserTo, 'TCP Option - User Timeout', 4);
  if (n === false) return;
  optNeed(OPT, body, 2);
  const w = ctx.u16(body);
  ctx.add(L, n, tcp.userToGran, body, 2, (w & 0x8000) !== 0, ctx.tree.texts ? `${bitPicture(16, 0x8000, w)} = Granularity: ${w & 0x8000 ? 'Minutes' : 'Seconds'}` : undefined);
  ctx.add(L, n, tcp.userToVal, body, 2, w & 0x7fff, ctx.tree.texts ? `${bitPicture(16, 0x7fff, w)} = User Timeout: ${w & 0x7fff}` : undefined);
  if (ctx.tree.cols) infoList(seg).push(` USER_TO=${w & 0x7fff}`);
}

/** TCP-AO: Wireshark appends "TCP AO" to Info (without a space) and shows the key ids and MAC */
function optAo(OPT: OptCursor, body: number): void {
  const { ctx, L, seg, len } = OPT;
  const n = optItem(OPT, tcp.optAo, 'TCP Option - TCP AO');
  optKindLen(OPT, n);
  if (ctx.tree.cols) infoList(seg).push('TCP AO');
  optNeed(OPT, body, 1);
  ctx.add(L, n, tcp.aoKeyId, body, 1, ctx.u8(body), ctx.tree.texts ? `AO KeyID: ${ctx.u8(body)}` : undefined);
  optNeed(OPT, body + 1, 1);
  ctx.add(L, n, tcp.aoRnextKeyId, body + 1, 1, ctx.u8(body + 1), ctx.tree.texts ? `AO RNextKeyID: ${ctx.u8(body + 1)}` : undefined);
  if (len > 4) {
    optNeed(OPT, body + 2, len - 4);
    ctx.addBytes(L, n, tcp.aoMac, body + 2, len - 4, ctx.tree.texts ? `AO MAC: ${hexOf(ctx.bytes(body + 2, len - 4))}` : undefined);
  }
}

function optTfo(OPT: OptCursor): void {
  const n = optItem(OPT, tcp.optTfo, 'TCP Option - TCP Fast Open');
  optKindLen(OPT, n);
  tfoPayload(OPT, n, OPT.o, OPT.len);
}

/** RFC 6994 experiments: TFO (0xf989) and AccECN (0xacc0, 0xacc1) by their identifier */
function optExperimental(OPT: OptCursor, body: number): void {
  const { ctx, L, len } = OPT;
  const n = optItem(OPT, tcp.optExp, 'TCP Option - Experimental');
  optKindLen(OPT, n);
  if (len - 2 <= 0) return;
  optNeed(OPT, body, 2);
  const magic = ctx.u16(body);
  const label = tcp.expExid.vals?.get(magic);
  ctx.add(L, n, tcp.expExid, body, 2, magic, ctx.tree.texts ? `Experiment Identifier: ${label ?? 'Unknown'} (0x${magic.toString(16).padStart(4, '0')})` : undefined);
  if (magic === 0xf989) {
    if (n && ctx.tree.full) n.text += ': Fast Open';
    tfoPayload(OPT, n, body, len - 2);
  } else if (magic === 0xacc0 || magic === 0xacc1) {
    if (n && ctx.tree.full) n.text += `: ${label}`;
    accEcn(OPT, n, body + 2, magic === 0xacc0 ? 0 : 1);
  }
}

function optAccEcn(OPT: OptCursor, body: number): void {
  const n = optItem(OPT, tcp.optAccEcn, 'TCP Option - Accurate ECN');
  optKindLen(OPT, n);
  accEcn(OPT, n, body, OPT.kind === 172 ? 0 : 1);
}

function optUnknown(OPT: OptCursor, body: number): void {
  const { ctx, L, len } = OPT;
  const n = optItem(OPT, tcp.optUnknown, 'TCP Option - Unknown');
  optKindLen(OPT, n);
  if (len > 2) {
    optNeed(OPT, body, len - 2);
    ctx.addBytes(L, n, tcp.optUnknownPayload, body, len - 2, ctx.tree.texts ? `Payload: ${hexOf(ctx.bytes(body, len - 2))}` : undefined);
  }
}

function optSummary(OPT: OptCursor, top: FieldNode | null, total: number, names: string[]): void {
  // Wireshark's item labels hold at most ITEM_LABEL_LENGTH - 1 = 239 characters
  if (top && OPT.ctx.tree.full) top.text = `Options: (${total} bytes)${names.length ? ', ' + names.join(', ') : ''}`.slice(0, 239);
}

/** SACK (option 5): its blocks, relative to the peer's base sequence number when the segment was
 * analysed; then the count, the option's title with the blocks, and a D-SACK's items (RFC 2883). A
 * cut inside the blocks still titles the option and tests for D-SACK with the blocks read so far. */
function sackOption(OPT: OptCursor, body: number): void {
  const { ctx, L, r } = OPT;
  const n = optItem(OPT, tcp.optSack, 'TCP Option - SACK');
  optKindLen(OPT, n);
  let count: number;
  try {
    count = sackBlocks(OPT, n, body);
  } catch (e) {
    if (r) sackAnalysed(OPT, n, r);
    throw e;
  }
  ctx.gen(L, n, tcp.sackCount, count, ctx.tree.texts ? `TCP SACK Count: ${count}` : undefined);
  if (r) sackAnalysed(OPT, n, r);
}

/** The left and right edges of each block; returns the number of whole blocks. */
function sackBlocks(OPT: OptCursor, n: FieldNode | null, body: number): number {
  const { ctx, L, seg } = OPT;
  let left = OPT.len - 2;
  let b = body;
  let count = 0;
  while (left > 0) {
    if (left < 4) {
      ctx.expert(L, n, tcp.subOptMalformed, 'error', 'Malformed', 'suboption would go past end of option');
      break;
    }
    optNeed(OPT, b, 4);
    const le = ctx.u32(b);
    sackEdge(OPT, n, tcp.sackLe, b, le);
    left -= 4;
    if (left < 4) {
      ctx.expert(L, n, tcp.subOptMalformed, 'error', 'Malformed', 'suboption would go past end of option');
      sackList(seg).push(le);
      break;
    }
    optNeed(OPT, b + 4, 4);
    const re = ctx.u32(b + 4);
    left -= 4;
    sackEdge(OPT, n, tcp.sackRe, b + 4, re);
    sackList(seg).push(le, re);
    if (ctx.tree.cols) infoList(seg).push({ sle: le, sre: re });
    count++;
    b += 8;
  }
  return count;
}

/** One edge: relative to the peer's base sequence number when analysed ("left edge = 1449 (relative)") */
function sackEdge(OPT: OptCursor, n: FieldNode | null, def: FieldDef, at: number, raw: number): void {
  const { ctx, L, r } = OPT;
  const side = def === tcp.sackLe ? 'left' : 'right';
  if (!r) {
    ctx.add(L, n, def, at, 4, raw, ctx.tree.texts ? `${side} edge = ${raw}` : undefined);
    return;
  }
  const v = (raw - r.sackBase) >>> 0;
  ctx.add(L, n, def, at, 4, v, `${side} edge = ${v}${relSuffix(ctx)}`);
}

/** " (relative)" when relative sequence numbers are on (they need the sequence analysis) */
export function relSuffix(ctx: Ctx): string {
  const p = ctx.state.prefs;
  return p['tcp.relative_sequence_numbers'] && p['tcp.analyze_sequence_numbers'] ? ' (relative)' : '';
}

/** "TCP Option - SACK 56473-57921" (the blocks, relative), and the D-SACK items when the first
 * block is a duplicate (a line of its own with the expert item under it) */
function sackAnalysed(OPT: OptCursor, n: FieldNode | null, r: TcpResult): void {
  const { ctx, L, seg } = OPT;
  const sack = seg.sack;
  const base = r.sackBase;
  if (n && ctx.tree.full && sack.length) {
    let t = 'TCP Option - SACK';
    for (let i = 0; i + 1 < sack.length; i += 2) t += ` ${(sack[i]! - base) >>> 0}-${(sack[i + 1]! - base) >>> 0}`;
    n.text = t;
  }
  if (!isDsack(sack, base, r.ack)) return;
  const suffix = relSuffix(ctx);
  const le = (sack[0]! - base) >>> 0;
  const re = (sack[1]! - base) >>> 0;
  const parent = ctx.tree.full ? n : null;
  ctx.tree.gen(L, parent, ta.dsackLe, le, `D-SACK Left Edge = ${le}${suffix}`);
  ctx.tree.gen(L, parent, ta.dsackRe, re, `D-SACK Right Edge = ${re}${suffix}`);
  const line = ctx.tree.full ? ctx.tree.add(L, parent, fTextItem, OPT.o + 2, 8, null, ta.dsack.name) : null;
  ctx.expert(L, line, ta.dsack, 'warn', 'Sequence', ta.dsack.name);
}

/** A TCP Fast Open cookie or cookie request (option 34, or experimental 254 with magic 0xf989):
 * `o` where the option (or the experiment's payload) starts, `optlen` its length with kind and length. */
function tfoPayload(OPT: OptCursor, n: FieldNode | null, o: number, optlen: number): void {
  const { ctx, L, seg } = OPT;
  if (optlen === 2) {
    ctx.add(L, n, tcp.tfoRequest, o, 2, null, 'Fast Open Cookie Request');
    if (ctx.tree.cols) infoList(seg).push(' TFO=R');
  } else if (optlen > 2) {
    ctx.need(o + 2, optlen - 2, OPT.ce, OPT.re);
    const b = ctx.bytes(o + 2, optlen - 2);
    const c = ctx.add(L, n, tcp.tfoCookie, o + 2, optlen - 2, b, ctx.tree.texts ? `Fast Open Cookie: ${hexOf(b)}` : undefined);
    if (ctx.tree.cols) infoList(seg).push(' TFO=C');
    if ((seg.flags & 0x12) === 0x02) {
      ctx.expert(L, c, tcp.tfoSyn, 'note', 'Sequence', 'TCP SYN with TFO Cookie');
      seg.tfoCookie = true;
    }
  }
}

/** AccECN byte counters from `o`: EE0B, ECEB, EE1B (order 0) or EE1B, ECEB, EE0B (order 1), 24 bits each. */
function accEcn(OPT: OptCursor, n: FieldNode | null, o: number, order: 0 | 1): void {
  const { ctx, L, seg } = OPT;
  const oe = OPT.o + OPT.len;
  const defs = order === 0 ? [tcp.accEe0b, tcp.accEceb, tcp.accEe1b] : [tcp.accEe1b, tcp.accEceb, tcp.accEe0b];
  const short = order === 0 ? ['EE0B', 'ECEB', 'EE1B'] : ['EE1B', 'ECEB', 'EE0B'];
  const parts: string[] = [];
  for (let i = 0; i < 3 && o + 3 <= oe; i++, o += 3) {
    ctx.need(o, 3, OPT.ce, OPT.re);
    const v = ctx.u24(o);
    ctx.add(L, n, defs[i]!, o, 3, v, ctx.tree.texts ? `${defs[i]!.name}: ${v}` : undefined);
    if (ctx.tree.cols) infoList(seg).push(` ${short[i]}=${v}`);
    parts.push(`${short[i]} ${v}`);
  }
  if (n && ctx.tree.full) n.text += `: Accurate ECN (Order ${order}): ${parts.join(', ')}`;
}

/** An option of a protocol minishark does not dissect (MPTCP): "Data (N bytes)" inside the options,
 * as tshark with that protocol disabled (the data protocol counts in frame.protocols). */
function dissectDataOption(OPT: OptCursor, ctx: Ctx, o: number, ce: number, _re: number): void {
  const n = ce - o;
  if (n <= 0) return;
  const L = OPT.L;
  const b = ctx.bytes(o, n);
  const full = ctx.tree.full;
  const top = full ? ctx.add(L, OPT.top, pData, o, n, null, `Data (${n} byte${n === 1 ? '' : 's'})`) : null;
  ctx.add(L, top, data.data, o, n, b, ctx.tree.texts ? `Data: ${hexOf(b)}` : undefined);
  ctx.gen(L, top, data.len, n, ctx.tree.texts ? `Length: ${n}` : undefined);
  ctx.pkt.protocols.push('data');
}

// A segment's SACK and Info-option lists start as these shared empty (frozen) arrays and are made
// on the first push: most segments have neither.
export const NO_NUMS = Object.freeze([]) as unknown as number[];
export const NO_INFO = Object.freeze([]) as unknown as TcpSegment['optInfo'];
const NO_NAMES = Object.freeze([]) as unknown as string[];
function infoList(seg: TcpSegment): TcpSegment['optInfo'] {
  return seg.optInfo === NO_INFO ? (seg.optInfo = []) : seg.optInfo;
}
function sackList(seg: TcpSegment): number[] {
  return seg.sack === NO_NUMS ? (seg.sack = []) : seg.sack;
}

