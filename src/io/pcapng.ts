import type { PacketRecord } from '../core/packet.js';
import { CaptureError } from './errors.js';
import { view } from './pcap.js';
import { LINKTYPE_PCAPNG_CUSTOM, MAX_BLOCK, NEED, type FormatParser } from './parser.js';

export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  name?: string;
  /** time units per second, and how to turn them into nanoseconds */
  unitsPerSec: bigint;
  /** when units divide 1e9 exactly, the multiplier to nanoseconds (fast path); 0 otherwise */
  nsPerUnit: number;
  unitsPerSecNum: number;
  tsOffset: number;
  /** decimal digits of the resolution, capped at 9 */
  tsPrec: number;
}

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2; // obsolete Packet Block
const BT_SPB = 3;
const BT_EPB = 6;
const BT_CB = 0x00000bad;
const BT_DCB = 0x40000bad;

function normaliseLinkType(lt: number): number {
  return lt === 12 || lt === 14 ? 101 : lt;
}

/**
 * pcapng: Section Header Blocks (each section with its own byte order and interface list), Interface
 * Description Blocks (link type, snaplen, if_tsresol incl. powers of two, if_tsoffset, if_name),
 * Enhanced, Simple and obsolete Packet Blocks; every other block (NRB, ISB, DSB, custom, unknown) is
 * skipped by its length. opt_comment becomes frame.comment.
 */
export class PcapngParser implements FormatParser {
  readonly format = 'pcapng' as const;
  need = 12;
  private le = true;
  private inSection = false;
  interfaces: PcapngInterface[] = [];
  /** if_name of every IDB across sections: tshark 4.0 looks names up by the section-local id in this
   * global list (so a later section's frames show the first section's names); we do the same */
  private allNames: Array<string | undefined> = [];
  private num = 0;
  sections = 0;

  parse(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, out: PacketRecord[]): number {
    if (end - pos < 12) return this.needMore(12);
    let type = dv.getUint32(pos, this.le);
    const rawType = dv.getUint32(pos, false);
    if (rawType === BT_SHB) {
      // byte order comes from the byte-order magic, which sits after the length
      const bom = dv.getUint32(pos + 8, false);
      if (bom === 0x1a2b3c4d) this.le = false;
      else if (bom === 0x4d3c2b1a) this.le = true;
      else throw new CaptureError('corrupt', 'pcapng: bad byte-order magic in section header block', base + pos + 8);
      type = BT_SHB;
    } else if (!this.inSection) {
      throw new CaptureError('corrupt', 'pcapng: the file does not start with a section header block', base + pos);
    }
    const len = dv.getUint32(pos + 4, this.le);
    if (len < 12) throw new CaptureError('corrupt', `pcapng: total block length ${len} is less than 12`, base + pos + 4);
    if (len % 4 !== 0) throw new CaptureError('corrupt', `pcapng: total block length ${len} is not a multiple of 4`, base + pos + 4);
    if (len > MAX_BLOCK) throw new CaptureError('corrupt', `pcapng: total block length ${len} is too large (limit ${MAX_BLOCK})`, base + pos + 4);
    if (end - pos < len) return this.needMore(len);
    const bodyEnd = pos + len - 4;
    const trailer = dv.getUint32(bodyEnd, this.le);
    if (trailer !== len) {
      throw new CaptureError('corrupt', `pcapng: block total length ${len} and its trailing copy ${trailer} differ`, base + bodyEnd);
    }
    switch (type) {
      case BT_SHB:
        this.shb(dv, pos, len, base);
        break;
      case BT_IDB:
        this.idb(buf, dv, pos, bodyEnd, base);
        break;
      case BT_EPB:
        this.epb(buf, dv, pos, bodyEnd, base, out);
        break;
      case BT_SPB:
        this.spb(buf, dv, pos, bodyEnd, base, out);
        break;
      case BT_PB:
        this.pb(buf, dv, pos, bodyEnd, base, out);
        break;
      case BT_CB:
      case BT_DCB:
        // tshark turns custom blocks into frames of their own (data after the PEN), so we do too
        if (bodyEnd - pos >= 12) {
          out.push({
            num: ++this.num,
            ts: { sec: 0, nsec: 0 },
            tsPrec: 6,
            tsAbsent: true,
            capLen: bodyEnd - pos - 12,
            origLen: bodyEnd - pos - 12,
            linkType: LINKTYPE_PCAPNG_CUSTOM,
            interfaceId: -1,
            data: view(buf, pos + 12, bodyEnd),
            fileOffset: base + pos,
            custom: { pen: dv.getUint32(pos + 8, this.le), copy: type === BT_CB },
          });
        }
        break;
      default:
        break; // NRB, ISB, DSB, custom and unknown blocks: skipped by length
    }
    return len;
  }

  private needMore(n: number): number {
    this.need = n;
    return NEED;
  }

  private shb(dv: DataView, pos: number, len: number, base: number): void {
    if (len < 28) throw new CaptureError('corrupt', `pcapng: section header block length ${len} is less than 28`, base + pos + 4);
    const major = dv.getUint16(pos + 12, this.le);
    const minor = dv.getUint16(pos + 14, this.le);
    if (major !== 1 || (minor !== 0 && minor !== 2)) throw new CaptureError('corrupt', `pcapng: unknown section header block version ${major}.${minor}`, base + pos + 12);
    this.interfaces = [];
    this.inSection = true;
    this.sections++;
  }

  private idb(buf: Uint8Array, dv: DataView, pos: number, bodyEnd: number, base: number): void {
    if (bodyEnd - pos < 16) throw new CaptureError('corrupt', 'pcapng: interface description block too short', base + pos);
    const lt = dv.getUint16(pos + 8, this.le);
    const snaplen = dv.getUint32(pos + 12, this.le);
    const iface: PcapngInterface = {
      linkType: normaliseLinkType(lt),
      snaplen,
      unitsPerSec: 1000000n,
      nsPerUnit: 1000,
      unitsPerSecNum: 1e6,
      tsOffset: 0,
      tsPrec: 6,
    };
    this.options(buf, dv, pos + 16, bodyEnd, base, (code, o, l) => {
      if (code === 2) iface.name = utf8(buf, o, l);
      else if (code === 9 && l >= 1) {
        const r = buf[o]!;
        const exp = r & 0x7f;
        if (r & 0x80) {
          iface.unitsPerSec = exp >= 64 ? 0n : 1n << BigInt(exp);
        } else {
          iface.unitsPerSec = exp > 19 ? 0n : 10n ** BigInt(exp);
        }
        if (iface.unitsPerSec === 0n) {
          throw new CaptureError('corrupt', `pcapng: if_tsresol ${r} is out of range`, base + o);
        }
        iface.unitsPerSecNum = Number(iface.unitsPerSec);
        iface.nsPerUnit = !(r & 0x80) && exp <= 9 ? 10 ** (9 - exp) : 0;
        iface.tsPrec = Math.min(9, r & 0x80 ? Math.ceil(exp * Math.log10(2)) : exp);
      } else if (code === 14 && l >= 8) {
        iface.tsOffset = Number(dv.getBigInt64(o, this.le));
      }
    });
    this.interfaces.push(iface);
    this.allNames.push(iface.name);
  }

  private iface(id: number, base: number, at: number): PcapngInterface {
    const i = this.interfaces[id];
    if (!i) {
      throw new CaptureError('corrupt', `pcapng: interface index ${id} is not less than interface count ${this.interfaces.length}`, base + at);
    }
    return i;
  }

  private ts(i: PcapngInterface, hi: number, lo: number): { sec: number; nsec: number } {
    if (i.nsPerUnit && hi < 0x200000) {
      const t = hi * 4294967296 + lo;
      const sec = Math.floor(t / i.unitsPerSecNum);
      const rem = t - sec * i.unitsPerSecNum;
      return { sec: sec + i.tsOffset, nsec: rem * i.nsPerUnit };
    }
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    const sec = t / i.unitsPerSec;
    const rem = t % i.unitsPerSec;
    return { sec: Number(sec) + i.tsOffset, nsec: Number((rem * 1000000000n) / i.unitsPerSec) };
  }

  private epb(buf: Uint8Array, dv: DataView, pos: number, bodyEnd: number, base: number, out: PacketRecord[]): void {
    if (bodyEnd - pos < 28) throw new CaptureError('corrupt', 'pcapng: enhanced packet block too short', base + pos);
    const le = this.le;
    const id = dv.getUint32(pos + 8, le);
    const i = this.iface(id, base, pos + 8);
    const capLen = dv.getUint32(pos + 20, le);
    const origLen = dv.getUint32(pos + 24, le);
    const dataStart = pos + 28;
    if (dataStart + capLen > bodyEnd) {
      throw new CaptureError('corrupt', `pcapng: enhanced packet block captured length ${capLen} overruns the block`, base + pos + 20);
    }
    const rec: PacketRecord = {
      num: ++this.num,
      ts: this.ts(i, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le)),
      tsPrec: i.tsPrec,
      capLen,
      origLen,
      linkType: i.linkType,
      interfaceId: id,
      interfaceName: this.allNames[id],
      section: this.sections,
      data: view(buf, dataStart, dataStart + capLen),
      fileOffset: base + pos,
    };
    this.comments(buf, dv, dataStart + pad4(capLen), bodyEnd, base, rec);
    out.push(rec);
  }

  private pb(buf: Uint8Array, dv: DataView, pos: number, bodyEnd: number, base: number, out: PacketRecord[]): void {
    if (bodyEnd - pos < 28) throw new CaptureError('corrupt', 'pcapng: packet block too short', base + pos);
    const le = this.le;
    const id = dv.getUint16(pos + 8, le);
    const i = this.iface(id, base, pos + 8);
    const capLen = dv.getUint32(pos + 20, le);
    const origLen = dv.getUint32(pos + 24, le);
    const dataStart = pos + 28;
    if (dataStart + capLen > bodyEnd) {
      throw new CaptureError('corrupt', `pcapng: packet block captured length ${capLen} overruns the block`, base + pos + 20);
    }
    const rec: PacketRecord = {
      num: ++this.num,
      ts: this.ts(i, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le)),
      tsPrec: i.tsPrec,
      capLen,
      origLen,
      linkType: i.linkType,
      interfaceId: id,
      interfaceName: this.allNames[id],
      section: this.sections,
      data: view(buf, dataStart, dataStart + capLen),
      fileOffset: base + pos,
    };
    this.comments(buf, dv, dataStart + pad4(capLen), bodyEnd, base, rec);
    out.push(rec);
  }

  private spb(buf: Uint8Array, dv: DataView, pos: number, bodyEnd: number, base: number, out: PacketRecord[]): void {
    if (bodyEnd - pos < 12) throw new CaptureError('corrupt', 'pcapng: simple packet block too short', base + pos);
    const i = this.iface(0, base, pos);
    const origLen = dv.getUint32(pos + 8, this.le);
    let capLen = origLen;
    if (i.snaplen && capLen > i.snaplen) capLen = i.snaplen;
    if (capLen > bodyEnd - (pos + 12)) capLen = bodyEnd - (pos + 12);
    out.push({
      num: ++this.num,
      ts: { sec: 0, nsec: 0 },
      tsPrec: i.tsPrec,
      tsAbsent: true,
      capLen,
      origLen,
      linkType: i.linkType,
      interfaceId: 0,
      interfaceName: this.allNames[0],
      section: this.sections,
      data: view(buf, pos + 12, pos + 12 + capLen),
      fileOffset: base + pos,
    });
  }

  private comments(buf: Uint8Array, dv: DataView, o: number, end: number, base: number, rec: PacketRecord): void {
    if (o >= end) return;
    this.options(buf, dv, o, end, base, (code, vo, l) => {
      if (code === 1) (rec.comment ??= []).push(utf8(buf, vo, l));
    });
  }

  /** Walk options; an option that overruns its block ends the walk (Wireshark warns and stops too). */
  private options(buf: Uint8Array, dv: DataView, o: number, end: number, _base: number, f: (code: number, at: number, len: number) => void): void {
    while (o + 4 <= end) {
      const code = dv.getUint16(o, this.le);
      const l = dv.getUint16(o + 2, this.le);
      if (code === 0) break;
      if (o + 4 + l > end) break;
      f(code, o + 4, l);
      o += 4 + pad4(l);
    }
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

const td = new TextDecoder('utf-8');
/** An option string: Wireshark takes it as a C string, so it ends at the first NUL inside its length. */
function utf8(buf: Uint8Array, o: number, l: number): string {
  const s = buf.subarray(o, o + l);
  const nul = s.indexOf(0);
  return td.decode(nul < 0 ? s : s.subarray(0, nul));
}

export function isPcapngMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
}
