// -z seqgraph,tcp,N[,FILE.svg]: the time–sequence graph of loss.pcap and zerowin.pcap. The marked
// segments are exactly the frames tshark flags tcp.analysis.retransmission / out_of_order (with the
// TCP tracker's flags, and with seqgraph's own fallback when analysis is off); the terminal drawing
// fits width×height; the SVG is well-formed XML with one marked group per flagged frame.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { parseStat, statFields } from '../src/stats/index.js';
import { BrailleCanvas, SeqGraphStat, yTicks } from '../src/stats/seqgraph.js';

const run = promisify(execFile);
const FIXTURES = path.resolve(__dirname, '../fixtures');
const TSHARK_REF = path.resolve(__dirname, '../scripts/tshark-ref');
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

async function graph(file: string, arg: string, opts: { width?: number; height?: number; color?: boolean; analysis?: boolean } = {}): Promise<SeqGraphStat> {
  const s = parseStat(arg, { width: opts.width ?? 100, height: opts.height ?? 30, color: opts.color ?? false }) as SeqGraphStat;
  const eng = new Engine({
    full: false,
    fields: opts.analysis === false ? [] : statFields([s]),
    columns: false,
    prefs: opts.analysis === false ? { 'tcp.analyze_sequence_numbers': false } : {},
  });
  for await (const rec of await openCapture(path.join(FIXTURES, file))) s.packet(eng.dissect(rec));
  return s;
}

/** A small XML well-formedness check: one root, balanced and properly nested tags, quoted
 * attributes, no stray '<' or '&' in text, known entities only. Returns the element names seen. */
function checkXml(xml: string): string[] {
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  let roots = 0;
  const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  while (s.length) {
    if (s[0] === '<') {
      const m = /^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(s);
      if (!m) throw new Error(`bad tag at: ${s.slice(0, 40)}`);
      const [all, close, name, attrs, self] = m;
      for (const v of attrs!.matchAll(/="([^"]*)"/g)) {
        for (let i = v[1]!.indexOf('&'); i >= 0; i = v[1]!.indexOf('&', i + 1)) if (!entity.test(v[1]!.slice(i))) throw new Error(`bad entity in ${name}`);
      }
      if (close) {
        if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      } else {
        if (!stack.length) roots++;
        names.push(name!);
        if (!self) stack.push(name!);
      }
      s = s.slice(all.length);
    } else {
      const i = s.indexOf('<');
      const text = i < 0 ? s : s.slice(0, i);
      if (!stack.length && text.trim()) throw new Error('text outside the root');
      for (let j = text.indexOf('&'); j >= 0; j = text.indexOf('&', j + 1)) if (!entity.test(text.slice(j))) throw new Error('bad entity');
      s = i < 0 ? '' : s.slice(i);
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack.pop()}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return names;
}

const FILES = ['loss.pcap', 'zerowin.pcap'];

describe('seqgraph,tcp', () => {
  const ref = new Map<string, { retrans: number[]; ooo: number[] }>();
  beforeAll(async () => {
    if (!hasTshark) return;
    for (const f of FILES) {
      const rows = async (filter: string) =>
        (await run(TSHARK_REF, ['-r', path.join(FIXTURES, f), '-Y', filter, '-T', 'fields', '-e', 'frame.number'])).stdout.split('\n').filter(Boolean).map(Number);
      const [ooo, retrans] = await Promise.all([rows('tcp.analysis.out_of_order'), rows('tcp.analysis.retransmission && !tcp.analysis.out_of_order')]);
      ref.set(f, { retrans, ooo });
    }
  });

  for (const f of FILES) {
    it.skipIf(!hasTshark)(`${f}: the marked frames are tshark's retransmissions and out-of-order segments (skipped without tshark)`, async () => {
      const want = ref.get(f)!;
      for (const analysis of [true, false]) {
        const marks = (await graph(f, 'seqgraph,tcp,0', { analysis })).marks();
        expect(marks.filter((m) => m.kind === 'retransmission').map((m) => m.frame), `analysis ${analysis}`).toEqual(want.retrans);
        expect(marks.filter((m) => m.kind === 'out_of_order').map((m) => m.frame), `analysis ${analysis}`).toEqual(want.ooo);
      }
      expect(want.retrans.length + want.ooo.length).toBeGreaterThan(0);
    });
  }

  it('the terminal graph fits width × height, with a legend counting the marks', async () => {
    for (const [w, h] of [[60, 16], [100, 30], [160, 48]] as const) {
      const g = await graph('loss.pcap', 'seqgraph,tcp,0', { width: w, height: h });
      const text = g.render();
      const lines = text.replace(/\n$/, '').split('\n');
      expect(lines.length).toBeLessThanOrEqual(h);
      for (const l of lines) expect(strip(l).length, l).toBeLessThanOrEqual(w);
      const marks = g.marks();
      expect(lines[1]).toContain(`retransmission (${marks.filter((m) => m.kind === 'retransmission').length})`);
      expect(lines[1]).toContain(`out-of-order (${marks.filter((m) => m.kind === 'out_of_order').length})`);
      // without colour: one glyph per series, no braille dots
      expect(text).not.toMatch(/[\u2800-\u28ff]/);
      for (const g of ['|', 'R', 'O', '-', '~', 'S']) expect(lines.slice(3).join('\n')).toContain(g);
      expect(lines[0]).toMatch(/^TCP stream 0: 10\.99\.0\.1:\d+ → 10\.99\.0\.2:20000( |$)/);
    }
    // with colour: braille dots, the same layout and labels
    const colored = strip((await graph('loss.pcap', 'seqgraph,tcp,0', { color: true })).render()).split('\n');
    const plain = (await graph('loss.pcap', 'seqgraph,tcp,0')).render().split('\n');
    expect(colored.join('\n')).toMatch(/[\u2801-\u28ff]/);
    expect(colored.map((l) => l.slice(0, 9))).toEqual(plain.map((l) => l.slice(0, 9)));
  });

  it('FILE.svg: well-formed SVG with one marked group per flagged frame', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-seqgraph-'));
    for (const f of FILES) {
      const file = path.join(dir, `${f}.svg`);
      const g = await graph(f, `seqgraph,tcp,0,${file}`);
      let out = '';
      g.finish((s) => (out += s));
      expect(out.startsWith(`seqgraph: wrote ${file} (TCP stream 0, `)).toBe(true);
      expect(out).toMatch(/, \d+ packets\)\n$/);
      const svg = readFileSync(file, 'utf8');
      const names = checkXml(svg);
      expect(names[0]).toBe('svg');
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      const marks = g.marks();
      expect((svg.match(/<g class="retransmission">/g) ?? []).length).toBe(marks.filter((m) => m.kind === 'retransmission').length);
      expect((svg.match(/<g class="out_of_order">/g) ?? []).length).toBe(marks.filter((m) => m.kind === 'out_of_order').length);
      for (const m of marks) expect(svg).toContain(`<title>frame ${m.frame}: `);
      expect(svg).toContain('class="ack"');
      expect(svg).toContain('class="window"');
    }
  });

  it('the XML check rejects broken documents', () => {
    expect(() => checkXml('<svg><g></svg>')).toThrow();
    expect(() => checkXml('<svg a=1></svg>')).toThrow();
    expect(() => checkXml('<svg>a & b</svg>')).toThrow();
    expect(() => checkXml('<svg/><svg/>')).toThrow();
    expect(checkXml('<?xml version="1.0"?>\n<svg x="&amp;"><t>1 &lt; 2</t><g/></svg>\n')).toEqual(['svg', 't', 'g']);
  });

  it('a stream that does not exist says so; the canvas packs 2×4 dots per cell', async () => {
    expect((await graph('loss.pcap', 'seqgraph,tcp,5')).render()).toBe('TCP stream 5: no packets\n');
    const cv = new BrailleCanvas(2, 1);
    cv.set(0, 3, 1);
    cv.set(1, 0, 2);
    cv.line(2, 0, 2, 3, 3);
    expect(cv.lines((ly, ch) => `${ly}${ch}`)).toEqual([`2${String.fromCharCode(0x2800 + 0x01 + 0x80)}3${String.fromCharCode(0x2800 + 0x47)}`]);
  });

  it('yTicks: integer 1-2-5 steps from 0 to the first multiple above the maximum', () => {
    expect(yTicks(6, 4)).toEqual({ top: 6, ticks: [0, 2, 4, 6] });
    expect(yTicks(5.2, 8)).toEqual({ top: 6, ticks: [0, 1, 2, 3, 4, 5, 6] });
    expect(yTicks(4.5, 4)).toEqual({ top: 6, ticks: [0, 2, 4, 6] });
    expect(yTicks(0.3, 5)).toEqual({ top: 1, ticks: [0, 1] });
    expect(yTicks(370_690, 8).ticks).toEqual([0, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 350_000, 400_000]);
  });
});

/** The y labels of a terminal graph (without colour): row index → value, and the rows. */
function yLabels(text: string): { labels: Map<number, number>; rows: string[] } {
  const rows = text.split('\n').filter((l) => /^ *\d* ┤/.test(l));
  const labels = new Map<number, number>();
  rows.forEach((l, i) => {
    const m = /^ *(\d+) ┤/.exec(l);
    if (m) labels.set(i, Number(m[1]));
  });
  return { labels, rows };
}

/** The highest window edge (ACK + calculated window) of the server's ACKs, by tshark. */
async function maxWindowEdge(file: string): Promise<number> {
  const { stdout } = await run(TSHARK_REF, ['-r', path.join(FIXTURES, file), '-Y', 'tcp.srcport == 20000 && tcp.flags.ack == 1', '-T', 'fields', '-e', 'tcp.ack', '-e', 'tcp.window_size']);
  return Math.max(...stdout.split('\n').filter(Boolean).map((l) => l.split('\t').map(Number).reduce((a, b) => a + b)));
}

describe('seqgraph axis: exact tick labels, and nothing clipped without saying so', () => {
  for (const [w, h] of [[80, 24], [100, 30], [60, 16]] as const) {
    it(`echo-veth.pcap (the 'AB' echo), ${w}×${h}: integer ticks, each on the row where its value is drawn`, async () => {
      const text = (await graph('echo-veth.pcap', 'seqgraph,tcp,0', { width: w, height: h })).render();
      const { labels, rows } = yLabels(text);
      const values = [...labels.values()];
      // 0 at the bottom row, evenly spaced integers (never 0, 2, 3, 5, 6)
      expect(labels.get(rows.length - 1)).toBe(0);
      expect(values.every(Number.isInteger)).toBe(true);
      const step = values.at(-2)!;
      expect(values).toEqual(values.map((_, i) => (values.length - 1 - i) * step));
      expect(values[0]).toBeGreaterThanOrEqual(4); // the FIN's ACK: Ack=4
      // the ACK line (-) at Ack=1, 3 and 4 lies on the rows labelled 1, 3, 4 when those are ticks
      for (const [row, v] of labels) if ([1, 3, 4].includes(v)) expect(rows[row], `row ${v}`).toMatch(/┤.*-/);
      // the window edge (ACK + 65536) is far above: ↑ along the top row, and the legend says so
      expect(rows[0]).toMatch(/┤↑+$/);
      expect(text).toContain(`↑ window edge above the graph, up to ${hasTshark ? await maxWindowEdge('echo-veth.pcap') : 65540}: clipped`);
      expect(text.split('\n').length - 1).toBeLessThanOrEqual(h);
    });
  }

  it('loss.pcap: integer ticks, the window edge inside the graph (no clip mark, no note)', async () => {
    const text = (await graph('loss.pcap', 'seqgraph,tcp,0', { width: 100, height: 30 })).render();
    const { labels, rows } = yLabels(text);
    const values = [...labels.values()];
    expect(values).toEqual([400_000, 350_000, 300_000, 250_000, 200_000, 150_000, 100_000, 50_000, 0]);
    expect(labels.get(rows.length - 1)).toBe(0);
    expect(text).not.toContain('↑');
    expect(text).not.toContain('clipped');
    if (hasTshark) expect(values[0]).toBeGreaterThanOrEqual(await maxWindowEdge('loss.pcap'));
    expect(rows.some((r) => r.includes('~'))).toBe(true);
    // the SACK blocks drawn are the server's, as tshark lists their left edges
    if (hasTshark) {
      const { stdout } = await run(TSHARK_REF, ['-r', path.join(FIXTURES, 'loss.pcap'), '-Y', 'tcp.stream == 0 && tcp.srcport == 20000', '-T', 'fields', '-e', 'tcp.options.sack_le']);
      const blocks = stdout.split(/[\n,]/).filter(Boolean).length;
      expect(blocks).toBeGreaterThan(0);
      expect(text).toContain(`S SACK (${blocks} blocks)`);
    }
  });

  it('the SVG: y ticks labelled with their exact values; the clipped window edge dashed along the top, with a note', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-seqgraph-'));
    const svgOf = async (f: string) => {
      const file = path.join(dir, `${f}.svg`);
      (await graph(f, `seqgraph,tcp,0,${file}`)).finish(() => {});
      return readFileSync(file, 'utf8');
    };
    const ticks = (svg: string) => [...svg.matchAll(/<text class="ytick" x="[\d.]+" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), v: m[2]! }));
    const echo = await svgOf('echo-veth.pcap');
    expect(ticks(echo).map((t) => t.v)).toEqual(['0', '1', '2', '3', '4', '5']);
    const ys = ticks(echo).map((t) => t.y);
    for (let i = 2; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeCloseTo(ys[1]! - ys[0]!, 1);
    expect(echo).toMatch(/<path class="window-clipped" d="M[\d.]+,50H/);
    expect(echo).toContain('window edge above the graph, up to 65540: clipped</text>');
    const loss = await svgOf('loss.pcap');
    expect(ticks(loss).map((t) => t.v)).toEqual(['0', '50000', '100000', '150000', '200000', '250000', '300000', '350000', '400000']);
    expect(loss).not.toContain('window-clipped');
    expect(loss).toContain('class="sack"');
  });
});
