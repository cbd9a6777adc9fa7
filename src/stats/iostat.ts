import { lookupField, type FieldDef, type FieldNode, type Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { fieldHint } from '../core/suggest.js';
import { StatError, tapFilterError, type CompileFilter, type CompiledFilter, type Stat } from './types.js';
import { collectNodes, padL, padR } from './util.js';

/** io,stat calculation types, in tshark's calc_type_table order (prefix matching depends on it) */
const CALC = ['FRAMES', 'BYTES', 'FRAMES BYTES', 'COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'LOAD'] as const;
type Calc = (typeof CALC)[number];

/** integer (FT_UINTn/FT_INTn), relative time, or something only COUNT works on */
type Kind = 'uint' | 'int' | 'reltime' | 'other';

interface Item {
  frames: number;
  /** sample size (AVG) */
  num: number;
  /** integer counter; relative-time counters are in nanoseconds (bigint) */
  counter: number;
  tcounter: bigint;
}

interface Column {
  filterText: string | null;
  calc: Calc;
  field: FieldDef | null;
  kind: Kind;
  filter: CompiledFilter | null;
  /** the intervals that have an item, by index (tshark keeps a dense list; empty ones print 0) */
  items: Map<number, Item>;
  /** index of the last interval reached (tshark's "prev" of the list head) */
  last: number;
  maxVal: number;
  maxFrame: number;
}

const NS = 1_000_000_000n;
const EMPTY: Item = { frames: 0, num: 0, counter: 0, tcounter: 0n };
/** rows printed at most (tshark would print every empty interval of a capture spanning years) */
export const IOSTAT_ROW_LIMIT = 1_000_000;

function magnitude(val: number, maxW: number): number {
  let mag = 0;
  for (let i = 0; i < maxW; i++) {
    mag++;
    val = Math.floor(val / 10);
    if (val === 0) break;
  }
  return mag;
}

function fieldKind(def: FieldDef): Kind {
  if (def.type === 'uint') return 'uint';
  if (def.type === 'int') return 'int';
  if (def.type === 'reltime') return 'reltime';
  return 'other';
}

/** printcenter(): the label centred in a column of width `lenval`, followed by "|" */
function center(label: string, lenval: number, numpad: number): string {
  const lenlab = label.length;
  const spaces = '      ';
  const len = spaces.length - (Math.trunc((lenval - lenlab) / 2) + numpad);
  if (len > 0 && len < 6) {
    const sp = spaces.slice(len);
    if ((lenval - lenlab) % 2 === 0) return `${sp}${label}${sp}|`;
    return `${spaces.slice(len - 1)}${label}${sp}|`;
  }
  if (len > 0 && len <= 15) return `${label}|`;
  return '';
}

function nodeNumber(n: FieldNode): number {
  const v = n.value;
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : 0;
}

function nodeNs(n: FieldNode): bigint {
  const v = n.value as Time | null;
  if (!v || typeof v !== 'object') return 0n;
  return BigInt(v.sec) * NS + BigInt(v.nsec);
}

/**
 * -z io,stat,INTERVAL[,COLUMN…] (ui/cli/tap-iostat.c): one row per interval, one column per filter
 * or calculation (FRAMES, BYTES, COUNT/SUM/MIN/MAX/AVG/LOAD(field)filter). Counters are kept per
 * interval (state grows with the capture duration / interval, not with packets).
 */
export class IoStat implements Stat {
  readonly needsFull = false;
  readonly fields: FieldDef[] = [];
  private readonly cols: Column[] = [];
  /** interval in µs (Infinity: the whole capture) */
  private interval: number;
  private readonly invlPrec: number;
  private elapsed: Time = { sec: 0, nsec: 0 };
  private lastRel = 0;
  private referenced: Set<number> | null = null;
  private readonly scratch: FieldNode[] = [];

  constructor(
    readonly arg: string,
    compileFilter: CompileFilter | undefined,
  ) {
    const bad = () => new StatError('invalid "-z io,stat,<interval>[,<filter>][,<filter>]..." argument');
    const m = /^io,stat,(\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(arg);
    if (!m || arg.endsWith(',')) throw bad();
    const f = Number(m[1]);
    let filters = arg.slice(m[0].length);
    if (filters !== '' && filters[0] !== ',') throw bad();
    if (f === 0) {
      this.interval = Infinity;
      this.invlPrec = 0;
    } else if (f < 0) {
      // (uint64_t) of a negative double: a huge interval, i.e. the whole capture
      this.interval = Infinity;
      this.invlPrec = 6;
    } else {
      this.interval = Math.floor(f * 1000000.0 + 0.5);
      let prec = 6;
      for (let i = 10; i < 10000000; i *= 10) {
        if (this.interval % i > 0) break;
        prec--;
      }
      if (prec === 0) {
        const text = m[1]!.trim();
        const dot = text.indexOf('.');
        if (dot >= 0 && text.length - dot - 1 > 0) prec = Math.min(text.length - dot - 1, 6);
      }
      this.invlPrec = prec;
      if (this.interval < 1) throw new StatError('"-z" interval must be >=0.000001 seconds or "0" for the entire capture duration.', 10);
    }
    // split the columns at commas; a filter that fails to compile is retried with the next piece
    // appended (display filters may contain commas)
    if (filters === '') this.cols.push(this.column(null, compileFilter));
    else {
      filters = filters.slice(1);
      const pieces = filters.split(',');
      let acc: string | null = null;
      let lastErr: StatError | null = null;
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i]!;
        const text: string = acc === null ? piece : `${acc},${piece}`;
        const trimmed = text.trim();
        try {
          this.cols.push(this.column(trimmed === '' ? null : trimmed, compileFilter));
          acc = null;
          lastErr = null;
        } catch (e) {
          if (!(e instanceof StatError) || e.exitCode !== 1 || i === pieces.length - 1) throw e;
          acc = text;
          lastErr = e;
        }
      }
      if (lastErr) throw lastErr;
    }
    for (const c of this.cols) {
      if (c.field) this.fields.push(c.field);
      if (c.filter) this.fields.push(...c.filter.fields);
    }
  }

  /** register_io_tap(): parse "CALC(field)filter" or a plain filter */
  private column(filter: string | null, compileFilter: CompileFilter | undefined): Column {
    let calc: Calc = 'FRAMES BYTES';
    let flt: string | null = filter;
    let fieldName: string | null = null;
    let def: FieldDef | null = null;
    for (const name of CALC) {
      if (filter !== null && filter.startsWith(name)) {
        calc = name;
        if (filter[name.length] === '(') {
          const p = name.length + 1;
          const close = filter.indexOf(')', p);
          if (close < 0) throw new StatError('Closing parenthesis missing from calculated expression.', 10);
          if (calc === 'FRAMES' || calc === 'BYTES') {
            if (close !== p) throw new StatError(`${name} does not require or allow a field name within the parens.`, 10);
          } else if (close === p) throw new StatError(`You didn't specify a field name for ${name}(*).`, 10);
          fieldName = filter.slice(p, close);
          flt = filter.slice(close + 1);
          if (calc === 'FRAMES' || calc === 'BYTES') break;
          def = lookupField(fieldName) ?? null;
          if (!def) {
            const hint = fieldHint(fieldName);
            throw new StatError(`There is no field named '${fieldName}'.${hint && ` ${hint}`}`, 10);
          }
          break;
        }
      } else if (calc === 'FRAMES' || calc === 'BYTES') flt = '';
    }
    const kind = def ? fieldKind(def) : 'other';
    if (def && calc !== 'FRAMES' && calc !== 'BYTES' && calc !== 'FRAMES BYTES') {
      if (kind === 'reltime') {
        if (!['SUM', 'COUNT', 'MAX', 'MIN', 'AVG', 'LOAD'].includes(calc)) {
          throw new StatError(`${fieldName} is a relative-time field, so ${calc}(*) calculations are not supported on it.`, 10);
        }
      } else if (kind === 'other' && calc !== 'COUNT') {
        throw new StatError(`${fieldName} doesn't have integral values, so ${calc}(*) calculations are not supported on it.`, 10);
      }
    }
    let compiled: CompiledFilter | null = null;
    if (flt) {
      if (!compileFilter) throw new StatError(`Couldn't register io,stat tap: Filter "${flt}" is invalid - display filters are not available`);
      try {
        compiled = compileFilter(flt);
      } catch (e) {
        throw tapFilterError('io,stat', flt, e);
      }
    }
    return { filterText: filter, calc, field: def, kind, filter: compiled, items: new Map([[0, this.newItem()]]), last: 0, maxVal: 0, maxFrame: 0 };
  }

  private newItem(): Item {
    return { frames: 0, num: 0, counter: 0, tcounter: 0n };
  }

  /** The fields its column filters name (they count as referenced, like tshark's dfilter priming). */
  get filterFields(): FieldDef[] {
    return this.cols.flatMap((c) => c.filter?.fields ?? []);
  }

  /**
   * Which fields exist in the tree: tshark 4.0 with -q fakes the fields no filter (or -e) references,
   * so COUNT/SUM/… over them see nothing. null: every field is there (tshark -V).
   */
  setReferenced(ids: ReadonlySet<number> | null): void {
    this.referenced = ids ? new Set(ids) : null;
  }

  packet(pkt: Packet): void {
    const rel = pkt.rel;
    if (rel.sec > this.elapsed.sec || (rel.sec === this.elapsed.sec && rel.nsec > this.elapsed.nsec)) this.elapsed = rel;
    let relUs: number;
    if (rel.sec >= 0 && rel.nsec >= 0) {
      relUs = rel.sec * 1000000 + Math.floor((rel.nsec + 500) / 1000);
      this.lastRel = relUs;
    } else relUs = this.lastRel;
    for (const c of this.cols) {
      if (c.filter && !c.filter.matches(pkt)) continue;
      this.add(c, pkt, relUs);
    }
  }

  private add(c: Column, pkt: Packet, relUs: number): void {
    const items = c.items;
    // the item of this packet's interval (packets in the past land in the latest one)
    const iv = this.interval;
    if (iv !== Infinity) c.last = Math.max(c.last, Math.floor(relUs / iv));
    const item = (k: number): Item => {
      let x = items.get(k);
      if (!x) items.set(k, (x = this.newItem()));
      return x;
    };
    const it = item(c.last);
    it.frames++;
    let nodes: FieldNode[] = [];
    if (c.field && c.calc !== 'FRAMES' && c.calc !== 'BYTES' && c.calc !== 'FRAMES BYTES') {
      if (!this.referenced || this.referenced.has(c.field.id)) {
        this.scratch.length = 0;
        nodes = collectNodes(pkt, c.field, this.scratch);
      }
    }
    const first = it.frames === 1;
    switch (c.calc) {
      case 'FRAMES':
      case 'BYTES':
      case 'FRAMES BYTES':
        it.counter += pkt.rec.origLen;
        break;
      case 'COUNT':
        it.counter += nodes.length;
        break;
      case 'SUM':
        for (const n of nodes) {
          if (c.kind === 'reltime') it.tcounter += nodeNs(n);
          else it.counter += nodeNumber(n);
        }
        break;
      case 'MIN':
        nodes.forEach((n, i) => {
          if (c.kind === 'reltime') {
            const v = nodeNs(n);
            if ((first && i === 0) || v < it.tcounter) it.tcounter = v;
          } else {
            const v = nodeNumber(n);
            if ((first && i === 0) || v < it.counter) it.counter = v;
          }
        });
        break;
      case 'MAX':
        for (const n of nodes) {
          if (c.kind === 'reltime') {
            const v = nodeNs(n);
            if (v > it.tcounter) it.tcounter = v;
          } else {
            const v = nodeNumber(n);
            if (v > it.counter) it.counter = v;
          }
        }
        break;
      case 'AVG':
        for (const n of nodes) {
          it.num++;
          if (c.kind === 'reltime') it.tcounter += nodeNs(n);
          else it.counter += nodeNumber(n);
        }
        break;
      case 'LOAD':
        if (c.kind !== 'reltime') break;
        for (const n of nodes) {
          // the response time spread back over the intervals it covered (µs)
          const v0 = nodeNs(n);
          let val = Number(v0 / 1000n);
          const tival = val % iv;
          it.tcounter += BigInt(tival);
          val -= tival;
          // tshark walks item->prev; the first item's prev is the column's last item (a ring)
          // (bounded: at most one turn of the ring, and a million steps; past that tshark's own
          // numbers for a response time of years over sub-second intervals mean nothing)
          const prev = (k: number) => (k === 0 ? c.last : k - 1);
          let k = prev(c.last);
          const maxSteps = Math.min(c.last + 1, 1_000_000);
          for (let guard = 0; val > 0 && guard < maxSteps; guard++) {
            const pit = item(k);
            if (val < iv) {
              pit.tcounter += BigInt(val);
              break;
            }
            pit.tcounter += BigInt(iv);
            val -= iv;
            k = prev(k);
          }
        }
        break;
    }
    // widths: the largest value seen (running values, as tshark updates them per packet)
    switch (c.calc) {
      case 'FRAMES':
      case 'FRAMES BYTES':
        c.maxFrame = Math.max(c.maxFrame, it.frames);
        if (c.calc === 'FRAMES BYTES') c.maxVal = Math.max(c.maxVal, it.counter);
        break;
      case 'BYTES':
      case 'COUNT':
        c.maxVal = Math.max(c.maxVal, it.counter);
        break;
      case 'LOAD':
        c.maxVal = Math.max(c.maxVal, Number(it.tcounter));
        break;
      case 'SUM':
      case 'MIN':
      case 'MAX':
        c.maxVal = Math.max(c.maxVal, c.kind === 'reltime' ? Number(it.tcounter) : it.counter);
        break;
      case 'AVG':
        if (it.num === 0) break;
        if (c.kind === 'reltime') c.maxVal = Math.max(c.maxVal, Number((it.tcounter / BigInt(it.num) + 500000000n) / NS));
        else c.maxVal = Math.max(c.maxVal, Math.floor(it.counter / it.num));
        break;
    }
  }

  finish(out: (s: string) => void): void {
    const el = this.elapsed;
    let duration = el.sec * 1000000 + Math.floor((el.nsec + 500) / 1000);
    const durationUs = duration;
    let interval: number;
    let whole = false;
    if (this.interval > duration || this.interval === Infinity) {
      interval = duration;
      whole = true;
    } else interval = this.interval;
    let durSecs = Math.floor(duration / 1000000);
    let durMag = magnitude(durSecs, 5);
    const invlMag = magnitude(Math.floor(interval / 1000000), 5);
    let prec: number;
    let borderlen: number;
    if (interval === duration) {
      prec = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
      borderlen = 30 + durMag + (prec === 0 ? 0 : prec + 1);
    } else {
      prec = this.invlPrec;
      borderlen = 25 + Math.max(invlMag, durMag) + (prec === 0 ? 0 : prec + 1);
    }
    let dv = 1000000;
    for (let i = 0; i < prec; i++) dv = Math.floor(dv / 10);
    const half = 5 * Math.floor(dv / 10);
    if (duration % dv > half) {
      duration = Math.floor((duration + half) / dv) * dv;
      durSecs = Math.floor(duration / 1000000);
      durMag = magnitude(durSecs, 5);
    }
    if (whole) interval = duration;
    const invlColW = Math.max(prec === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10, 12);

    // column widths and formats
    const colW: Array<{ fr: number; val: number }> = [];
    let tabrowW = invlColW;
    for (const c of this.cols) {
      const namelen = c.calc === 'FRAMES BYTES' ? 5 : c.calc.length;
      const w = { fr: 0, val: 0 };
      if (c.calc === 'FRAMES' || c.calc === 'FRAMES BYTES') {
        w.fr = Math.max(6, magnitude(c.maxFrame, 15));
        tabrowW += w.fr + 3;
        if (c.calc === 'FRAMES BYTES') {
          w.val = Math.max(5, magnitude(c.maxVal, 15));
          tabrowW += w.val + 3;
        }
        colW.push(w);
        continue;
      }
      if (c.calc === 'BYTES' || c.calc === 'COUNT') w.val = Math.max(5, magnitude(c.maxVal, 15));
      else if (c.kind === 'reltime') {
        let mv = c.maxVal;
        if (c.calc === 'LOAD') mv = Math.floor(mv / interval);
        else if (c.calc !== 'AVG') mv = Math.floor((mv + 500000000) / 1e9);
        w.val = magnitude(mv, 15) + 7;
      } else w.val = Math.max(namelen, magnitude(c.maxVal, 15));
      tabrowW += w.val + 3;
      colW.push(w);
    }
    borderlen = Math.max(borderlen, tabrowW);
    let maxfltr = 0;
    for (const c of this.cols) maxfltr = Math.max(maxfltr, c.filterText !== null ? c.filterText.length + 11 : 26);
    if (maxfltr > borderlen && borderlen < 102) borderlen = Math.min(maxfltr, 102);
    if (borderlen - tabrowW === 1) borderlen++;

    const lines: string[] = [];
    const boxed = (s: string) => (s.length + 1 >= borderlen ? `${s}|` : `${s}${padL('|', borderlen - s.length)}`);
    lines.push('', '='.repeat(borderlen));
    lines.push(boxed('| IO Statistics'), boxed('|'));
    const durW = magnitude(el.sec, 5) + (prec === 0 ? 0 : prec + 1);
    // tshark 4.0: with whole-second intervals the capture's µs duration as "%u.%6u" (space-padded);
    // otherwise the duration rounded above, cut to the interval's decimals
    const durText =
      prec === 0
        ? `${Math.floor(durationUs / 1000000)}.${String(durationUs % 1000000).padStart(6, ' ')}`
        : `${Math.floor(duration / 1000000)}.${String(Math.floor((duration % 1000000) / dv)).padStart(prec, '0')}`;
    // tshark pads these two lines for a number of durW characters, even when it is wider
    // (with whole-second intervals the duration still shows its 6 decimals: 7 more characters)
    const timeLine = (label: string, text: string, w: number) => `| ${label}: ${padL(text, w)} secs${' '.repeat(Math.max(0, borderlen - 18 - w))}|`;
    lines.push(timeLine('Duration', durText, prec === 0 ? durW + 7 : durW));
    const ivText = prec === 0 ? String(Math.floor(interval / 1000000)) : `${Math.floor(interval / 1000000)}.${String(Math.floor((interval % 1000000) / dv)).padStart(prec, '0')}`;
    lines.push(timeLine('Interval', ivText, durW));
    lines.push(boxed('|'));
    this.cols.forEach((c, j) => {
      const head = j === 0 ? `| Col${padL(j + 1, 2)}: ` : `|    ${padL(j + 1, 2)}: `;
      if (c.filterText === null) {
        lines.push(boxed(`${head}Frames and bytes`));
        return;
      }
      let filter = c.filterText;
      const maxW = borderlen - 11;
      let prefix = head;
      while (filter.length > maxW) {
        const part = filter.slice(0, maxW);
        const sp = part.lastIndexOf(' ');
        const len = sp >= 0 ? sp : maxW;
        lines.push(boxed(prefix + filter.slice(0, len)));
        filter = filter.slice(sp >= 0 ? len + 1 : len);
        prefix = '|        ';
      }
      lines.push(boxed(prefix + filter));
    });
    lines.push(`|-${'-'.repeat(Math.max(0, borderlen - 3))}|`);

    const filler = tabrowW < borderlen ? padL('|', borderlen - tabrowW) : '';
    let h1 = `|${padL('|', invlColW - 1)}`;
    this.cols.forEach((c, j) => {
      const w = colW[j]!;
      const padding = c.calc === 'FRAMES BYTES' ? w.fr + w.val + 3 : c.calc === 'FRAMES' ? w.fr : w.val;
      h1 += `${padR(j + 1, 2)}${' '.repeat(padding)}|`;
    });
    lines.push(h1 + filler);
    let h2 = `| Interval${padL('|', invlColW - 10)}`;
    this.cols.forEach((c, j) => {
      const w = colW[j]!;
      if (c.calc === 'FRAMES') h2 += center('FRAMES', w.fr, 1);
      else if (c.calc === 'FRAMES BYTES') h2 += center('Frames', w.fr, 1) + center('Bytes', w.val, 1);
      else h2 += center(c.calc, w.val, 1);
    });
    lines.push(h2 + filler);
    lines.push(`|-${'-'.repeat(Math.max(0, tabrowW - 3))}|${filler}`);

    const numRows = interval === 0 || duration === 0 ? 0 : Math.floor(duration / interval) + (duration % interval > 0 ? 1 : 0);
    const tfmt = (us: number) =>
      prec === 0 ? padL(Math.floor(us / 1000000), durMag) : `${padL(Math.floor(us / 1000000), durMag)}.${String(Math.floor((us % 1000000) / dv)).padStart(prec, '0')}`;
    for (let i = 0; i < numRows; i++) {
      if (i === IOSTAT_ROW_LIMIT - 1 && numRows > IOSTAT_ROW_LIMIT) {
        lines.push(boxed(`| … ${numRows - IOSTAT_ROW_LIMIT} more intervals not shown`));
        i = numRows - 1;
      }
      const t = i * interval;
      const last = i === numRows - 1;
      const end = last ? duration : t + interval;
      let row: string;
      if (prec === 0) {
        if (last) {
          const maxw = durMag >= 3 ? durMag + 1 : 3;
          row = `| ${durMag === 1 ? ' ' : ''}${tfmt(t)} <> ${padR('Dur', maxw)}|`;
        } else row = durMag === 1 ? `|  ${tfmt(t)} <> ${tfmt(end)}  |` : `| ${tfmt(t)} <> ${tfmt(end)} |`;
      } else row = `| ${tfmt(t)} <> ${tfmt(end)} |`;
      this.cols.forEach((c, j) => {
        const w = colW[j]!;
        const it = i <= c.last ? c.items.get(i) ?? EMPTY : undefined;
        row += this.cell(c, w, it, last, interval, end - t);
      });
      lines.push(row + filler);
      if (lines.length >= 8192) {
        // hand long tables over in pieces
        out(lines.join('\n') + '\n');
        lines.length = 0;
      }
    }
    lines.push('='.repeat(borderlen));
    out(lines.join('\n') + '\n');
  }

  private cell(c: Column, w: { fr: number; val: number }, it: Item | undefined, last: boolean, interval: number, span: number): string {
    const frames = it?.frames ?? 0;
    const counter = it?.counter ?? 0;
    const tc = it?.tcounter ?? 0n;
    const us = (ns: bigint) => {
      const r = (ns + 500n) / 1000n;
      return ` ${padL(String(r / 1000000n), w.val - 7)}.${String(r % 1000000n).padStart(6, '0')} |`;
    };
    switch (c.calc) {
      case 'FRAMES':
        return ` ${padL(frames, w.fr)} |`;
      case 'FRAMES BYTES':
        return ` ${padL(frames, w.fr)} | ${padL(counter, w.val)} |`;
      case 'BYTES':
      case 'COUNT':
        return ` ${padL(counter, w.val)} |`;
      case 'SUM':
      case 'MIN':
      case 'MAX':
        if (c.kind === 'reltime') return us(tc);
        return ` ${padL(counter, w.val)} |`;
      case 'AVG': {
        const num = it && it.num ? it.num : 1;
        if (c.kind === 'reltime') return us(tc / BigInt(num));
        return ` ${padL(Math.floor(counter / num), w.val)} |`;
      }
      case 'LOAD': {
        if (c.kind !== 'reltime') return '';
        const d = BigInt(last ? span : interval);
        if (d === 0n) return ` ${padL('0', w.val - 7)}.000000 |`;
        return ` ${padL(String(tc / d), w.val - 7)}.${String(((tc % d) * 1000000n) / d).padStart(6, '0')} |`;
      }
    }
  }
}
