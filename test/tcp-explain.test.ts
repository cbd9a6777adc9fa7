// minishark's teaching fields (minishark.tcp.*) on real captures: the phase and step of each segment
// (three-way handshake, data, four-way teardown, reset, keep-alive, retransmission), who is client
// and server, the one-sentence explanation in the seed article's words (English and Chinese) and the
// MSS check. Plus the Wireshark fields this stage fills, read from the same field tree.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../src/core/field.js';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { ms, ta } from '../src/dissectors/tcp-fields.js';
import { tcp } from '../src/dissectors/tcp.js';
import { openCapture } from '../src/io/reader.js';
import { infoText } from '../src/output/columns.js';
import { fieldLabels, LANG_NAMES, parseLang, phaseStepText } from '../src/analysis/tcp-explain.js';

const FIX = path.resolve(__dirname, '../fixtures');

interface Row {
  phase: string;
  step: string;
  role: string;
  explain: string;
  mss: string;
  info: string;
  seq: number;
  ack: number;
}

function value(pkt: Packet, def: FieldDef): unknown {
  for (const L of pkt.layers) {
    const stack = [...L.fields];
    while (stack.length) {
      const n = stack.shift()!;
      if (n.def === def) return n.value;
      if (n.children) stack.unshift(...n.children);
    }
  }
  return undefined;
}

async function rows(file: string, prefs: Record<string, unknown> = {}, full = true): Promise<Row[]> {
  const fields = [ms.phase, ms.step, ms.role, ms.explain, ms.mssCheck, tcp.seq, tcp.ack];
  const engine = new Engine({ prefs: prefs as never, full, fields, columns: true });
  const out: Row[] = [];
  const reader = await openCapture(path.join(FIX, file));
  for await (const batch of reader.batches()) {
    for (const rec of batch) {
      const p = engine.dissect(rec);
      if (!p.tcp) continue;
      out.push({
        phase: String(value(p, ms.phase) ?? ''),
        step: String(value(p, ms.step) ?? ''),
        role: String(value(p, ms.role) ?? ''),
        explain: String(value(p, ms.explain) ?? ''),
        mss: String(value(p, ms.mssCheck) ?? ''),
        info: infoText(p),
        seq: value(p, tcp.seq) as number,
        ack: value(p, tcp.ack) as number,
      });
    }
  }
  return out;
}

const label = (r: Row) => (r.step ? `${r.phase} ${r.step}` : r.phase);

describe('echo-veth.pcap: the seed article\'s echo of "AB"', async () => {
  const r = await rows('echo-veth.pcap');

  it('has the eleven TCP segments of the echo', () => {
    expect(r).toHaveLength(11);
  });

  it('phase and step: handshake 1/3..3/3, data, teardown 1/4..4/4', () => {
    expect(r.map(label)).toEqual([
      'handshake 1/3',
      'handshake 2/3',
      'handshake 3/3',
      'data',
      'data',
      'data',
      'data',
      'teardown 1/4',
      'teardown 2/4',
      'teardown 3/4',
      'teardown 4/4',
    ]);
  });

  it('roles: the SYN sender is the client', () => {
    expect(r.map((x) => x.role)).toEqual(['client', 'server', 'client', 'client', 'server', 'server', 'client', 'client', 'server', 'server', 'client']);
  });

  it('explains the handshake with x and y as the article does', () => {
    expect(r[0]!.explain).toBe('Client → server: SYN, Seq=x=0: asks to open a connection (three-way handshake 1/3)');
    expect(r[1]!.explain).toBe('Server → client: SYN, ACK, Seq=y=0, Ack=x+1=1: accepts and opens its own side (three-way handshake 2/3)');
    expect(r[2]!.explain).toBe('Client → server: ACK, Seq=x+1=1, Ack=y+1=1: the connection is established (three-way handshake 3/3)');
  });

  it("explains the 'AB' data and its acknowledgements", () => {
    expect(r[3]!.explain).toContain('Client → server: PSH, ACK, Seq=1, Ack=1, Len=2: sends 2 bytes of data, the next byte is Seq=3');
    expect(r[4]!.explain).toBe('Server → client: ACK, Ack=3: the peer received 2 bytes (Seq=1 + 2)');
    expect(r[5]!.explain).toContain('Server → client: PSH, ACK, Seq=1, Ack=3, Len=2');
    expect(r[6]!.explain).toBe('Client → server: ACK, Ack=3: the peer received 2 bytes (Seq=1 + 2)');
  });

  it('explains the four-way teardown with Seq=u / Ack=u+1 and Seq=v / Ack=v+1', () => {
    expect(r[7]!.explain).toBe('Client → server: FIN, ACK, Seq=u=3: has no more data to send, asks to close (four-way teardown 1/4)');
    expect(r[8]!.explain).toContain('Server → client: ACK, Ack=u+1=4: acknowledges the client');
    expect(r[9]!.explain).toContain('Server → client: FIN, ACK, Seq=v=3');
    expect(r[10]!.explain).toBe('Client → server: ACK, Ack=v+1=4: acknowledges the last FIN, the connection is closed (four-way teardown 4/4)');
  });

  it('MSS check on the 2-byte segments: smaller than 1448 = 1460 − 12', () => {
    expect(r[3]!.mss).toBe('Len 2 < 1448 (MSS 1460 − 12 option bytes): smaller than a full segment');
    expect(r[0]!.mss).toBe('');
  });

  it('the Wireshark side of the same frames: relative numbers and Info', () => {
    expect(r.map((x) => x.seq)).toEqual([0, 0, 1, 1, 1, 1, 3, 3, 3, 3, 4]);
    expect(r[7]!.info).toMatch(/^\d+ → 20000 \[FIN, ACK\] Seq=3 Ack=3 Win=64512 Len=0 TSval=\d+ TSecr=\d+$/);
  });

  it('in Simplified Chinese (zh, zh-CN), with the articles\' words (三次握手, 四次挥手, Seq=x+1)', async () => {
    for (const lang of ['zh', 'zh-CN']) {
      const z = await rows('echo-veth.pcap', { 'minishark.lang': lang });
      expect(z[0]!.explain).toBe('客户端 → 服务端：SYN，Seq=x=0：请求建立连接（三次握手第一次）');
      expect(z[2]!.explain).toBe('客户端 → 服务端：ACK，Seq=x+1=1，Ack=y+1=1：连接建立（三次握手第三次）');
      expect(z[4]!.explain).toBe('服务端 → 客户端：ACK，Ack=3：收到了 2 个字节的数据（Seq=1 + 2）');
      expect(z[7]!.explain).toContain('四次挥手第一次');
      expect(z[10]!.explain).toContain('四次挥手第四次');
      // the Wireshark fields do not change with the language
      expect(z.map((x) => x.info)).toEqual(r.map((x) => x.info));
    }
  });

  it('in Traditional Chinese (zh-TW), with Taiwan\'s words (用戶端, 伺服器, 資料, 位元組)', async () => {
    const z = await rows('echo-veth.pcap', { 'minishark.lang': 'zh-TW' });
    expect(z[0]!.explain).toBe('用戶端 → 伺服器：SYN，Seq=x=0：請求建立連線（三次握手第一次）');
    expect(z[2]!.explain).toBe('用戶端 → 伺服器：ACK，Seq=x+1=1，Ack=y+1=1：連線建立（三次握手第三次）');
    expect(z[4]!.explain).toBe('伺服器 → 用戶端：ACK，Ack=3：收到了 2 個位元組的資料（Seq=1 + 2）');
    expect(z[7]!.explain).toContain('四次揮手第一次');
    expect(z[3]!.mss).toBe('Len 2 < 1448（MSS 1460 − 12 位元組選項）：未滿載的區段');
  });

  it('only builds the text when asked: with -e minishark.tcp.phase alone there is no explanation', async () => {
    const engine = new Engine({ full: false, fields: [ms.phase], columns: false });
    const reader = await openCapture(path.join(FIX, 'echo-veth.pcap'));
    const phases: string[] = [];
    let explained = 0;
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const p = engine.dissect(rec);
        const ph = value(p, ms.phase);
        if (ph) phases.push(String(ph));
        if (value(p, ms.explain) !== undefined) explained++;
      }
    }
    expect(phases).toHaveLength(11);
    expect(explained).toBe(0);
  });
});

describe('other closes and resets', () => {
  it('keepalive.pcap: keep-alives, then a three-way close (FIN/ACK = teardown 2+3/4)', async () => {
    const r = await rows('keepalive.pcap');
    expect(r.filter((x) => x.phase === 'keep-alive')).toHaveLength(6);
    expect(r.slice(-3).map(label)).toEqual(['teardown 1/4', 'teardown 2+3/4', 'teardown 4/4']);
    expect(r.at(-2)!.explain).toContain('four-way teardown 2/4 and 3/4 combined');
  });

  it('halfclose.pcap: the server keeps sending after the client FIN', async () => {
    const r = await rows('halfclose.pcap');
    const steps = r.filter((x) => x.phase === 'teardown').map((x) => x.step);
    expect(steps).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const half = r.filter((x) => x.explain.includes('half-close'));
    expect(half.length).toBeGreaterThanOrEqual(2);
    expect(half.every((x) => x.role === 'server')).toBe(true);
  });

  it('server-close.pcap: the server closes first', async () => {
    const r = await rows('server-close.pcap');
    const t = r.filter((x) => x.phase === 'teardown');
    expect(t.map((x) => `${x.step} ${x.role}`)).toEqual(['1/4 server', '2/4 client', '3/4 client', '4/4 server']);
  });

  it('rst-closed-port.pcap: connection refused', async () => {
    const r = await rows('rst-closed-port.pcap');
    expect(r.map(label)).toEqual(['handshake 1/3', 'reset']);
    expect(r[1]!.role).toBe('server');
    expect(r[1]!.explain).toBe('Server → client: RST, ACK: connection refused (nothing listens on port 20001)');
  });

  it('rst-linger.pcap: an abortive close by the client', async () => {
    const r = await rows('rst-linger.pcap');
    expect(r.at(-1)!.phase).toBe('reset');
    expect(r.at(-1)!.role).toBe('client');
    expect(r.at(-1)!.explain).toContain('the client resets the connection');
  });
});

describe('bulk4096.pcap: the seed article\'s 4096 bytes as 1448 + 1448 + 1200', () => {
  it('MSS check: 1448 = 1500 − 20 − 20 − 12 with the timestamps option', async () => {
    const r = await rows('bulk4096.pcap');
    const data = r.filter((x) => x.mss);
    expect(data.map((x) => x.mss.split(' ')[1])).toEqual(['1448', '1448', '1200']);
    expect(data[0]!.mss).toBe('Len 1448 = MSS 1460 − 12 option bytes = 1500 − 20 − 20 − 12 (MTU − IP header − TCP header − TCP options): a full-sized segment');
    expect(data[2]!.mss).toBe('Len 1200 < 1448 (MSS 1460 − 12 option bytes): smaller than a full segment');
  });
});

describe('the analysis fields of this stage, from the field tree', () => {
  it('port-reuse.pcap: the second connection is a new stream, its SYN flagged', async () => {
    const engine = new Engine({ full: false, fields: [tcp.stream, ta.reusedPorts], columns: true });
    const reader = await openCapture(path.join(FIX, 'port-reuse.pcap'));
    const streams: number[] = [];
    const reused: number[] = [];
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const p = engine.dissect(rec);
        if (!p.tcp) continue;
        streams.push(value(p, tcp.stream) as number);
        if (value(p, ta.reusedPorts) !== undefined) {
          reused.push(rec.num);
          expect(infoText(p)).toMatch(/^\[TCP Port numbers reused\] 40000 → 20000 \[SYN\] Seq=0 /);
        }
      }
    }
    expect(reused).toEqual([12]);
    expect(new Set(streams)).toEqual(new Set([0, 1]));
    expect(streams.indexOf(1)).toBe(11);
  });
});

// The Simplified → Traditional pairs the Chinese texts use (the characters replaced when the
// texts, first written in Traditional characters, were made Simplified), and the characters they
// use that are the same in both scripts. Written out here, not read from src/analysis/lang.ts.
const SIMPLIFIED = '丢并乱个伪传务区后报对层带帧应户挥据携数断时暂机检没测满现毕发尽监确节绝给经线缓继续听与号冲复诉该认请载输这连过达选释闭开间关阶双项须头骤';
const TRADITIONAL = '丟並亂個偽傳務區後報對層帶幀應戶揮據攜數斷時暫機檢沒測滿現畢發盡監確節絕給經線緩繼續聽與號衝複訴該認請載輸這連過達選釋閉開間關階雙項須頭驟';
const SAME = '一三上下中主之也了二些仍以保停分到前包半即卸口可合同否告和四回在失字完客小己已希序建待必快意手打把抓拒按探接推握收放文新方是更最有服望未查次止步段比求活然用的相看秒空窗立端第等置能自色被要角解起超送通速重零需面';
const han = (s: string) => [...s].filter((ch) => /\p{Script=Han}/u.test(ch));
/** the characters of `s` found in `set` */
const found = (s: string, set: string) => [...new Set(han(s).filter((ch) => set.includes(ch)))];

const LANG_FILES = ['echo-veth.pcap', 'loss.pcap', 'zerowin.pcap', 'keepalive.pcap', 'halfclose.pcap', 'server-close.pcap', 'rst-closed-port.pcap', 'rst-linger.pcap', 'bulk4096.pcap', 'port-reuse.pcap'];

/** Every explanation, MSS check, phase and step of the captures, and the field labels, in one language. */
async function allTexts(lang: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of LANG_FILES) for (const x of await rows(f, { 'minishark.lang': lang })) out.push(x.explain, x.mss);
  const l = parseLang(lang)!;
  out.push(...Object.values(fieldLabels(l)), ...['handshake', 'data', 'teardown', 'reset', 'keep-alive', 'retransmission'].map((p) => phaseStepText(p, '1/3', l)));
  return out.filter(Boolean);
}

describe('one script per language, and Ack=N everywhere', async () => {
  const cn = await allTexts('zh-CN');
  const tw = await allTexts('zh-TW');
  const en = await allTexts('en');

  it('the pair lists are sound: same length, no character on both sides', () => {
    expect([...SIMPLIFIED]).toHaveLength([...TRADITIONAL].length);
    expect(found(SIMPLIFIED, TRADITIONAL + SAME)).toEqual([]);
  });

  it('every Han character the texts are written with is a known pair or the same in both scripts', async () => {
    const src = ['../src/analysis/tcp-explain.ts', '../src/analysis/lang.ts'].map((f) => readFileSync(path.resolve(__dirname, f), 'utf8'));
    const written = han(src[0]!);
    expect(written.length).toBeGreaterThan(500);
    expect([...new Set(written.filter((ch) => !SIMPLIFIED.includes(ch) && !SAME.includes(ch)))]).toEqual([]);
    expect(cn.join('').length).toBeGreaterThan(5000);
  });

  it('zh-CN has no Traditional-only character, zh-TW no Simplified one', () => {
    expect(found(cn.join(''), TRADITIONAL)).toEqual([]);
    expect(found(tw.join(''), SIMPLIFIED)).toEqual([]);
    // and they differ where they should
    expect(found(cn.join(''), SIMPLIFIED).length).toBeGreaterThan(40);
    expect(found(tw.join(''), TRADITIONAL).length).toBeGreaterThan(40);
    expect(cn.some((s) => s.includes('四次挥手'))).toBe(true);
    expect(tw.some((s) => s.includes('四次揮手'))).toBe(true);
  });

  it('Ack=N and Seq=N in every language (never "Ack 3")', () => {
    for (const s of [...en, ...cn, ...tw]) {
      expect(s, s).not.toMatch(/\b(Ack|Seq) ?\d/);
      expect(s, s).not.toMatch(/\bAck\b(?!=)/);
    }
    expect(en.filter((s) => /Ack=\d+: the peer received/.test(s)).length).toBeGreaterThan(10);
  });

  it.skipIf(!existsSync(path.resolve(__dirname, '../dist/cli/run.js')))('the CLI: --lang zh / zh-TW, -o minishark.lang:zh-TW, --lang over -o (needs npm run build)', () => {
    const first = (...args: string[]) => {
      const argv = [path.resolve(__dirname, '../bin/minishark.js'), '-r', path.join(FIX, 'echo-veth.pcap'), '-c', '3', '-T', 'fields', '-e', 'minishark.tcp.explain', ...args];
      return execFileSync(process.execPath, argv, { encoding: 'utf8' }).split('\n').filter(Boolean)[0];
    };
    expect(first()).toBe(en.find((s) => s.startsWith('Client → server: SYN,')));
    expect(first('--lang', 'zh')).toBe('客户端 → 服务端：SYN，Seq=x=0：请求建立连接（三次握手第一次）');
    expect(first('--lang', 'zh-TW')).toBe('用戶端 → 伺服器：SYN，Seq=x=0：請求建立連線（三次握手第一次）');
    expect(first('-o', 'minishark.lang:zh-TW')).toBe(first('--lang', 'zh-TW'));
    expect(first('-o', 'minishark.lang:zh-TW', '--lang', 'zh-CN')).toBe(first('--lang', 'zh'));
  });

  it('--lang values: en, zh (= zh-CN), zh-CN, zh-TW', () => {
    expect(['en', 'zh', 'zh-CN', 'zh-cn', 'zh-TW', 'zh-tw', 'fr', 'zh-HK'].map(parseLang)).toEqual(['en', 'zh-CN', 'zh-CN', 'zh-CN', 'zh-TW', 'zh-TW', null, null]);
    expect(LANG_NAMES).toEqual(['en', 'zh', 'zh-CN', 'zh-TW']);
  });
});
