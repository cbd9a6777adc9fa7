import type { PacketRecord } from '../core/packet.js';
import { CaptureError } from './errors.js';
import { MAX_RECORD, NEED, type FormatParser } from './parser.js';

/** libpcap maps some DLT values found in old files to LINKTYPE values; 12 and 14 are raw IP. */
function normaliseLinkType(lt: number): number {
  if (lt === 12 || lt === 14) return 101;
  return lt;
}

/**
 * Classic pcap: a 24-byte header then 16-byte record headers. Both byte orders, microsecond
 * (a1b2c3d4) and nanosecond (a1b23c4d) magics, and the "modified" Kuznetzov format (a1b2cd34),
 * whose record headers carry 8 extra bytes.
 */
export class PcapParser implements FormatParser {
  readonly format = 'pcap' as const;
  need = 24;
  private le = true;
  private nano = false;
  private extra = 0;
  private started = false;
  linkType = 1;
  snaplen = 0;
  private num = 0;
  versionMajor = 2;
  versionMinor = 4;

  parse(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, out: PacketRecord[]): number {
    if (!this.started) {
      if (end - pos < 24) return this.needMore(24);
      const m = dv.getUint32(pos, false);
      if (m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xa1b2cd34) this.le = false;
      else this.le = true;
      const mm = dv.getUint32(pos, this.le);
      this.nano = mm === 0xa1b23c4d;
      this.extra = mm === 0xa1b2cd34 ? 8 : 0;
      this.versionMajor = dv.getUint16(pos + 4, this.le);
      this.versionMinor = dv.getUint16(pos + 6, this.le);
      // wiretap accepts major version 2 with any minor (2.5 included), rejects 1.x and others
      if (this.versionMajor !== 2) {
        throw new CaptureError('corrupt', `pcap: version ${this.versionMajor}.${this.versionMinor} is not supported`, base + pos + 4);
      }
      this.snaplen = dv.getUint32(pos + 16, this.le);
      // the upper bits of the link-type word carry FCS information; the link type is the low 16 bits
      this.linkType = normaliseLinkType(dv.getUint32(pos + 20, this.le) & 0xffff);
      this.started = true;
      return 24;
    }
    const hdr = 16 + this.extra;
    if (end - pos < hdr) return this.needMore(hdr);
    const le = this.le;
    const sec = dv.getUint32(pos, le);
    const frac = dv.getUint32(pos + 4, le);
    const capLen = dv.getUint32(pos + 8, le);
    const origLen = dv.getUint32(pos + 12, le);
    if (capLen > MAX_RECORD && capLen > this.snaplen) {
      throw new CaptureError(
        'corrupt',
        `pcap: File has ${capLen}-byte packet, bigger than maximum of ${Math.max(MAX_RECORD, this.snaplen)}`,
        base + pos + 8,
      );
    }
    if (capLen > MAX_RECORD * 64) {
      throw new CaptureError('corrupt', `pcap: File has ${capLen}-byte packet, bigger than maximum of ${MAX_RECORD * 64}`, base + pos + 8);
    }
    if (end - pos < hdr + capLen) return this.needMore(hdr + capLen);
    // an out-of-range fraction is kept as wiretap keeps it: unnormalised, in a signed 32-bit int
    // (so tshark prints 1000000 µs as ".1000000000" and 2^31 µs as ".000000000"); we print the same
    out.push({
      num: ++this.num,
      ts: { sec, nsec: this.nano ? frac | 0 : (frac * 1000) | 0 },
      tsPrec: this.nano ? 9 : 6,
      capLen,
      origLen,
      linkType: this.linkType,
      interfaceId: -1,
      data: view(buf, pos + hdr, pos + hdr + capLen),
      fileOffset: base + pos,
    });
    return hdr + capLen;
  }

  private needMore(n: number): number {
    this.need = n;
    return NEED;
  }
}

/** A plain Uint8Array view of buf[start, end) (cheaper to make than a Buffer's subarray). */
export function view(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

export function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const be = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const le = ((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0;
  const ok = (m: number) => m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xa1b2cd34;
  return ok(be) || ok(le);
}
