/**
 * IP fragment reassembly (IPv4 and IPv6), single pass like tshark's first pass: fragments are kept
 * per (src, dst, id, proto) and the datagram is rebuilt on the frame that completes it. Fragments are
 * laid out in offset order (arrival order among equal offsets); where they overlap the first one laid
 * wins, as Wireshark's reassemble.c does. Memory is bounded: at most MAX_OPEN datagrams and
 * MAX_BYTES buffered bytes; the oldest incomplete datagram is dropped first.
 */
export const MAX_OPEN = 1024;
export const MAX_BYTES = 32 * 1024 * 1024;
/** the largest datagram we will rebuild (IPv4's limit; IPv6 jumbograms are not fragmented) */
export const MAX_DATAGRAM = 65535 + 8;

export interface Fragment {
  frame: number;
  offset: number;
  data: Uint8Array;
  overlap?: boolean;
  conflict?: boolean;
  tooLong?: boolean;
}

export interface Reassembled {
  data: Uint8Array;
  fragments: Fragment[];
}

interface Pending {
  frags: Fragment[];
  /** total datagram length, known once the last fragment (MF=0) has arrived; -1 until then */
  total: number;
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

  /** Add a fragment; returns the datagram when this fragment completes it. */
  add(key: string, frame: number, offset: number, data: Uint8Array, more: boolean): Reassembled | null {
    let p = this.open.get(key);
    if (!p) {
      while (this.open.size >= MAX_OPEN) this.evictOldest();
      p = { frags: [], total: -1, bytes: 0 };
      this.open.set(key, p);
    }
    if (offset + data.length > MAX_DATAGRAM) {
      // cannot be a real datagram: drop it rather than buffer it
      return null;
    }
    while (this.bytes + data.length > MAX_BYTES && this.open.size > 1) this.evictOldest(p);
    const copy = new Uint8Array(data); // the record's bytes are a view; keep our own copy
    const frag: Fragment = { frame, offset, data: copy };
    // insert in offset order, after fragments with the same offset
    let i = p.frags.length;
    while (i > 0 && p.frags[i - 1]!.offset > offset) i--;
    p.frags.splice(i, 0, frag);
    p.bytes += copy.length;
    this.bytes += copy.length;
    if (!more) p.total = offset + data.length;
    if (p.total < 0) return null;
    // contiguous coverage of [0, total)?
    let pos = 0;
    for (const f of p.frags) {
      if (f.offset > pos) return null;
      pos = Math.max(pos, f.offset + f.data.length);
      if (pos >= p.total) break;
    }
    if (pos < p.total) return null;
    const out = new Uint8Array(p.total);
    let dfpos = 0;
    for (const f of p.frags) {
      const fend = f.offset + f.data.length;
      if (fend > p.total) f.tooLong = true;
      if (f.offset < dfpos) {
        f.overlap = true;
        const ovEnd = Math.min(dfpos, fend, p.total);
        for (let k = f.offset; k < ovEnd; k++) {
          if (out[k] !== f.data[k - f.offset]) {
            f.conflict = true;
            break;
          }
        }
      }
      if (fend > dfpos) {
        const from = Math.max(dfpos, f.offset);
        const to = Math.min(fend, p.total);
        if (to > from) out.set(f.data.subarray(from - f.offset, to - f.offset), from);
        dfpos = Math.max(dfpos, to);
      }
    }
    this.open.delete(key);
    this.bytes -= p.bytes;
    // Wireshark lists the fragments in offset order
    return { data: out, fragments: p.frags };
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
