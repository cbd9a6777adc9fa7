import type { Time } from '../core/field.js';
import { TA, TH, type TcpResult } from './tcp-tracker.js';

/**
 * minishark's plain-language view of a TCP segment, in the words of the seed articles
 * (/work/shared/seeds: 三次握手 three-way handshake, 四次揮手 four-way teardown, Seq=x, Ack=x+1,
 * MSS = MTU − IP header − TCP header): one sentence per segment and an MSS check. English by
 * default, Chinese (the articles' own wording) with lang 'zh'. Pure string building from a
 * TcpResult; called only when these fields are wanted.
 */

export type Lang = 'en' | 'zh';

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
    client: '客戶端',
    server: '服務端',
    clientL: '客戶端',
    serverL: '服務端',
    arrow: (from: string, to: string) => `${from} → ${to}`,
    colon: '：',
    comma: '，',
    guessed: '（未看到握手，按端口推測客戶端和服務端）',
  },
} as const;

/** One sentence explaining this segment (minishark.tcp.explain). */
export function explainSegment(r: TcpResult, seg: ExplainSegment, lang: Lang = 'en'): string {
  const zh = lang === 'zh';
  const w = WORDS[lang];
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
  let body: string;

  const ackNote = (): string | null => {
    if (r.ackedBytes > 0) {
      return zh
        ? `Ack=${r.ack}：收到了 ${r.ackedBytes} 個字節的數據（Seq ${r.ackedFrom} + ${r.ackedBytes}）`
        : `Ack ${r.ack}: the peer received ${r.ackedBytes} byte${r.ackedBytes === 1 ? '' : 's'} (Seq ${r.ackedFrom} + ${r.ackedBytes})`;
    }
    return null;
  };

  switch (r.phase) {
    case 'handshake':
      if (r.step === '1/3') {
        body = zh ? `SYN${c}Seq=x=${r.seq}：請求建立連接（三次握手第一次）` : `SYN, Seq=x=${r.seq}: asks to open a connection (three-way handshake 1/3)`;
      } else if (r.step === '2/3') {
        body = zh
          ? `SYN${c}ACK${c}Seq=y=${r.seq}${c}Ack=x+1=${r.ack}：同意建立連接（三次握手第二次）`
          : `SYN, ACK, Seq=y=${r.seq}, Ack=x+1=${r.ack}: accepts and opens its own side (three-way handshake 2/3)`;
      } else {
        body = zh
          ? `ACK${c}Seq=x+1=${r.seq}${c}Ack=y+1=${r.ack}：連接建立（三次握手第三次）`
          : `ACK, Seq=x+1=${r.seq}, Ack=y+1=${r.ack}: the connection is established (three-way handshake 3/3)`;
        if (len > 0) parts.push(zh ? `同時發送 ${len} 個字節的數據` : `it already carries ${len} byte${len === 1 ? '' : 's'} of data`);
      }
      if (len > 0 && r.step !== '3/3') parts.push(zh ? `攜帶 ${len} 個字節的數據（TCP Fast Open）` : `with ${len} bytes of data (TCP Fast Open)`);
      break;
    case 'teardown': {
      const dataNote = len > 0 ? (zh ? `發送最後 ${len} 個字節的數據並` : `sends its last ${len} byte${len === 1 ? '' : 's'} and `) : '';
      if (r.step === '1/4') {
        body = zh
          ? `${fl}${c}Seq=u=${r.seq}：${dataNote}數據發送完畢，希望斷開連接（四次揮手第一次）`
          : `${fl}, Seq=u=${r.seq}: ${dataNote}has no more data to send, asks to close (four-way teardown 1/4)`;
      } else if (r.step === '2/4') {
        body = zh
          ? `${fl}${c}Ack=u+1=${r.ack}：確認對方的 FIN（四次揮手第二次），${me}仍可繼續發送數據`
          : `${fl}, Ack=u+1=${r.ack}: acknowledges the ${peer}'s FIN (four-way teardown 2/4); the ${me} may still send data`;
      } else if (r.step === '3/4') {
        body = zh
          ? `${fl}${c}Seq=v=${r.seq}：${dataNote}${me}的數據也發送完畢，請求斷開連接（四次揮手第三次）`
          : `${fl}, Seq=v=${r.seq}: ${dataNote}the ${me} has finished too, asks to close (four-way teardown 3/4)`;
      } else if (r.step === '2+3/4') {
        body = zh
          ? `${fl}${c}Seq=v=${r.seq}${c}Ack=u+1=${r.ack}：確認對方的 FIN 並同時發送自己的 FIN（四次揮手第二、三次合併）`
          : `${fl}, Seq=v=${r.seq}, Ack=u+1=${r.ack}: acknowledges the ${peer}'s FIN and closes its own side in the same segment (four-way teardown 2/4 and 3/4 combined)`;
      } else {
        body = zh
          ? `${fl}${c}Ack=v+1=${r.ack}：確認對方的 FIN，連接斷開（四次揮手第四次）`
          : `${fl}, Ack=v+1=${r.ack}: acknowledges the last FIN, the connection is closed (four-way teardown 4/4)`;
      }
      if (len > 0 && (r.step === '2/4' || r.step === '4/4')) {
        parts.push(
          zh
            ? `同時發送 ${len} 個字節的數據${c}Seq=${r.seq}${c}下一個 Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`
            : `it also sends ${len} byte${len === 1 ? '' : 's'} of data, Seq=${r.seq}, the next byte is Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`,
        );
      }
      if (r.simultaneous) parts.push(zh ? '雙方同時關閉連接' : 'simultaneous close: both FINs were sent before either was acknowledged');
      break;
    }
    case 'reset':
      if (r.refused) {
        body = zh ? `${fl}：拒絕連接（端口 ${seg.srcPort} 上沒有服務在監聽）` : `${fl}: connection refused (nothing listens on port ${seg.srcPort})`;
      } else {
        body = zh ? `${fl}：${me}重置連接（RST），連接立即中止` : `${fl}: the ${me} resets the connection; it ends at once`;
      }
      break;
    case 'keep-alive':
      if (af & TA.KEEP_ALIVE) {
        body = zh
          ? `保活探測（TCP Keep-Alive）${c}Seq=${r.seq}（比下一個序號小 1）：確認對方仍然在線`
          : `keep-alive: Seq=${r.seq} (one below the next byte) checks that the ${peer} is still there`;
      } else {
        body = zh ? `回應保活探測（Keep-Alive ACK）${c}Ack=${r.ack}：${me}仍然在線` : `answers the keep-alive, Ack=${r.ack}: the ${me} is still there`;
      }
      break;
    case 'retransmission':
      if (flags & TH.SYN) {
        body = zh ? `${fl}${c}Seq=${r.seq}：重傳（上一次沒有收到回應）` : `${fl}, Seq=${r.seq}: sent again (no answer to the first one)`;
      } else if (af & TA.FAST_RETRANSMISSION) {
        body = zh
          ? `快速重傳 Seq=${r.seq}${c}Len=${len}：收到重複 ACK 後立即重發`
          : `fast retransmission of Seq=${r.seq}, Len=${len}: sent again at once after duplicate ACKs`;
      } else if (af & TA.SPURIOUS_RETRANSMISSION) {
        body = zh
          ? `偽重傳 Seq=${r.seq}${c}Len=${len}：這些數據對方已經確認過了`
          : `spurious retransmission of Seq=${r.seq}, Len=${len}: the ${peer} had already acknowledged this data`;
      } else {
        const after = a?.rto ? (zh ? `等待 ${secs(a.rto)} 秒（幀 ${a.rtoFrame} 起）仍未收到確認，` : ` after ${secs(a.rto)} s without an acknowledgement (since frame ${a.rtoFrame})`) : '';
        body = zh ? `重傳 Seq=${r.seq}${c}Len=${len}：${after}超時重發` : `retransmission of Seq=${r.seq}, Len=${len}${after}`;
      }
      break;
    default: {
      // data transfer: data, acknowledgements and window management
      const acked = ackNote();
      if (len > 0) {
        body = zh
          ? `${fl}${c}Seq=${r.seq}${hasAck ? `${c}Ack=${r.ack}` : ''}${c}Len=${len}：發送 ${len} 個字節的數據，下一個 Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`
          : `${fl}, Seq=${r.seq}${hasAck ? `, Ack=${r.ack}` : ''}, Len=${len}: sends ${len} byte${len === 1 ? '' : 's'} of data, the next byte is Seq=${r.nxtseq >= 0 ? r.nxtseq : '?'}`;
        if (flags & TH.PSH) parts.push(zh ? 'PSH：接收方應該盡快把數據傳給上層應用' : 'PSH: the receiver should hand it to the application at once');
        if (acked) parts.push(acked);
      } else if (af & TA.DUPLICATE_ACK) {
        body = zh
          ? `重複 ACK（第 ${a!.dupAckNum} 個，與幀 ${a!.dupAckFrame} 相同）${c}Ack=${r.ack}：仍在等待 Seq=${r.ack}，可能有報文段丟失`
          : `duplicate ACK #${a!.dupAckNum} of frame ${a!.dupAckFrame}, Ack=${r.ack}: still waiting for Seq=${r.ack}, a segment may be lost`;
      } else if (af & TA.WINDOW_UPDATE) {
        body = zh
          ? `窗口更新（TCP Window Update）${c}Win=${r.window}：接收方的緩衝區釋放了空間，告訴發送方現在可以接收 ${r.window} 個字節`
          : `window update, Win=${r.window}: the receiver freed buffer space and now accepts ${r.window} bytes`;
      } else if (af & TA.ZERO_WINDOW_PROBE_ACK) {
        body = zh ? `回應零窗口探測${c}Win=0：緩衝區仍然是滿的` : `answers the zero-window probe, Win=0: the buffer is still full`;
      } else if (acked) {
        body = zh ? `${fl}${c}${acked}` : `${fl}, ${acked}`;
      } else {
        body = zh ? `${fl}${c}Ack=${r.ack}：沒有新的數據需要確認` : `${fl}, Ack=${r.ack}: nothing new to acknowledge`;
      }
      if (af & TA.ZERO_WINDOW_PROBE) parts.push(zh ? '零窗口探測：發送 1 個字節，看對方的窗口是否已打開' : 'zero-window probe: 1 byte to see whether the window has opened');
      else if (af & TA.ZERO_WINDOW) parts.push(zh ? '零窗口（Win=0）：接收方緩衝區已滿，發送方必須暫停發送' : 'zero window (Win=0): the receiver buffer is full, the sender must wait');
      if (af & TA.WINDOW_FULL) parts.push(zh ? '發送方已用滿對方通告的窗口' : `fills the window the ${peer} advertised`);
      if (af & TA.OUT_OF_ORDER) parts.push(zh ? '亂序到達' : 'arrives out of order');
      if (r.halfClosed) parts.push(zh ? `半關閉：${peer}已發送 FIN，${me}仍在發送數據` : `half-close: the ${peer} has already sent its FIN, the ${me} still sends`);
      break;
    }
  }
  if (af & TA.LOST_PACKET) parts.push(zh ? '前面的報文段沒有被抓到' : 'an earlier segment was not captured');
  if (af & TA.ACK_LOST_PACKET) parts.push(zh ? '確認了沒有被抓到的數據' : 'acknowledges data that was not captured');
  if (af & TA.REUSED_PORTS) parts.push(zh ? '重用了之前連接的端口（新的連接）' : 'a new connection reusing the ports of an earlier one');
  let s = `${head}${w.colon}${body}`;
  if (parts.length) s += zh ? `；${parts.join('；')}` : `; ${parts.join('; ')}`;
  if (r.roleGuessed) s += w.guessed;
  return s;
}

/**
 * The MSS check (minishark.tcp.mss_check) for a data segment: its length against the MSS the
 * receiver announced, less this segment's TCP option bytes, as in the seed article's
 * 1448 = 1500 − 20 − 20 − 12 (MTU − IP header − TCP header − timestamps option). Null when the
 * segment carries no data or the receiver's MSS was not seen.
 */
export function mssCheck(r: TcpResult, seg: ExplainSegment, ipVersion: 4 | 6 | 0, lang: Lang = 'en'): string | null {
  const len = seg.len;
  const mss = r.peerMss;
  if (len <= 0 || mss < 0) return null;
  const zh = lang === 'zh';
  const opt = Math.max(0, seg.hdrLen - 20);
  const max = mss - opt;
  const ip = ipVersion === 6 ? 40 : 20;
  const mtu = mss + ip + 20;
  const sum = opt ? `${mtu} − ${ip} − 20 − ${opt}` : `${mtu} − ${ip} − 20`;
  if (len === max) {
    return zh
      ? `Len ${len} = MSS ${mss}${opt ? ` − ${opt} 字節選項` : ''} = ${sum}（MTU − IP頭 − TCP頭${opt ? ' − TCP選項' : ''}）：滿載的報文段`
      : `Len ${len} = MSS ${mss}${opt ? ` − ${opt} option bytes` : ''} = ${sum} (MTU − IP header − TCP header${opt ? ' − TCP options' : ''}): a full-sized segment`;
  }
  if (len < max) {
    return zh
      ? `Len ${len} < ${max}（MSS ${mss}${opt ? ` − ${opt} 字節選項` : ''}）：未滿載的報文段`
      : `Len ${len} < ${max} (MSS ${mss}${opt ? ` − ${opt} option bytes` : ''}): smaller than a full segment`;
  }
  return zh
    ? `Len ${len} > ${max}（MSS ${mss}${opt ? ` − ${opt} 字節選項` : ''}）：超過 MSS（抓包主機上的分段卸載 TSO/GRO？）`
    : `Len ${len} > ${max} (MSS ${mss}${opt ? ` − ${opt} option bytes` : ''}): larger than the MSS (segmentation offload on the capturing host?)`;
}

/** Phase and step as one label: "handshake 1/3", "teardown 2+3/4", "data" (for summaries and tests). */
export function phaseLabel(r: TcpResult): string {
  return r.step ? `${r.phase} ${r.step}` : r.phase;
}
