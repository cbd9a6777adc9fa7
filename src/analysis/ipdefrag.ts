/**
 * IP fragment reassembly (IPv4 and IPv6), single pass like tshark's first pass, after Wireshark
 * 4.0's reassemble.c (fragment_add_check / fragment_add_work):
 *
 * - fragments are kept per key (the caller's: addresses, protocol, identification) in offset order,
 *   arrival order among equal offsets;
 * - the first tail (More Fragments = 0) fixes the datagram length; a later tail that says otherwise
 *   is flagged "multiple tails" and changes nothing;
 * - the datagram is complete when the contiguous data from offset 0 reaches that length; it is then
 *   rebuilt on the frame that completed it: where fragments overlap the one laid first wins, an
 *   overlapping fragment is flagged (and flagged "conflict" when its bytes differ from what is
 *   already there), a fragment reaching past the end is flagged "too long" and cut;
 * - a completed datagram leaves the table: a later fragment with the same key starts a new one.
 *
 * Memory is bounded: at most MAX_OPEN incomplete datagrams and MAX_BYTES buffered bytes in all (the
 * oldest incomplete datagram is dropped first), at most MAX_PENDING_BYTES buffered for one datagram
 * (further fragments of it are ignored), and no fragment reaching past MAX_DATAGRAM. Real traffic
 * stays far below these limits, so within them the result is tshark's.
 */
export const MAX_OPEN = 1024;
export const MAX_BYTES = 32 * 1024 * 1024;
/** a 13-bit offset (×8) plus a 16-bit length: no IPv4 or IPv6 fragment can reach further */
export const MAX_DATAGRAM = 65528 + 65535 + 8;
/** bytes buffered for one incomplete datagram (a 64 KiB datagram sent 16 times over) */
export const MAX_PENDING_BYTES = 16 * 65536;

export interface Fragment {
  frame: number;
  offset: number;
  data: Uint8Array;
  overlap?: boolean;
  conflict?: boolean;
  multipleTails?: boolean;
  tooLong?: boolean;
}

export interface Reassembled {
  data: Uint8Array;
  /** the fragments in offset order (arrival order among equal offsets), with their flags */
  fragments: Fragment[];
}

interface Pending {
  frags: Fragment[];
  /** datagram length, known once the first tail fragment (MF=0) has arrived; -1 until then */
  datalen: number;
  bytes: number;
}

export class Defragmenter {
  private open = new Map<string, Pending>();
  private bytes = 0;

  get openCount(): number {
    return this.open.size;
  }
  get bufferedBytes(): number {
    return this.bytes;
  }

  /** Add a fragment (its payload bytes, all captured); returns the datagram when this fragment
   * completes it, else null. */
  add(key: string, frame: number, offset: number, data: Uint8Array, more: boolean): Reassembled | null {
    if (offset + data.length > MAX_DATAGRAM) return null;
    let p = this.open.get(key);
    if (!p) {
      while (this.open.size >= MAX_OPEN) this.evictOldest();
      p = { frags: [], datalen: -1, bytes: 0 };
      this.open.set(key, p);
    }
    if (p.bytes + data.length > MAX_PENDING_BYTES) return null;
    while (this.bytes + data.length > MAX_BYTES && this.open.size > 1) this.evictOldest(p);
    const frag: Fragment = { frame, offset, data: new Uint8Array(data) }; // the record's bytes are a view: keep a copy
    if (!more) {
      if (p.datalen >= 0) {
        if (p.datalen !== offset + data.length) frag.multipleTails = true;
      } else p.datalen = offset + data.length;
    }
    // LINK_FRAG: after every fragment with an offset <= this one
    let i = p.frags.length;
    while (i > 0 && p.frags[i - 1]!.offset > offset) i--;
    p.frags.splice(i, 0, frag);
    p.bytes += data.length;
    this.bytes += data.length;
    if (p.datalen < 0) return null;
    // the contiguous data from offset 0
    let max = 0;
    for (const f of p.frags) {
      if (f.offset <= max && f.offset + f.data.length > max) max = f.offset + f.data.length;
    }
    if (max < p.datalen) return null;
    this.open.delete(key);
    this.bytes -= p.bytes;
    return { data: assemble(p), fragments: p.frags };
  }

  private evictOldest(keep?: Pending): void {
    for (const [k, v] of this.open) {
      if (v === keep) continue;
      this.open.delete(k);
      this.bytes -= v.bytes;
      return;
    }
  }
}

function assemble(p: Pending): Uint8Array {
  const datalen = p.datalen;
  const out = new Uint8Array(datalen);
  let dfpos = 0;
  for (const f of p.frags) {
    const len = f.data.length;
    if (len === 0) continue;
    if (f.offset < dfpos) {
      f.overlap = true;
      const cmp = Math.min(len, dfpos - f.offset);
      for (let k = 0; k < cmp; k++) {
        if (out[f.offset + k] !== f.data[k]) {
          f.conflict = true;
          break;
        }
      }
    }
    if (f.offset + len > dfpos) {
      if (f.offset >= datalen) {
        f.tooLong = true;
      } else if (dfpos >= f.offset) {
        let fraglen = len;
        if (f.offset + fraglen > datalen) {
          f.tooLong = true;
          fraglen = datalen - f.offset;
        }
        const skip = dfpos - f.offset;
        if (skip < fraglen) {
          out.set(f.data.subarray(skip, fraglen), dfpos);
          dfpos += fraglen - skip;
        }
      }
    }
  }
  return out;
}
