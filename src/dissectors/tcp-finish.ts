import type { TcpSegment } from '../core/packet.js';
import type { TcpTracker } from '../analysis/tcp-tracker.js';
import type { Ctx } from '../dissect/context.js';
import { dissectData } from './data.js';
import { flagList, tcp } from './tcp.js';

/** Finish a TCP segment after the tracker stage: generated fields, Info column, payload hand-off. */
export function finishTcp(ctx: Ctx, seg: TcpSegment, _tracker: TcpTracker): void {
  const L = seg.layer;
  if (ctx.tree.cols) {
    let info = `${seg.srcPort} \u2192 ${seg.dstPort} [${flagList(seg.flags)}] Seq=${seg.seq}`;
    if (seg.flags & 0x10) info += ` Ack=${seg.ack}`;
    info += ` Win=${seg.window}`;
    if (seg.flags & 0x20) info += ` Urg=${seg.urgent}`;
    if (seg.len >= 0) info += ` Len=${seg.len}`;
    for (const o of seg.optInfo) info += typeof o === 'string' ? o : ` SLE=${o.sle} SRE=${o.sre}`;
    ctx.pkt.colInfo = info;
  }
  const n = seg.payloadEnd - seg.payloadOffset;
  if (n > 0 && seg.len !== 0) {
    const b = ctx.bytes(seg.payloadOffset, n);
    ctx.add(L, null, tcp.payload, seg.payloadOffset, n, b, `TCP payload (${n} byte${n === 1 ? '' : 's'})`);
    dissectData(ctx, seg.payloadOffset, seg.payloadEnd, seg.payloadEnd);
  }
}
