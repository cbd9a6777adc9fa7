// Errors that teach (issue 15): real runs of the CLI (node bin/minishark.js, after `npm run build`),
// each asserting the exact stderr line and exit status. The exit statuses are tshark 4.0's (measured:
// `tshark x.pcap` takes the word as a capture filter and exits 1; unknown -e field 1; unknown -Y
// field 2; bad -z 1). -Y/-e with a Wireshark protocol minishark does not dissect are compared with
// scripts/tshark-ref (skipped when tshark is absent).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const ECHO = path.join(ROOT, 'fixtures', 'echo-veth.pcap');
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const ms = (...args: string[]) => run(process.execPath, [BIN, ...args]);
const tshark = (...args: string[]) => run(TSHARK_REF, args);

describe('a word without an option', () => {
  it('a capture file name: the command line with -r', () => {
    const r = ms('x.pcap');
    expect([r.code, r.out, r.err]).toEqual([1, '', 'minishark: "x.pcap" is not an option; to read a capture file use -r: minishark -r x.pcap\n']);
  });

  it('an existing file among other options: each file gets its -r, the options stay', () => {
    const r = ms('-Y', 'tcp', 'fixtures/echo-veth.pcap', '-c', '1', 'fixtures/loss.pcap');
    expect([r.code, r.err]).toEqual([1, 'minishark: "fixtures/echo-veth.pcap" is not an option; to read a capture file use -r: minishark -Y tcp -r fixtures/echo-veth.pcap -c 1 -r fixtures/loss.pcap\n']);
    // the suggestion runs
    const s = ms('-Y', 'tcp', '-r', 'fixtures/echo-veth.pcap', '-c', '1', '-T', 'fields', '-e', 'frame.number');
    expect([s.code, s.out]).toEqual([0, '3\n']);
  });

  it('a name with a space is quoted for the shell; an option value is not taken for a stray word', () => {
    const r = ms('-qr', ECHO, 'my capture.pcapng');
    expect(r.err).toBe(`minishark: "my capture.pcapng" is not an option; to read a capture file use -r: minishark -qr ${ECHO} -r 'my capture.pcapng'\n`);
  });

  it('anything else: not an option, no capture filter, -Y to select packets', () => {
    const r = ms('tcp', 'port', '80');
    expect([r.code, r.out, r.err]).toEqual([
      1,
      '',
      'minishark: "tcp port 80" is not an option: minishark reads capture files (-r FILE) and takes no capture filter; to select packets use -Y FILTER (see minishark --help)\n',
    ]);
  });
});

describe('an unknown field: the nearest known names', () => {
  it('-e, exit 1, one line', () => {
    const r = ms('-r', ECHO, '-T', 'fields', '-e', 'tcp.sek', '-e', 'ipv4.src', '-e', 'frame.number', '-e', 'zzz');
    expect([r.code, r.out, r.err]).toEqual([1, '', "minishark: Some fields aren't valid: tcp.sek (did you mean tcp.seq?), ipv4.src (did you mean ip.src?), zzz\n"]);
  });

  it('-Y, exit 2: tshark\'s message and caret, the hint after the message', () => {
    const r = ms('-r', ECHO, '-Y', 'tcp.flags.synn == 1');
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toBe(
      'minishark: Left side of "==" expression must be a field or function, not tcp.flags.synn. Did you mean tcp.flags.syn?\n' +
        '    tcp.flags.synn == 1\n' +
        '    ^~~~~~~~~~~~~~\n',
    );
  });

  it('a -z filter and an io,stat field, with tshark\'s exit statuses (1 and 10)', () => {
    const a = ms('-r', ECHO, '-q', '-z', 'conv,tcp,tcp.stram == 0');
    expect([a.code, a.err]).toEqual([1, 'minishark: Couldn\'t register conversations tap: Filter "tcp.stram == 0" is invalid - Left side of "==" expression must be a field or function, not tcp.stram. Did you mean tcp.stream?\n']);
    const b = ms('-r', ECHO, '-q', '-z', 'io,stat,1,SUM(tcp.lenn)');
    expect([b.code, b.err]).toEqual([10, "minishark: There is no field named 'tcp.lenn'. Did you mean tcp.len?\n"]);
  });
});

describe('a Wireshark protocol minishark does not dissect', () => {
  it('-Y http: no packet, exit 0, one line on stderr; !http: every packet', () => {
    const r = ms('-r', ECHO, '-Y', 'http');
    expect([r.code, r.out, r.err]).toEqual([0, '', 'minishark: "http" is a Wireshark protocol minishark does not dissect: it matches no packet\n']);
    const all = ms('-r', ECHO, '-Y', '!http', '-T', 'fields', '-e', 'frame.number');
    const every = ms('-r', ECHO, '-T', 'fields', '-e', 'frame.number');
    expect(all.out).toBe(every.out);
    expect(all.out.split('\n').length).toBeGreaterThan(10);
  });

  it('a field of one: every relation on it is false; -e prints an empty column; each name said once', () => {
    const r = ms('-r', ECHO, '-Y', '!(http.host == "x") && !http', '-T', 'fields', '-e', 'http', '-e', 'frame.number', '-e', 'http.host', '-c', '2');
    expect([r.code, r.out]).toEqual([0, '\t1\t\n\t2\t\n']);
    expect(r.err).toBe(
      'minishark: "http.host" is a field of http, a Wireshark protocol minishark does not dissect: it matches no packet\n' +
        'minishark: "http" is a Wireshark protocol minishark does not dissect: it matches no packet\n',
    );
    const e = ms('-r', ECHO, '-c', '1', '-T', 'fields', '-e', 'smb.cmd', '-e', 'frame.number');
    expect([e.code, e.out, e.err]).toEqual([0, '\t1\n', 'minishark: "smb.cmd" is a field of smb, a Wireshark protocol minishark does not dissect: its column is empty\n']);
  });

  it('a field of a protocol minishark dissects is still an error (tcp.nosuch)', () => {
    const r = ms('-r', ECHO, '-Y', 'tcp.nosuch');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('minishark: tcp.nosuch is neither a field nor a protocol name.');
  });

  it.skipIf(!hasTshark)('as tshark-ref: the same packets, columns and exit status (skipped without tshark)', () => {
    const cases: string[][] = [
      ['-Y', 'http'],
      ['-Y', '!http'],
      ['-Y', 'http.host == "x"'],
      ['-Y', '!(http.host == "x")'],
      ['-Y', 'tcp.port != http.content_length'],
      ['-Y', 'http || tcp'],
      ['-Y', 'count(http) == 0'],
      ['-Y', 'ip.proto == igmp'],
      ['-T', 'fields', '-e', 'http', '-e', 'frame.number', '-e', 'http.host', '-E', 'header=y'],
    ];
    for (const c of cases) {
      const m = ms('-r', ECHO, ...c);
      const t = tshark('-r', ECHO, ...c);
      expect([m.code, m.out], c.join(' ')).toEqual([t.code, t.out]);
    }
  });
});

describe('-z: what is missing, how it is written, an example', () => {
  it.each([
    ['seqgraph,tcp', '-z seqgraph,tcp: the TCP stream number is missing; use -z seqgraph,tcp,STREAM[,FILE.svg], e.g. -z seqgraph,tcp,0'],
    ['seqgraph,tcp,0,', '-z seqgraph,tcp,0,: the file name after the stream number is empty; use -z seqgraph,tcp,STREAM[,FILE.svg], e.g. -z seqgraph,tcp,0'],
    ['seqgraph,udp,0', '-z seqgraph,udp,0: "udp" is not a type of seqgraph (tcp); use -z seqgraph,tcp,STREAM[,FILE.svg], e.g. -z seqgraph,tcp,0'],
    ['conv', '-z conv: the type is missing (eth, ip, ipv6, tcp or udp); use -z conv,TYPE[,FILTER], e.g. -z conv,tcp'],
    ['endpoints,tcpp', '-z endpoints,tcpp: "tcpp" is not a type of endpoints (eth, ip, ipv6, tcp or udp); use -z endpoints,TYPE[,FILTER], e.g. -z endpoints,ip'],
    ['follow', '-z follow: the type is missing (tcp or udp); use -z follow,tcp|udp,ascii|hex|raw|ebcdic,STREAM, e.g. -z follow,tcp,ascii,0'],
    ['flow,tcp,one', '-z flow,tcp,one: "one" is not a TCP stream number; use -z flow,tcp[,STREAM], e.g. -z flow,tcp'],
    ['io', '-z io: the type is missing (phs or stat); use -z io,phs[,FILTER] or -z io,stat,INTERVAL[,FILTER…], e.g. -z io,stat,1'],
  ])('-z %s', (z, line) => {
    const r = ms('-r', ECHO, '-q', '-z', z);
    expect([r.code, r.out, r.err]).toEqual([1, '', `minishark: ${line}\n`]);
  });
});

describe('--help', () => {
  it('-E separator reads as tshark\'s: any character', () => {
    const help = ms('--help').out.replace(/\s+/g, ' ');
    expect(help).toContain('separator=/t|/s|<char>');
    expect(help).not.toMatch(/separator=\/t\|\/s\|c\b/);
  });
});
