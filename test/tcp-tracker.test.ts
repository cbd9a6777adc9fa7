// The TCP conversation tracker driven directly with synthetic segments: no capture file, no output.
// The two crafted sequences are the ones in ../shared/spec/tcp-analysis-cases*.pcap (same numbers,
// same times); the expected values are what tshark 4.0.17 prints for those frames.
import { describe, expect, it } from 'vitest';
import { CLOSED_KEPT, TA, TCP_MAX_UNACKED, TcpTracker, type TcpInput, type TcpResult } from '../src/analysis/tcp-tracker.js';
import type { Time } from '../src/core/field.js';

const A = '\x0a\x00\x00\x01'; // 10.0.0.1
const B = '\x0a\x00\x00\x02'; // 10.0.0.2

/** one row: time (s, ns), from A?, seq, ack, flags, raw window, len, ws shift, mss */
type Row = [number, number, boolean, number, number, number, number, number, number?, number?];

function input(r: Row, cport: number, sport: number): TcpInput {
  const [, , fromA, seq, ack, flags, win, len, ws, mss] = r;
  return {
    srcKey: fromA ? A : B,
    dstKey: fromA ? B : A,
    srcPort: fromA ? cport : sport,
    dstPort: fromA ? sport : cport,
    seq,
    ack,
    flags,
    window: win,
    len,
    hdrLen: 20,
    wsShift: ws ?? -1,
    mss: mss ?? -1,
  };
}

function run(rows: Row[], cport: number, sport: number, tracker = new TcpTracker()): TcpResult[] {
  return rows.map((r, i) => tracker.analyze(input(r, cport, sport), i + 1, { sec: r[0], nsec: r[1] }));
}

const T = 1700000000;
const SYN = 0x02;
const SYNACK = 0x12;
const ACK = 0x10;
const PSHACK = 0x18;
const FINACK = 0x11;
const RSTACK = 0x14;

// tcp-analysis-cases.pcap: client 10.0.0.1:45050 (ISN 1000), server 10.0.0.2:20001 (ISN 5000), WS=7 both
const CASES: Row[] = [
  [T, 0, true, 1000, 0, SYN, 64240, 0, 7, 1460],
  [T, 10000000, false, 5000, 1001, SYNACK, 65160, 0, 7, 1460],
  [T, 10100000, true, 1001, 5001, ACK, 502, 0],
  [T, 11100000, true, 1001, 5001, PSHACK, 502, 100],
  [T, 21100000, false, 5001, 1101, ACK, 509, 0],
  [T, 22100000, false, 5001, 1101, ACK, 600, 0], // 6 window update
  [T, 23100000, true, 1101, 5001, ACK, 502, 100],
  [T, 23200000, true, 1301, 5001, ACK, 502, 100], // 8 previous segment not captured
  [T, 24200000, false, 5001, 1201, ACK, 600, 0],
  [T, 24300000, false, 5001, 1201, ACK, 600, 0], // 10 dup ack 9#1
  [T, 24400000, false, 5001, 1201, ACK, 600, 0], // 11 dup ack 9#2
  [T, 25400000, true, 1201, 5001, ACK, 502, 100], // 12 fast retransmission
  [T, 26400000, false, 5001, 1401, ACK, 600, 0],
  [T, 526400000, true, 1201, 5001, ACK, 502, 100], // 14 spurious retransmission
  [T + 1, 526400000, true, 1400, 5001, ACK, 502, 0], // 15 keep-alive
  [T + 1, 527400000, false, 5001, 1401, ACK, 600, 0], // 16 keep-alive ack
  [T + 1, 528400000, false, 5001, 1401, ACK, 0, 0], // 17 zero window
  [T + 1, 728400000, true, 1401, 5001, ACK, 502, 1], // 18 zero window probe
  [T + 1, 729400000, false, 5001, 1401, ACK, 0, 0], // 19 zero window probe ack + zero window
  [T + 2, 229400000, false, 5001, 1401, ACK, 600, 0], // 20 window update
  [T + 2, 230400000, true, 1401, 5001, FINACK, 502, 0],
  [T + 2, 231400000, false, 5001, 1402, FINACK, 600, 0],
  [T + 2, 232400000, true, 1402, 5002, ACK, 502, 0],
  [T + 3, 232400000, true, 9000, 0, SYN, 64240, 0, undefined, 1460], // 24 port reuse
  [T + 3, 242400000, false, 7000, 9001, SYNACK, 65160, 0, undefined, 1460],
  [T + 3, 243400000, true, 9001, 7001, ACK, 64240, 0],
];

// tcp-analysis-cases-2.pcap: client 10.0.0.1:40000 (ISN 1000), server 10.0.0.2:80 (ISN 5000), no WS
const CASES2: Row[] = [
  [T, 0, true, 1000, 0, SYN, 1000, 0],
  [T + 1, 0, true, 1000, 0, SYN, 1000, 0], // 2 SYN retransmission
  [T + 1, 10000000, false, 5000, 1001, SYNACK, 300, 0],
  [T + 1, 20000000, true, 1001, 5001, ACK, 1000, 0],
  [T + 1, 21000000, true, 1001, 5001, ACK, 1000, 100],
  [T + 1, 22000000, true, 1101, 5001, ACK, 1000, 200], // 6 window full (300 bytes from 1)
  [T + 1, 522000000, true, 1001, 5001, ACK, 1000, 100], // 7 RTO retransmission
  [T + 1, 532000000, false, 5001, 1301, ACK, 300, 0],
  [T + 1, 533000000, true, 1401, 5001, ACK, 1000, 100], // 9 lost segment
  [T + 1, 534000000, true, 1301, 5001, ACK, 1000, 100], // 10 out of order
  [T + 1, 544000000, false, 5001, 1701, ACK, 300, 0], // 11 ACKed unseen segment
  [T + 1, 554000000, true, 1001, 5001, RSTACK, 0, 0], // 12 RST with Win=0: no zero-window flag
];

const t = (sec: number, nsec: number): Time => ({ sec, nsec });
const flagsOf = (r: TcpResult) => r.analysis?.flags ?? 0;

describe('tcp-analysis-cases.pcap, driven directly', () => {
  const r = run(CASES, 45050, 20001);

  it('relative numbers, nxtseq, streams and completeness', () => {
    expect(r.map((x) => x.seq)).toEqual([0, 0, 1, 1, 1, 1, 101, 301, 1, 1, 1, 201, 1, 201, 400, 1, 1, 401, 1, 1, 401, 1, 402, 0, 0, 1]);
    expect(r.map((x) => x.ack)).toEqual([0, 1, 1, 1, 101, 101, 1, 1, 201, 201, 201, 1, 401, 1, 1, 401, 401, 1, 401, 401, 1, 402, 2, 0, 1, 1]);
    expect(r.map((x) => x.nxtseq)).toEqual([1, 1, 1, 101, 1, 1, 201, 401, 1, 1, 1, 301, 1, 301, 400, 1, 1, 402, 1, 1, 402, 2, 402, 1, 1, 1]);
    expect(r.map((x) => x.stream)).toEqual([...Array(23).fill(0), 1, 1, 1]);
    expect(r.map((x) => x.completeness)).toEqual([0, 1, 3, 7, ...Array(17).fill(15), 31, 31, 1, 1, 3]);
  });

  it('window scaling: calculated window and scale factor (none on SYNs)', () => {
    expect(r[2]!.window).toBe(64256);
    expect(r[2]!.scale).toBe(128);
    expect(r[0]!.scale).toBeNull();
    expect(r[1]!.scale).toBeNull();
    expect(r[5]!.window).toBe(76800);
    // the reused connection has no WS option: -2 "no window scaling used"
    expect(r[25]!.scale).toBe(-2);
    expect(r[25]!.scaleKind).toBe('none');
    expect(r[25]!.window).toBe(64240);
  });

  it('acks frame, RTT and iRTT', () => {
    expect(r[1]!.analysis!.acksFrame).toBe(1);
    expect(r[1]!.analysis!.ackRtt).toEqual(t(0, 10000000));
    expect(r[1]!.analysis!.irtt).toBeNull();
    expect(r[2]!.analysis!.acksFrame).toBe(2);
    expect(r[2]!.analysis!.irtt).toEqual(t(0, 10100000));
    expect(r[0]!.analysis).toBeNull();
    // the FIN/ACK reply acks the oldest segment ending at 402: the zero-window probe (frame 18)
    expect(r[21]!.analysis!.acksFrame).toBe(18);
    expect(r[21]!.analysis!.ackRtt).toEqual(t(0, 503000000));
    // a bare FIN with nothing to ack has no analysis record
    expect(r[20]!.analysis).toBeNull();
  });

  it('bytes in flight and push bytes', () => {
    expect(r[3]!.analysis!.bif).toBe(100);
    expect(r[3]!.analysis!.pushBytes).toBe(100);
    expect(r[11]!.analysis!.bif).toBe(200);
    expect(r[13]!.analysis!.bif).toBe(100);
    expect(r[13]!.analysis!.pushBytes).toBe(300);
    expect(r[4]!.analysis!.bif).toBe(0); // pure ACK: none
  });

  it('window update, lost segment', () => {
    expect(flagsOf(r[5]!)).toBe(TA.WINDOW_UPDATE);
    expect(flagsOf(r[4]!)).toBe(0); // the first ACK of new data with a new window is not an update
    expect(flagsOf(r[7]!)).toBe(TA.LOST_PACKET);
    expect(flagsOf(r[19]!)).toBe(TA.WINDOW_UPDATE); // recovery from a zero window
  });

  it('duplicate ACKs 9#1, 9#2, then fast and spurious retransmissions', () => {
    expect(flagsOf(r[9]!)).toBe(TA.DUPLICATE_ACK);
    expect(r[9]!.analysis).toMatchObject({ dupAckNum: 1, dupAckFrame: 9 });
    expect(r[10]!.analysis).toMatchObject({ dupAckNum: 2, dupAckFrame: 9 });
    expect(flagsOf(r[11]!)).toBe(TA.FAST_RETRANSMISSION);
    expect(flagsOf(r[13]!)).toBe(TA.SPURIOUS_RETRANSMISSION);
  });

  it('keep-alive and its ACK', () => {
    expect(flagsOf(r[14]!)).toBe(TA.KEEP_ALIVE);
    expect(flagsOf(r[15]!)).toBe(TA.KEEP_ALIVE_ACK);
  });

  it('zero window, zero-window probe, probe ACK', () => {
    expect(flagsOf(r[16]!)).toBe(TA.ZERO_WINDOW);
    expect(flagsOf(r[17]!)).toBe(TA.ZERO_WINDOW_PROBE);
    expect(r[17]!.analysis!.bif).toBe(1);
    expect(flagsOf(r[18]!)).toBe(TA.ZERO_WINDOW | TA.ZERO_WINDOW_PROBE_ACK);
  });

  it('closing initiator, then port reuse with a new stream', () => {
    expect(r[20]!.closing).toBe(1);
    expect(r[21]!.closing).toBe(2);
    expect(flagsOf(r[23]!)).toBe(TA.REUSED_PORTS);
    expect(r[23]!.timeRel).toEqual(t(0, 0));
    expect(r[25]!.analysis!.irtt).toEqual(t(0, 11000000));
  });

  it('per-stream timestamps', () => {
    expect(r[3]!.timeRel).toEqual(t(0, 11100000));
    expect(r[3]!.timeDelta).toEqual(t(0, 1000000));
    expect(r[24]!.timeDelta).toEqual(t(0, 10000000));
  });

  it('the teaching view: handshake, data, teardown', () => {
    const label = (x: TcpResult) => (x.step ? `${x.phase} ${x.step}` : x.phase);
    expect(r.slice(0, 4).map(label)).toEqual(['handshake 1/3', 'handshake 2/3', 'handshake 3/3', 'data']);
    expect(r.slice(20, 23).map(label)).toEqual(['teardown 1/4', 'teardown 2+3/4', 'teardown 4/4']);
    expect(label(r[11]!)).toBe('retransmission');
    expect(label(r[14]!)).toBe('keep-alive');
    expect(r[0]!.role).toBe('client');
    expect(r[1]!.role).toBe('server');
    expect(r[4]!.ackedBytes).toBe(100);
    expect(r[4]!.ackedFrom).toBe(1);
    expect(r[0]!.peerMss).toBe(-1);
    expect(r[3]!.peerMss).toBe(1460);
  });
});

describe('reuseResult: one result object for a caller that reads each result at once', () => {
  it('analyze() hands out the same object, holding what a fresh object would hold, for every frame', () => {
    const reusing = new TcpTracker({}, { reuseResult: true });
    const fresh = new TcpTracker();
    let first: TcpResult | null = null;
    for (const rows of [CASES, CASES2]) {
      rows.forEach((r, i) => {
        const a = reusing.analyze(input(r, 45050, 20001), i + 1, { sec: r[0], nsec: r[1] });
        // snapshot before the next call overwrites it
        const got = JSON.parse(JSON.stringify(a));
        const want = JSON.parse(JSON.stringify(fresh.analyze(input(r, 45050, 20001), i + 1, { sec: r[0], nsec: r[1] })));
        expect(got, `frame ${i + 1}`).toEqual(want);
        first ??= a;
        expect(a).toBe(first);
      });
    }
    // without the option every call makes its own object
    const t = new TcpTracker();
    const x = t.analyze(input(CASES[0]!, 45050, 20001), 1, { sec: T, nsec: 0 });
    const y = t.analyze(input(CASES[1]!, 45050, 20001), 2, { sec: T, nsec: 10000000 });
    expect(x).not.toBe(y);
  });
});

describe('tcp-analysis-cases-2.pcap, driven directly', () => {
  const r = run(CASES2, 40000, 80);

  it('SYN retransmission (same ISN): a retransmission, not a new stream; iRTT from the last SYN', () => {
    expect(flagsOf(r[1]!)).toBe(TA.RETRANSMISSION);
    expect(r[1]!.analysis!.rto).toEqual(t(1, 0));
    expect(r[1]!.analysis!.rtoFrame).toBe(1);
    expect(r[1]!.stream).toBe(0);
    expect(r[2]!.analysis!.acksFrame).toBe(1);
    expect(r[3]!.analysis!.irtt).toEqual(t(0, 20000000));
  });

  it('no window scaling in the handshake: -2', () => {
    expect(r[3]!.scale).toBe(-2);
    expect(r[3]!.window).toBe(1000);
  });

  it('window full, RTO retransmission, lost then out-of-order, ACKed unseen', () => {
    expect(flagsOf(r[5]!)).toBe(TA.WINDOW_FULL);
    expect(flagsOf(r[6]!)).toBe(TA.RETRANSMISSION);
    expect(r[6]!.analysis).toMatchObject({ rtoFrame: 5, rto: t(0, 501000000), bif: 300, pushBytes: 400 });
    expect(r[7]!.analysis!.acksFrame).toBe(6);
    expect(flagsOf(r[8]!)).toBe(TA.LOST_PACKET);
    expect(r[8]!.analysis!.bif).toBe(0); // bytes in flight off after a hole
    expect(flagsOf(r[9]!)).toBe(TA.OUT_OF_ORDER);
    expect(flagsOf(r[10]!)).toBe(TA.ACK_LOST_PACKET);
  });

  it('an RST with Win=0 is not a zero window; it is a reset by the client', () => {
    expect(r[11]!.analysis).toBeNull();
    expect(r[11]!.phase).toBe('reset');
    expect(r[11]!.role).toBe('client');
    expect(r[11]!.refused).toBe(false);
  });
});

describe('the teaching view on other closes', () => {
  const label = (x: TcpResult) => (x.step ? `${x.phase} ${x.step}` : x.phase);
  const hs: Row[] = [
    [T, 0, true, 100, 0, SYN, 1000, 0, undefined, 1460],
    [T, 1000, false, 500, 101, SYNACK, 1000, 0, undefined, 1400],
    [T, 2000, true, 101, 501, ACK, 1000, 0],
  ];

  it('a simultaneous close: both FINs cross, then both ACKs', () => {
    const r = run(
      [
        ...hs,
        [T, 3000, true, 101, 501, FINACK, 1000, 0],
        [T, 3001, false, 501, 101, FINACK, 1000, 0], // does not ack the client's FIN yet
        [T, 4000, false, 502, 102, ACK, 1000, 0],
        [T, 4001, true, 102, 502, ACK, 1000, 0],
      ],
      5000,
      80,
    );
    expect(r.slice(3).map(label)).toEqual(['teardown 1/4', 'teardown 3/4', 'teardown 2/4', 'teardown 4/4']);
    expect(r[4]!.simultaneous).toBe(true);
    expect(r[4]!.role).toBe('server');
  });

  it('a reset answering the SYN is "connection refused"; roles without a handshake are guessed', () => {
    const r = run([[T, 0, true, 100, 0, SYN, 1000, 0], [T, 1000, false, 0, 101, RSTACK, 0, 0]], 5000, 80);
    expect(r[1]!.phase).toBe('reset');
    expect(r[1]!.refused).toBe(true);
    const g = run([[T, 0, false, 500, 101, PSHACK, 1000, 10]], 5000, 80);
    expect(g[0]!.role).toBe('server');
    expect(g[0]!.roleGuessed).toBe(true);
    expect(g[0]!.phase).toBe('data');
  });

  it('the MSS the receiver announced is the one a data segment is checked against', () => {
    const r = run([...hs, [T, 3000, true, 101, 501, ACK, 1000, 1400], [T, 4000, false, 501, 1501, ACK, 1000, 1460]], 5000, 80);
    expect(r[3]!.peerMss).toBe(1400); // the server's MSS limits the client
    expect(r[4]!.peerMss).toBe(1460);
    expect(r[4]!.ackedBytes).toBe(1400);
  });
});

describe('raw numbers and other preferences', () => {
  it('relative sequence numbers off: raw values, same analysis', () => {
    const r = run(CASES, 45050, 20001, new TcpTracker({ 'tcp.relative_sequence_numbers': false }));
    expect(r[3]!.seq).toBe(1001);
    expect(r[3]!.nxtseq).toBe(1101);
    expect(r[4]!.ack).toBe(1101);
    expect(r[3]!.relative).toBe(false);
    expect(flagsOf(r[10]!)).toBe(TA.DUPLICATE_ACK);
  });

  it('default window scaling preference applies when the handshake was not seen', () => {
    const tr = new TcpTracker({ 'tcp.default_window_scaling': 7 });
    const x = tr.analyze(input([T, 0, true, 1001, 5001, ACK, 502, 0], 1, 2), 1, t(T, 0));
    expect(x.window).toBe(502 << 7);
    expect(x.scale).toBe(128);
    expect(x.scaleKind).toBe('pref');
    // mid-stream start: Seq=1 (bug 1542), scale unknown without the preference
    const y = new TcpTracker().analyze(input([T, 0, true, 1001, 5001, ACK, 502, 0], 1, 2), 1, t(T, 0));
    expect(y.seq).toBe(1);
    expect(y.scale).toBe(-1);
    expect(y.window).toBe(502);
  });

  it('a segment of unknown length (fragment, ICMP error) is tracked without analysis', () => {
    const tr = new TcpTracker();
    const x = tr.analyze({ ...input(CASES[0]!, 45050, 20001), len: -1 }, 1, t(T, 0));
    expect(x.nxtseq).toBe(-1);
    expect(x.seq).toBe(1000); // raw: no relative numbers without a length
    expect(x.analysis).toBeNull();
    expect(x.stream).toBe(0);
  });

  it('a bogus header length still counts the stream but folds no completeness', () => {
    const tr = new TcpTracker();
    tr.analyze(input(CASES[0]!, 45050, 20001), 1, t(T, 0));
    const b = tr.analyze({ ...input(CASES[1]!, 45050, 20001), hdrLen: 12 }, 2, t(T, 1));
    expect(b.stream).toBe(0);
    expect(b.completeness).toBe(1);
    const c = tr.analyze(input(CASES[2]!, 45050, 20001), 3, t(T, 2));
    expect(c.completeness).toBe(1);
  });
});

describe('bounded, per-stream state', () => {
  it('keeps at most TCP_MAX_UNACKED unacked segments per direction (no ACKs ever seen)', () => {
    const tr = new TcpTracker();
    const n = TCP_MAX_UNACKED + 500;
    let last: TcpResult | null = null;
    for (let i = 0; i < n; i++) {
      last = tr.analyze({ srcKey: A, dstKey: B, srcPort: 1, dstPort: 2, seq: (1000 + i * 10) >>> 0, ack: 1, flags: ACK, window: 100, len: 10 }, i + 1, t(T + i, 0));
    }
    // bytes in flight only counts what the list holds: 10,000 segments of 10 bytes
    expect(last!.analysis!.bif).toBe(TCP_MAX_UNACKED * 10);
    expect(tr.conversations).toBe(1);
  });

  it('is cheap: 300,000 segments of one bulk transfer in well under a few seconds, one stream', () => {
    const tr = new TcpTracker();
    const ts = { sec: T, nsec: 0 };
    const start = Date.now();
    let seq = 1000;
    let sack = 0;
    for (let i = 0; i < 300000; i++) {
      ts.nsec = (i * 1000) % 1e9;
      ts.sec = T + Math.floor((i * 1000) / 1e9);
      if (i % 3 === 2) {
        sack = seq;
        tr.analyze({ srcKey: B, dstKey: A, srcPort: 2, dstPort: 1, seq: 5000, ack: sack, flags: ACK, window: 1000, len: 0 }, i + 1, ts);
      } else {
        tr.analyze({ srcKey: A, dstKey: B, srcPort: 1, dstPort: 2, seq, ack: 5000, flags: ACK, window: 1000, len: 1448 }, i + 1, ts);
        seq = (seq + 1448) >>> 0; // wraps past 2^32 on the way
      }
    }
    expect(Date.now() - start).toBeLessThan(5000);
    expect(tr.streams).toBe(1);
  });

  it('handles sequence number wrap-around', () => {
    const tr = new TcpTracker();
    const a = tr.analyze({ srcKey: A, dstKey: B, srcPort: 1, dstPort: 2, seq: 0xffffff00, ack: 1, flags: SYN, window: 100, len: 0 }, 1, t(T, 0));
    const b = tr.analyze({ srcKey: B, dstKey: A, srcPort: 2, dstPort: 1, seq: 77, ack: 0xffffff01, flags: SYNACK, window: 100, len: 0 }, 2, t(T, 1));
    const c = tr.analyze({ srcKey: A, dstKey: B, srcPort: 1, dstPort: 2, seq: 0xffffff01, ack: 78, flags: PSHACK, window: 100, len: 0x200 }, 3, t(T, 2));
    const d = tr.analyze({ srcKey: B, dstKey: A, srcPort: 2, dstPort: 1, seq: 78, ack: 0x101, flags: ACK, window: 100, len: 0 }, 4, t(T, 3));
    expect([a.seq, b.ack, c.seq, c.nxtseq, d.ack]).toEqual([0, 1, 1, 0x201, 0x201]);
    expect(d.analysis!.acksFrame).toBe(3);
    expect(flagsOf(d)).toBe(0);
  });
});

describe('closed conversations beyond CLOSED_KEPT are kept as tombs', () => {
  const A = '\x0a\x00\x00\x01';
  const B = '\x0a\x00\x00\x02';
  const seg = (fromClient: boolean, cport: number, seq: number, ack: number, flags: number, len = 0): TcpInput => ({
    srcKey: fromClient ? A : B,
    dstKey: fromClient ? B : A,
    srcPort: fromClient ? cport : 80,
    dstPort: fromClient ? 80 : cport,
    seq,
    ack,
    flags,
    window: 1000,
    len,
    hdrLen: 20,
  });
  /** a whole connection: handshake, 10 bytes, FIN/ACK both ways, last ACK */
  function connection(tr: TcpTracker, cport: number, isn: number, frame: { n: number }): number {
    const S = 0x02, SA = 0x12, AK = 0x10, FA = 0x11, PA = 0x18;
    const steps: Array<[boolean, number, number, number, number]> = [
      [true, isn, 0, S, 0],
      [false, 5000, isn + 1, SA, 0],
      [true, isn + 1, 5001, AK, 0],
      [true, isn + 1, 5001, PA, 10],
      [false, 5001, isn + 11, FA, 0],
      [true, isn + 11, 5002, FA, 0],
      [false, 5002, isn + 12, AK, 0],
    ];
    let stream = -1;
    for (const [c, sq, ak, f, len] of steps) stream = tr.analyze(seg(c, cport, sq, ak, f, len), ++frame.n, { sec: 1000 + frame.n, nsec: 0 }).stream;
    return stream;
  }

  it('the oldest closed ones become tombs; port reuse, stream, times and relative numbers still come out right', () => {
    const n = CLOSED_KEPT + 50;
    const tr = new TcpTracker();
    const frame = { n: 0 };
    for (let i = 0; i < n; i++) expect(connection(tr, 10000 + i, 1000 * i + 7, frame)).toBe(i);
    expect(tr.tombs).toBe(50);
    // the first connections are tombs now: a new SYN with a new ISN on the first ports is a port
    // reuse (new stream, flagged); a stray late ACK of the second finds its old stream
    const reuse = tr.analyze(seg(true, 10000, 999_999, 0, 0x02), ++frame.n, { sec: 99999, nsec: 0 });
    expect(reuse.stream).toBe(n);
    expect(reuse.analysis!.flags & TA.REUSED_PORTS).toBeTruthy();
    const late = tr.analyze(seg(true, 10001, 1000 + 7 + 12, 5003, 0x10), ++frame.n, { sec: 99999, nsec: 0 });
    expect(late.stream).toBe(1);
    // relative numbers still from the tomb's base sequence numbers
    expect(late.seq).toBe(12);
    expect(late.ack).toBe(3);
    expect(late.timeRel.sec).toBe(99999 - (1000 + 8));
  });
});
