import type { Time } from '../core/field.js';
import { TA, TH, type TcpResult } from './tcp-tracker.js';
import { toTraditional, type Lang } from './lang.js';

/**
 * minishark's plain-language view of a TCP segment, in the words of the seed articles
 * (/work/shared/seeds: 三次握手 three-way handshake, 四次挥手 four-way teardown, Seq=x, Ack=x+1,
 * MSS = MTU − IP header − TCP header): one sentence per segment and an MSS check. English by
 * default; Simplified Chinese (the articles' own wording) with 'zh-CN', Traditional with 'zh-TW'
 * (made from the Simplified texts: see lang.ts). Pure string building from a TcpResult; called only
 * when these fields are wanted.
 */

export { LANG_NAMES, parseLang, type Lang } from './lang.js';

/** A Chinese text (written in Simplified) in the language asked for. */
function localize(s: string, lang: Lang): string {
  return lang === 'zh-TW' ? toTraditional(s) : s;
}

const LABELS_EN = { phase: 'Connection phase', step: 'Step', role: 'Sender role', explain: 'Explanation', mss: 'MSS check', client: 'client', server: 'server' };
const LABELS_ZH: typeof LABELS_EN = { phase: '连接阶段', step: '步骤', role: '发送方角色', explain: '解释', mss: 'MSS 检查', client: '客户端', server: '服务端' };
const LABELS: Readonly<Record<Lang, Readonly<typeof LABELS_EN>>> = {
  en: LABELS_EN,
  'zh-CN': LABELS_ZH,
  'zh-TW': Object.fromEntries(Object.entries(LABELS_ZH).map(([k, v]) => [k, toTraditional(v)])) as typeof LABELS_EN,
};

/** The labels of minishark's fields in the details view, per language. */
export function fieldLabels(lang: Lang): Readonly<typeof LABELS_EN> {
  return LABELS[lang];
}

const PHASE_ZH: Record<string, string> = {
  handshake: '三次握手',
  data: '数据传输',
  teardown: '四次挥手',
  reset: '重置',
  'keep-alive': '保活',
  retransmission: '重传',
};

/** A phase's name: 'handshake' in English, 三次握手 in Chinese. */
export function phaseName(phase: string, lang: Lang): string {
  return lang === 'en' ? phase : localize(PHASE_ZH[phase] ?? phase, lang);
}

/** A phase and its step, as the flow diagram notes them: "handshake 1/3", 三次握手第1/3步. */
export function phaseStepText(phase: string, step: string, lang: Lang): string {
  if (lang === 'en') return [phase, step].filter(Boolean).join(' ');
  return phaseName(phase, lang) + (step ? `第${step}步` : '');
}

/** What the explanation needs from the segment besides the tracker's result. */
export interface ExplainSegment {
  flags: number;
  /** raw 16-bit window and the TCP payload length (-1 unknown) */
  len: number;
  hdrLen: number;
  srcPort: number;
  dstPort: number;
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

function flagWords(flags: number, sep: string): string {
  const out: string[] = [];
  // the articles name SYN/FIN/RST first and ACK last: "SYN, ACK", "FIN, ACK", "PSH, ACK"
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  return out.length ? out.join(sep) : '<None>';
}

function secs(t: Time): string {
  const ns = Math.abs(t.sec) * 1e9 + Math.abs(t.nsec);
  const s = (ns / 1e9).toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return (t.sec < 0 || t.nsec < 0 ? '-' : '') + s;
}

const WORDS = {
  en: {
    client: 'Client',
    server: 'Server',
    clientL: 'client',
    serverL: 'server',
    arrow: (from: string, to: string) => `${from} → ${to}`,
    colon: ': ',
    comma: ', ',
    guessed: ' (roles guessed from the ports: no handshake seen)',
  },
  zh: {
    client: '客户端',
    server: '服务端',
    clientL: '客户端',
    serverL: '服务端',
    arrow: (from: string, to: string) => `${from} → ${to}`,
    colon: '：',
    comma: '，',
    guessed: '（未看到握手，按端口推测客户端和服务端）',
  },
} as const;

/** One sentence explaining this segment (minishark.tcp.explain). */
/** what the phase texts share */
interface Say {
  r: TcpResult;
  seg: ExplainSegment;
  zh: boolean;
  /** the comma of the language */
  c: string;
  /** the flags in words */
  fl: string;
  /** the sender and the receiver, in words */
  me: string;
  peer: string;
  len: number;
  flags: number;
  /** the analysis flags (TA.*) */
  af: number;
  a: TcpResult['analysis'];
  hasAck: boolean;
  /** notes after the main text */
  parts: string[];
}

/** "Ack=1449: the peer received 1448 bytes (Seq=1 + 1448)" when this ACK acknowledges new data */
function ackNote(v: Say): string | null {
  const { r, zh } = v;
  if (r.ackedBytes <= 0) return null;
  return zh
    ? `Ack=${r.ack}：收到了 ${r.ackedBytes} 个字节的数据（Seq=${r.ackedFrom} + ${r.ackedBytes}）`
    : `Ack=${r.ack}: the peer received ${r.ackedBytes} byte${r.ackedBytes === 1 ? '' : 's'} (Seq=${r.ackedFrom} + ${r.ackedBytes})`;
}

/** the three-way handshake */
function handshakeText(v: Say): string {
  const { r, zh, c, len, parts } = v;
  let body: string;
  if (r.step === '1/3') {
    body = zh ? `SYN${c}Seq=x=${r.seq}：请求建立连接（三次握手第一次）` : `SYN, Seq=x=${r.seq}: asks to open a connection (three-way handshake 1/3)`;
  } else if (r.step === '2/3') {
    body = zh
      ? `SYN${c}ACK${c}Seq=y=${r.seq}${c}Ack=x+1=${r.ack}：同意建立连接（三次握手第二次）`
      : `SYN, ACK, Seq=y=${r.seq}, Ack=x+1=${r.ack}: accepts and opens its own side (three-way handshake 2/3)`;
  } else {
    body = zh
      ? `ACK${c}Seq=x+1=${r.seq}${c}Ack=y+1=${r.ack}：连接建立（三次握手第三次）`
      : `ACK, Seq=x+1=${r.seq}, Ack=y+1=${r.ack}: the connection is established (three-way handshake 3/3)`;
    if (len > 0) parts.push(zh ? `同时发送 ${len} 个字节的数据` : `it already carries ${len} byte${len === 1 ? '' : 's'} of data`);
  }
  if (len > 0 && r.step !== '3/3') parts.push(zh ? `携带 ${len} 个字节的数据（TCP Fast Open）` : `with ${len} bytes of data (TCP Fast Open)`);
  return body;
}

/** the four-way teardown */
function teardownText(v: Say): string {
  const { r, zh, c, fl, me, peer, len, parts } = v;
  let body: string;
  const dataNote = len > 0 ? (zh ? `发送最后 ${len} 个字节的数据并` : `sends its last ${len} byte${len === 1 ? '' : 's'} and `) : '';
  if (r.step === '1/4') {
    body = zh
      ? `${fl}${c}Seq=u=${r.seq}：${dataNote}数据发送完毕，希望断开连接（四次挥手第一次）`
      : `${fl}, Seq=u=${r.seq}: ${dataNote}has no more data to send, asks to close (four-way teardown 1/4)`;
  } else if (r.step === '2/4') {
    body = zh
      ? `${fl}${c}Ack=u+1=${r.ack}：确认对方的 FIN（四次挥手第二次），${me}仍可继续发送数据`
      : `${fl}, Ack=u+1=${r.ack}: acknowledges the ${peer}'s FIN (four-way teardown 2/4); the ${me} may still send data`;
  } else if (r.step === '3/4') {
    body = zh
      ? `${fl}${c}Seq=v=${r.seq}：${dataNote}${me}的数据也发送完毕，请求断开连接（四次挥手第三次）`
      : `${fl}, Seq=v=${r.seq}: ${dataNote}the ${me} has finished too, asks to close (four-way teardown 3/4)`;
  } else if (r.step === '2+3/4') {
    body = zh
      ? `${fl}${c}Seq=v=${r.seq}${c}Ack=u+1=${r.ack}：确认对方的 FIN 并同时发送自己的 FIN（四次挥手第二、三次合并）`
      : `${fl}, Seq=v=${r.seq}, Ack=u+1=${r.ack}: acknowledges the ${peer}'s FIN and closes its own side in the same segment (four-way teardown 2/4 and 3/4 combined)`;
  } else {
    body = zh
      ? `${fl}${c}Ack=v+1=${r.ack}：确认对方的 FIN，连接断开（四次挥手第四次）`
      : `${fl}, Ack=v+1=${r.ack}: acknowledges the last FIN, the connection is closed (four-way teardown 4/4)`;
  }
  if (len > 0 && (r.step === '2/4' || r.step === '4/4')) {
    parts.push(
      zh
        ? `同时发送 ${len} 个字节的数据${c}Seq=${r.seq}${c}下一个 Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`
        : `it also sends ${len} byte${len === 1 ? '' : 's'} of data, Seq=${r.seq}, the next byte is Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`,
    );
  }
  if (r.simultaneous) parts.push(zh ? '双方同时关闭连接' : 'simultaneous close: both FINs were sent before either was acknowledged');
  return body;
}

/** a reset */
function resetText(v: Say): string {
  const { r, seg, zh, fl, me } = v;
  let body: string;
  if (r.refused) {
    body = zh ? `${fl}：拒绝连接（端口 ${seg.srcPort} 上没有服务在监听）` : `${fl}: connection refused (nothing listens on port ${seg.srcPort})`;
  } else {
    body = zh ? `${fl}：${me}重置连接（RST），连接立即中止` : `${fl}: the ${me} resets the connection; it ends at once`;
  }
  return body;
}

/** a keep-alive or its ACK */
function keepAliveText(v: Say): string {
  const { r, zh, c, me, peer, af } = v;
  let body: string;
  if (af & TA.KEEP_ALIVE) {
    body = zh
      ? `保活探测（TCP Keep-Alive）${c}Seq=${r.seq}（比下一个序号小 1）：确认对方仍然在线`
      : `keep-alive: Seq=${r.seq} (one below the next byte) checks that the ${peer} is still there`;
  } else {
    body = zh ? `回应保活探测（Keep-Alive ACK）${c}Ack=${r.ack}：${me}仍然在线` : `answers the keep-alive, Ack=${r.ack}: the ${me} is still there`;
  }
  return body;
}

/** a retransmission */
function retransmissionText(v: Say): string {
  const { r, zh, c, fl, peer, len, flags, af, a } = v;
  let body: string;
  if (flags & TH.SYN) {
    body = zh ? `${fl}${c}Seq=${r.seq}：重传（上一次没有收到回应）` : `${fl}, Seq=${r.seq}: sent again (no answer to the first one)`;
  } else if (af & TA.FAST_RETRANSMISSION) {
    body = zh
      ? `快速重传 Seq=${r.seq}${c}Len=${len}：收到重复 ACK 后立即重发`
      : `fast retransmission of Seq=${r.seq}, Len=${len}: sent again at once after duplicate ACKs`;
  } else if (af & TA.SPURIOUS_RETRANSMISSION) {
    body = zh
      ? `伪重传 Seq=${r.seq}${c}Len=${len}：这些数据对方已经确认过了`
      : `spurious retransmission of Seq=${r.seq}, Len=${len}: the ${peer} had already acknowledged this data`;
  } else {
    const after = a?.rto ? (zh ? `等待 ${secs(a.rto)} 秒（帧 ${a.rtoFrame} 起）仍未收到确认，` : ` after ${secs(a.rto)} s without an acknowledgement (since frame ${a.rtoFrame})`) : '';
    body = zh ? `重传 Seq=${r.seq}${c}Len=${len}：${after}超时重发` : `retransmission of Seq=${r.seq}, Len=${len}${after}`;
  }
  return body;
}

/** data transfer: data, acknowledgements and window management */
function dataText(v: Say): string {
  const { r, zh, c, fl, me, peer, len, flags, af, a, hasAck, parts } = v;
  let body: string;
  // data transfer: data, acknowledgements and window management
  const acked = ackNote(v);
  if (len > 0) {
    body = zh
      ? `${fl}${c}Seq=${r.seq}${hasAck ? `${c}Ack=${r.ack}` : ''}${c}Len=${len}：发送 ${len} 个字节的数据，下一个 Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`
      : `${fl}, Seq=${r.seq}${hasAck ? `, Ack=${r.ack}` : ''}, Len=${len}: sends ${len} byte${len === 1 ? '' : 's'} of data, the next byte is Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`;
    if (flags & TH.PSH) parts.push(zh ? 'PSH：接收方应该尽快把数据传给上层应用' : 'PSH: the receiver should hand it to the application at once');
    if (acked) parts.push(acked);
  } else if (af & TA.DUPLICATE_ACK) {
    body = zh
      ? `重复 ACK（第 ${a!.dupAckNum} 个，与帧 ${a!.dupAckFrame} 相同）${c}Ack=${r.ack}：仍在等待 Seq=${r.ack}，可能有报文段丢失`
      : `duplicate ACK #${a!.dupAckNum} of frame ${a!.dupAckFrame}, Ack=${r.ack}: still waiting for Seq=${r.ack}, a segment may be lost`;
  } else if (af & TA.WINDOW_UPDATE) {
    body = zh
      ? `窗口更新（TCP Window Update）${c}Win=${r.window}：接收方的缓冲区释放了空间，告诉发送方现在可以接收 ${r.window} 个字节`
      : `window update, Win=${r.window}: the receiver freed buffer space and now accepts ${r.window} bytes`;
  } else if (af & TA.ZERO_WINDOW_PROBE_ACK) {
    body = zh ? `回应零窗口探测${c}Win=0：缓冲区仍然是满的` : `answers the zero-window probe, Win=0: the buffer is still full`;
  } else if (acked) {
    body = zh ? `${fl}${c}${acked}` : `${fl}, ${acked}`;
  } else {
    body = zh ? `${fl}${c}Ack=${r.ack}：没有新的数据需要确认` : `${fl}, Ack=${r.ack}: nothing new to acknowledge`;
  }
  if (af & TA.ZERO_WINDOW_PROBE) parts.push(zh ? '零窗口探测：发送 1 个字节，看对方的窗口是否已打开' : 'zero-window probe: 1 byte to see whether the window has opened');
  else if (af & TA.ZERO_WINDOW) parts.push(zh ? '零窗口（Win=0）：接收方缓冲区已满，发送方必须暂停发送' : 'zero window (Win=0): the receiver buffer is full, the sender must wait');
  if (af & TA.WINDOW_FULL) parts.push(zh ? '发送方已用满对方通告的窗口' : `fills the window the ${peer} advertised`);
  if (af & TA.OUT_OF_ORDER) parts.push(zh ? '乱序到达' : 'arrives out of order');
  if (r.halfClosed) parts.push(zh ? `半关闭：${peer}已发送 FIN，${me}仍在发送数据` : `half-close: the ${peer} has already sent its FIN, the ${me} still sends`);
  return body;
}

/** the main text of each phase */
const PHASE_TEXT: Record<TcpResult['phase'], (v: Say) => string> = {
  handshake: handshakeText,
  teardown: teardownText,
  reset: resetText,
  'keep-alive': keepAliveText,
  retransmission: retransmissionText,
  data: dataText,
};

export function explainSegment(r: TcpResult, seg: ExplainSegment, lang: Lang = 'en'): string {
  const zh = lang !== 'en';
  const w = WORDS[zh ? 'zh' : 'en'];
  const fromClient = r.role === 'client';
  const head = fromClient ? w.arrow(w.client, w.serverL) : w.arrow(w.server, w.clientL);
  const me = fromClient ? w.clientL : w.serverL;
  const peer = fromClient ? w.serverL : w.clientL;
  const c = w.comma;
  const flags = seg.flags;
  const len = seg.len;
  const fl = flagWords(flags, c);
  const a = r.analysis;
  const af = a ? a.flags : 0;
  const hasAck = (flags & TH.ACK) !== 0;
  const parts: string[] = [];

  const v: Say = { r, seg, zh, c, fl, me, peer, len, flags, af, a, hasAck, parts };
  const body = PHASE_TEXT[r.phase](v);
  if (af & TA.LOST_PACKET) parts.push(zh ? '前面的报文段没有被抓到' : 'an earlier segment was not captured');
  if (af & TA.ACK_LOST_PACKET) parts.push(zh ? '确认了没有被抓到的数据' : 'acknowledges data that was not captured');
  if (af & TA.REUSED_PORTS) parts.push(zh ? '重用了之前连接的端口（新的连接）' : 'a new connection reusing the ports of an earlier one');
  let s = `${head}${w.colon}${body}`;
  if (parts.length) s += zh ? `；${parts.join('；')}` : `; ${parts.join('; ')}`;
  if (r.roleGuessed) s += w.guessed;
  return localize(s, lang);
}

/**
 * The MSS check (minishark.tcp.mss_check) for a data segment: its length against the MSS the
 * receiver announced, less this segment's TCP option bytes, as in the seed article's
 * 1448 = 1500 − 20 − 20 − 12 (MTU − IP header − TCP header − timestamps option). Null when the
 * segment carries no data or the receiver's MSS was not seen.
 */
export function mssCheck(r: TcpResult, seg: ExplainSegment, ipVersion: 4 | 6 | 0, lang: Lang = 'en'): string | null {
  const s = mssText(r, seg, ipVersion, lang !== 'en');
  return s === null ? null : localize(s, lang);
}

function mssText(r: TcpResult, seg: ExplainSegment, ipVersion: 4 | 6 | 0, zh: boolean): string | null {
  const len = seg.len;
  const mss = r.peerMss;
  if (len <= 0 || mss < 0) return null;
  const opt = Math.max(0, seg.hdrLen - 20);
  const max = mss - opt;
  const ip = ipVersion === 6 ? 40 : 20;
  const mtu = mss + ip + 20;
  const sum = opt ? `${mtu} − ${ip} − 20 − ${opt}` : `${mtu} − ${ip} − 20`;
  if (len === max) {
    return zh
      ? `Len ${len} = MSS ${mss}${opt ? ` − ${opt} 字节选项` : ''} = ${sum}（MTU − IP头 − TCP头${opt ? ' − TCP选项' : ''}）：满载的报文段`
      : `Len ${len} = MSS ${mss}${opt ? ` − ${opt} option bytes` : ''} = ${sum} (MTU − IP header − TCP header${opt ? ' − TCP options' : ''}): a full-sized segment`;
  }
  if (len < max) {
    return zh
      ? `Len ${len} < ${max}（MSS ${mss}${opt ? ` − ${opt} 字节选项` : ''}）：未满载的报文段`
      : `Len ${len} < ${max} (MSS ${mss}${opt ? ` − ${opt} option bytes` : ''}): smaller than a full segment`;
  }
  return zh
    ? `Len ${len} > ${max}（MSS ${mss}${opt ? ` − ${opt} 字节选项` : ''}）：超过 MSS（抓包主机上的分段卸载 TSO/GRO？）`
    : `Len ${len} > ${max} (MSS ${mss}${opt ? ` − ${opt} option bytes` : ''}): larger than the MSS (segmentation offload on the capturing host?)`;
}

/** Phase and step as one label: "handshake 1/3", "teardown 2+3/4", "data" (for summaries and tests). */
export function phaseLabel(r: TcpResult): string {
  return r.step ? `${r.phase} ${r.step}` : r.phase;
}
