import { field, newLayer, newNode, protocol } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { register } from '../dissect/registry.js';
import { deltaFrom, timeSub } from '../dissect/state.js';
import { formatAbsTime, formatRelTime } from '../output/format.js';
export { formatAbsTime };

export const pFrame = protocol('frame', 'Frame', { short: 'Frame', analysis: false });
export const pPktComment = protocol('pkt_comment', 'Packet comments', { short: 'Pkt_Comment' });
export const fCommentExpert = field('frame.comment.expert', 'Formatted comment', 'none');
export const f = {
  sectionNumber: field('frame.section_number', 'Section number', 'uint'),
  interfaceId: field('frame.interface_id', 'Interface id', 'uint'),
  interfaceName: field('frame.interface_name', 'Interface name', 'string'),
  encapType: field('frame.encap_type', 'Encapsulation type', 'int', { bits: 16 }),
  time: field('frame.time', 'Arrival Time', 'abstime'),
  offsetShift: field('frame.offset_shift', 'Time shift for this packet', 'reltime'),
  timeEpoch: field('frame.time_epoch', 'Epoch Time', 'reltime'),
  timeDelta: field('frame.time_delta', 'Time delta from previous captured frame', 'reltime'),
  timeDeltaDisplayed: field('frame.time_delta_displayed', 'Time delta from previous displayed frame', 'reltime'),
  timeRelative: field('frame.time_relative', 'Time since reference or first frame', 'reltime'),
  number: field('frame.number', 'Frame Number', 'uint'),
  len: field('frame.len', 'Frame Length', 'uint'),
  capLen: field('frame.cap_len', 'Capture Length', 'uint'),
  marked: field('frame.marked', 'Frame is marked', 'bool'),
  ignored: field('frame.ignored', 'Frame is ignored', 'bool'),
  protocols: field('frame.protocols', 'Protocols in frame', 'string', { analysis: true }), // lists TCP's payload
  comment: field('frame.comment', 'Comment', 'string'),
  lenLtCaplen: field('frame.len_lt_caplen', 'Frame length is less than captured length', 'none'),
};

const ZERO = { sec: 0, nsec: 0 } as const;

/** LINKTYPE_* → Wireshark's WTAP_ENCAP_* number (frame.encap_type), read off tshark 4.0. */
const ENCAP: Record<number, number> = {
  0: 15, 1: 1, 2: 184, 3: 148, 6: 2, 7: 8, 8: 3, 9: 4, 10: 6, 11: 10, 12: 7, 13: 38, 14: 7, 16: 11, 18: 11,
  19: 11, 32: 69, 50: 4, 51: 139, 99: 61, 100: 10, 101: 7, 104: 28, 105: 20, 106: 11, 107: 26, 108: 174, 109: 38,
  112: 28, 113: 25, 114: 30, 117: 39, 118: 29, 119: 21, 121: 32, 122: 18, 123: 13, 127: 23, 128: 37, 129: 9,
  138: 62, 139: 75, 140: 42, 141: 43, 142: 101, 143: 33, 163: 24, 165: 63, 169: 66, 186: 92, 187: 41, 189: 95,
  192: 97, 195: 104, 197: 98, 201: 99, 204: 19, 220: 115, 227: 125, 228: 129, 229: 130, 239: 141, 249: 152,
  251: 154, 252: 155, 254: 159, 276: 210,
};

export const ENCAP_NAMES: Record<number, string> = {
  1: 'Ethernet',
  7: 'Raw IP',
  15: 'NULL/Loopback',
  25: 'Linux cooked-mode capture v1',
  129: 'Raw IPv4',
  130: 'Raw IPv6',
  174: 'OpenBSD loopback',
  210: 'Linux cooked-mode capture v2',
};

export function encapType(linkType: number): number {
  return ENCAP[linkType] ?? (linkType >= 147 && linkType <= 162 ? linkType - 102 : -1);
}

/** The frame pseudo-layer: record metadata and times, then the record's bytes through the linktype
 * table. The engine's entry point (Wireshark's "frame" dissector). */
function dissectFrame(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const t = ctx.tree;
  // frame.protocols lists every layer: it is added when they have all returned
  if (t.full || t.want[f.protocols.id] === 1) ctx.onReturn(frameProtocols);
  frameItems(ctx);
  return ctx.toTable('linktype', ctx.pkt.rec.linkType, o, end, rend);
}

/** frame.protocols: the protocols of the packet, below the frame, as a colon-separated list. */
function frameProtocols(ctx: Ctx): void {
  const pkt = ctx.pkt;
  const frame = pkt.layers.find((l) => l.def === pFrame)!;
  const protos = pkt.protocols.slice(1).join(':');
  const n = newNode(f.protocols, protos, 0, 0, undefined, `Protocols in frame: ${protos}`);
  n.generated = true;
  frame.fields.push(n);
}

function frameItems(ctx: Ctx): void {
  const rec = ctx.pkt.rec;
  const st = ctx.state;
  const ts = rec.ts;
  if (!st.firstTs) st.firstTs = ts;
  const rel = timeSub(ts, st.firstTs);
  ctx.pkt.rel = rel;
  const prevTs = st.prevTs;
  const prevDisp = st.prevDisplayedTs;
  ctx.pkt.prevTs = prevTs;
  ctx.pkt.prevDisplayedTs = prevDisp;
  // tshark: a custom-block frame does not become the "previous frame" (unless it is the first); SPB frames do
  if (!rec.custom || !st.prevTs) st.prevTs = ts;
  const L = ctx.layer(pFrame, 0, rec.capLen);
  if (rec.custom) customBlockColumns(ctx);
  const t = ctx.tree;
  const full = t.full;
  // nothing of the frame layer wanted (summary lines, most -T fields lists): no field to build
  if (!t.keeps(pFrame) && !rec.comment && rec.origLen >= rec.capLen) return;
  const hasIf = rec.interfaceId >= 0;
  const ifName = rec.interfaceName ?? 'unknown';
  if (full) {
    L.summary =
      `Frame ${rec.num}: ${rec.origLen} bytes on wire (${rec.origLen * 8} bits), ${rec.capLen} bytes captured (${rec.capLen * 8} bits)` +
      (hasIf ? ` on interface ${ifName}, id ${rec.interfaceId}` : '');
  }
  if (rec.comment) packetComments(ctx, rec.comment);
  if (rec.section) ctx.add(L, null, f.sectionNumber, 0, 0, rec.section, ctx.tree.texts ? `Section number: ${rec.section}` : undefined);
  if (hasIf) {
    const n = ctx.add(L, null, f.interfaceId, 0, 0, rec.interfaceId, ctx.tree.texts ? `Interface id: ${rec.interfaceId} (${ifName})` : undefined);
    ctx.add(L, n, f.interfaceName, 0, 0, ifName, ctx.tree.texts ? `Interface name: ${ifName}` : undefined);
  }
  if (rec.linkType >= 0) {
    const encap = encapType(rec.linkType);
    ctx.add(L, null, f.encapType, 0, 0, encap, ctx.tree.texts ? `Encapsulation type: ${ENCAP_NAMES[encap] ?? 'Unknown'} (${encap})` : undefined);
  }
  if (!rec.tsAbsent) {
    ctx.add(L, null, f.time, 0, 0, ts, ctx.tree.texts ? `Arrival Time: ${formatAbsTime(ts.sec, ts.nsec)}` : undefined);
    // minishark shifts no times (tshark's --time-shift): always 0, as tshark prints it without one
    ctx.gen(L, null, f.offsetShift, ZERO, ctx.tree.texts ? 'Time shift for this packet: 0.000000000 seconds' : undefined);
    ctx.add(L, null, f.timeEpoch, 0, 0, ts, ctx.tree.texts ? `Epoch Time: ${formatRelTime(ts)} seconds` : undefined);
    if (full || t.want[f.timeDelta.id] === 1) {
      const delta = deltaFrom(ts, prevTs);
      ctx.gen(L, null, f.timeDelta, delta, ctx.tree.texts ? `Time delta from previous captured frame: ${formatRelTime(delta)} seconds` : undefined);
    }
    if (full || t.want[f.timeDeltaDisplayed.id] === 1) {
      const deltaDisp = deltaFrom(ts, prevDisp);
      ctx.gen(L, null, f.timeDeltaDisplayed, deltaDisp, ctx.tree.texts ? `Time delta from previous displayed frame: ${formatRelTime(deltaDisp)} seconds` : undefined);
    }
    ctx.gen(L, null, f.timeRelative, rel, ctx.tree.texts ? `Time since reference or first frame: ${formatRelTime(rel)} seconds` : undefined);
  }
  ctx.add(L, null, f.number, 0, 0, rec.num, ctx.tree.texts ? `Frame Number: ${rec.num}` : undefined);
  ctx.add(L, null, f.len, 0, 0, rec.origLen, ctx.tree.texts ? `Frame Length: ${rec.origLen} bytes (${rec.origLen * 8} bits)` : undefined);
  const capN = ctx.add(L, null, f.capLen, 0, 0, rec.capLen, ctx.tree.texts ? `Capture Length: ${rec.capLen} bytes (${rec.capLen * 8} bits)` : undefined);
  if (rec.origLen < rec.capLen) ctx.expert(L, capN, f.lenLtCaplen, 'error', 'Malformed', 'Frame length is less than captured length');
  ctx.gen(L, null, f.marked, false);
  ctx.gen(L, null, f.ignored, false);
  // frame.protocols is filled in when dissection ends (it lists every layer)
}

/** pcapng packet comments: a "Packet comments" block before the frame, each comment also an expert
 * item of severity Comment (as tshark shows them; frame.protocols does not list it). */
function packetComments(ctx: Ctx, comments: string[]): void {
  const C = newLayer(pPktComment.abbrev, pPktComment, 'Packet comments', 0, 0, undefined, undefined);
  ctx.pkt.layers.splice(ctx.pkt.layers.length - 1, 0, C);
  for (const c of comments) {
    const n = ctx.add(C, null, f.comment, 0, 0, c, c);
    ctx.expert(C, n, fCommentExpert, 'comment', 'Comment', c);
  }
}

/** Private Enterprise Numbers tshark names in the pcapng conformance captures. */
const PEN: Record<number, string> = {
  32473: 'Example Enterprise Number for Documentation Use',
  36724: 'Kaplan Research and Application Prototyping',
};

function customBlockColumns(ctx: Ctx): void {
  const c = ctx.pkt.rec.custom!;
  if (!ctx.tree.cols) return;
  ctx.pkt.colProto = 'PCAPNG';
  ctx.pkt.colInfo = `Custom Block: PEN = ${PEN[c.pen] ?? 'Unknown'} (${c.pen}), will ${c.copy ? '' : 'not '}be copied`;
}

register('frame', dissectFrame);
