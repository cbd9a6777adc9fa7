/**
 * The datagram quoted in an ICMP or ICMPv6 error, dissected in "error packet" mode (Wireshark:
 * call_dissector(ip/ipv6) with pinfo->flags.in_error_pkt set): columns stay the error's, stateful
 * work is skipped (ctx.inError), a read past the quoted bytes ends the quote quietly (no
 * [Malformed Packet]), a snaplen cut goes on up as a cut in the quote's first protocol. The packet
 * context (net addresses, data source, IPv4 TTL) is put back afterwards.
 */
import type { Ctx, Next } from '../dissect/context.js';
import { MalformedError, ShortError } from '../dissect/context.js';
import { getDissector, lookup, type DissectFn } from '../dissect/registry.js';

/** `first` is the quote's first dissector, 'ip' or 'ipv6' (also the protocol a cut is reported for) */
export function runQuoted(ctx: Ctx, first: 'ip' | 'ipv6', p: number, end: number, rend: number): void {
  const saved = {
    netKind: ctx.netKind, netSrc: ctx.netSrc, netDst: ctx.netDst, netSrcOff: ctx.netSrcOff, netDstOff: ctx.netDstOff,
    fragment: ctx.fragment, data: ctx.data, src: ctx.src, ttl: ctx.ttl,
  };
  ctx.inError++;
  try {
    let next: Next | null = { dissector: first, offset: p, end: Math.max(p, end), rend };
    for (let depth = 0; next && depth < 32; depth++) {
      if (next.data) {
        ctx.pkt.sources.push(next.data);
        ctx.setData(next.data, ctx.pkt.sources.length);
      }
      let fn: DissectFn | undefined;
      if ('table' in next) fn = lookup(next.table, next.key);
      else fn = getDissector(next.dissector);
      fn ??= getDissector('data')!;
      next = fn(ctx, next.offset, next.end, next.rend);
    }
  } catch (e) {
    // Wireshark restores current_proto to the quote's first protocol before reporting a cut
    if (e instanceof ShortError) {
      e.proto = first;
      throw e;
    }
    if (!(e instanceof MalformedError)) throw e;
  } finally {
    ctx.inError--;
    ctx.netKind = saved.netKind;
    ctx.netSrc = saved.netSrc;
    ctx.netDst = saved.netDst;
    ctx.netSrcOff = saved.netSrcOff;
    ctx.netDstOff = saved.netDstOff;
    ctx.fragment = saved.fragment;
    ctx.ttl = saved.ttl;
    if (ctx.data !== saved.data) ctx.setData(saved.data, saved.src);
  }
}
