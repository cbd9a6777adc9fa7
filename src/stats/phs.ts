import { allFields, type FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import type { CompiledFilter, Stat } from './types.js';
import { padR } from './util.js';

interface Node {
  proto: string;
  frames: number;
  bytes: number;
  children: Node[];
}

const RULE = '===================================================================';

/**
 * -z io,phs[,filter]: protocol hierarchy statistics (ui/cli/tap-protohierstat.c). Each packet walks
 * the top-level protocols of its tree in order, so eth → ip → tcp → data nests. As in tshark 4.0's
 * tree: "frame" is there only when a frame field is referenced (or with -V), "pkt_comment" comes
 * first on commented frames, the layers dissected inside an ICMP error are not top level (but the
 * quoted payload's "data" is), and ICMP/ICMPv6 echo data sits inside the ICMP tree. The tree is
 * bounded by the protocol combinations seen.
 */
export class PhsStat implements Stat {
  readonly needsFull = false;
  readonly fields: FieldDef[];
  /** fields named by this tap's filter (they count as referenced, like tshark's dfilter priming) */
  readonly filterFields: FieldDef[];
  private readonly root: Node[] = [];
  /** tshark only builds the "frame" tree item when a frame field is referenced (or with -V) */
  private withFrame = false;

  constructor(
    readonly arg: string,
    private readonly filterText: string | null,
    private readonly filter: CompiledFilter | null,
  ) {
    this.fields = filter?.fields ?? [];
    this.filterFields = filter?.fields ?? [];
  }

  /** ids of the referenced fields (null: the whole tree is built, as with tshark -V) */
  setReferenced(ids: ReadonlySet<number> | null): void {
    this.withFrame = ids === null || [...ids].some((id) => allFields()[id]?.proto === 'frame');
  }

  packet(pkt: Packet): void {
    if (this.filter && !this.filter.matches(pkt)) return;
    const len = pkt.rec.origLen;
    let level = this.root;
    const visit = (proto: string) => {
      let n: Node | undefined;
      for (const c of level) {
        if (c.proto === proto) {
          n = c;
          break;
        }
      }
      if (!n) {
        n = { proto, frames: 0, bytes: 0, children: [] };
        level.push(n);
      }
      n.frames++;
      n.bytes += len;
      level = n.children;
    };
    // tshark 4.0 counts the "Packet comments" tree (pkt_comment) as the first top-level protocol
    if (pkt.rec.comment?.length && !pkt.layers.some((l) => l.proto === 'pkt_comment')) visit('pkt_comment');
    const layers = pkt.layers;
    for (let i = 0; i < layers.length; i++) {
      const L = layers[i]!;
      if (L.proto === 'frame') {
        if (this.withFrame) visit('frame');
        continue;
      }
      if (L.inner && L.proto !== 'data') continue;
      // ICMP/ICMPv6 show their own payload (echo data) inside their tree, not at the top level
      if (L.proto === 'data') {
        const prev = layers[i - 1]?.proto;
        if (prev === 'icmp' || prev === 'icmpv6') continue;
      }
      visit(L.proto);
    }
  }

  finish(out: (s: string) => void): void {
    let s = `\n${RULE}\nProtocol Hierarchy Statistics\nFilter: ${this.filterText ?? ''}\n\n`;
    const draw = (nodes: Node[], depth: number) => {
      for (const n of nodes) {
        let indent = '';
        for (let i = 0; i < depth; i++) {
          if (i > 15) {
            indent += '...';
            break;
          }
          indent += '  ';
        }
        // tshark builds the name in an 80-byte buffer
        const name = (indent + n.proto).slice(0, 79);
        s += `${padR(name, 40)} frames:${n.frames} bytes:${n.bytes}\n`;
        draw(n.children, depth + 1);
      }
    };
    draw(this.root, 0);
    s += `${RULE}\n`;
    out(s);
  }
}
