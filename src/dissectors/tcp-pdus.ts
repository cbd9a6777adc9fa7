/**
 * What Wireshark's tcp_dissect_pdus adds to the TCP layer for each PDU that a protocol above TCP
 * finds in a segment (the protocol says how long its PDU is: DNS's 2-byte length prefix). Offered
 * by TCP to the protocols that frame their messages in a TCP stream; no reassembly (tshark-ref runs
 * without TCP desegmentation).
 */
import { field } from '../core/field.js';
import type { Ctx } from '../dissect/context.js';

export const fPduSize = field('tcp.pdu.size', 'PDU Size', 'uint');

/** `[PDU Size: N]` under the packet's innermost TCP layer. */
export function tcpPduSize(ctx: Ctx, size: number): void {
  const layers = ctx.pkt.layers;
  for (let i = layers.length - 1; i >= 0; i--) {
    const L = layers[i]!;
    if (L.proto === 'tcp') {
      ctx.gen(L, null, fPduSize, size, `PDU Size: ${size}`);
      return;
    }
  }
}
