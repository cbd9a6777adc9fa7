// -T ek (src/output/ek.ts) against tshark 4.0's -T ek (scripts/tshark-ref), whole output files
// compared byte for byte: every fixture, every test input and a sample of ../shared/corpus
// (all of it with MINISHARK_SWEEPS=1). A file that differs must be in KNOWN with the reason; the
// test fails when a listed file starts to agree (take it off the list) or an unlisted one differs.
// Every document line minishark writes must parse as JSON. Skipped when tshark is not installed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { runCli } from './golden/cases.mjs';
import { captureFiles, CORPUS, FIXTURES, hasCorpus, hasTshark, pool, ROOT, sweepSample, TSHARK_REF } from './helpers/reference.js';

// the index line carries the packet's local date, as tshark's localtime(): tshark-ref runs in UTC
process.env.TZ = 'UTC';

const run = promisify(execFile);

/** Files whose output differs from tshark's, by path relative to the repository (corpus files as
 * corpus/<path>), with the reason. OUI: the only difference is tshark's eth.*.oui_resolved keys (the
 * manufacturer of an OUI, from Wireshark's manuf table, which minishark does not carry); the test
 * checks that the files are equal once those keys are taken out of tshark's output. */
const OUI = 'OUI';
const SECTION = 'frame.section_number: tshark writes it for these pcapng records, minishark does not (as in -T fields)';
const IFDESC = 'frame.interface_description (the pcapng if_description option): not dissected by minishark';
const FLAGS = 'frame.packet_flags (the pcapng epb_flags option): not dissected by minishark';
const LINK = 'a link type tshark-ref does not dissect: tshark writes an empty frame.protocols and no Data layer, minishark a Data layer';
const CAPLEN = "tshark hangs the frame.len_lt_caplen expert item under frame.len, before frame.cap_len; minishark's tree has it after frame.cap_len";
const TIME_INVALID = 'tshark adds a frame.time_invalid expert item for a fraction of a second out of range; minishark does not';
const KNOWN: Record<string, string> = {
  'fixtures/echo-lo.pcap': OUI,
  'fixtures/mixed-linktypes.pcapng': OUI,
  'test/inputs/ipv6-ext-loop.pcap':
    'tshark stops at its tree depth limit (gui_max_tree_depth assertion: a _ws.malformed dissector bug) after 30-odd nested IPv6 extension headers; minishark dissects them all',
  'corpus/gopacket/pcap/test_dns.pcap': OUI,
  'corpus/gopacket/pcap/test_ethernet.pcap': OUI,
  'corpus/gopacket/pcapgo-tests/be/test901.pcapng': OUI,
  'corpus/gopacket/pcapgo-tests/be/test902.pcapng': OUI,
  'corpus/gopacket/pcapgo-tests/le/test901.pcapng': OUI,
  'corpus/gopacket/pcapgo-tests/le/test902.pcapng': OUI,
  'corpus/libpcap/filter/ah-ipip-ping.pcap': OUI,
  'corpus/libpcap/filter/gateway_or_not.pcap': OUI,
  'corpus/libpcap/filter/ipv6_ah_modes.pcap': OUI,
  'corpus/libpcap/filter/ipv6_ext_headers.pcap': OUI,
  'corpus/libpcap/filter/llc.pcap': OUI,
  'corpus/libpcap/filter/rarp_req_reply.pcapng': OUI,
  'corpus/libpcap/reject/pcap-invalid-version-2.pcap': OUI,
  'corpus/pcapng-test-generator/output_be/advanced/test100.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/advanced/test101.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/advanced/test102.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_be/basic/test001.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test004.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test005.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test006.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test007.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test008.pcapng': IFDESC,
  'corpus/pcapng-test-generator/output_be/basic/test009.pcapng': FLAGS,
  'corpus/pcapng-test-generator/output_be/basic/test010.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test011.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test012.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test016.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/basic/test017.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_be/basic/test018.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_be/difficult/test201.pcapng': OUI,
  'corpus/pcapng-test-generator/output_be/difficult/test202.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_le/advanced/test100.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/advanced/test101.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/advanced/test102.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_le/basic/test001.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test004.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test005.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test006.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test007.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test008.pcapng': IFDESC,
  'corpus/pcapng-test-generator/output_le/basic/test009.pcapng': FLAGS,
  'corpus/pcapng-test-generator/output_le/basic/test010.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test011.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test012.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test016.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/basic/test017.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_le/basic/test018.pcapng': SECTION,
  'corpus/pcapng-test-generator/output_le/difficult/test201.pcapng': OUI,
  'corpus/pcapng-test-generator/output_le/difficult/test202.pcapng': SECTION,
  'corpus/rusticata/err-buffertoosmall.pcapng': IFDESC,
  'corpus/rusticata/modified-format.pcap': OUI,
  'corpus/rusticata/ntp.pcap': OUI,
  'corpus/rusticata/wireshark_samples-test.pcapng': OUI,
  'corpus/tcpdump/802.1ad_QinQ.pcap': OUI,
  'corpus/tcpdump/accecn_handshake.pcap': OUI,
  'corpus/tcpdump/arp-oobr.pcap': OUI,
  'corpus/tcpdump/bigtcp-ipv4.pcap': OUI,
  'corpus/tcpdump/bigtcp-ipv6-hbh.pcap': OUI,
  'corpus/tcpdump/bigtcp-ipv6.pcap': OUI,
  'corpus/tcpdump/dns_tcp.pcap': OUI,
  'corpus/tcpdump/dns_udp.pcap': OUI,
  'corpus/tcpdump/gso-ipv4.pcap': OUI,
  'corpus/tcpdump/gso-ipv6.pcap': OUI,
  'corpus/tcpdump/icmp-cksum-oobr-2.pcap': LINK,
  'corpus/tcpdump/icmp-cksum-oobr-3.pcapng': OUI,
  'corpus/tcpdump/icmp-cksum-oobr-4.pcapng': LINK,
  'corpus/tcpdump/icmp-icmp_print-oobr-1.pcap': OUI,
  'corpus/tcpdump/icmp-icmp_print-oobr-2.pcap': CAPLEN,
  'corpus/tcpdump/icmp-length-zero.pcapng': OUI,
  'corpus/tcpdump/icmp-rfc5837.pcap': LINK,
  'corpus/tcpdump/icmp_ext_oob_poc.pcap': OUI,
  'corpus/tcpdump/icmpv6-length-zero.pcapng': OUI,
  'corpus/tcpdump/icmpv6.pcap': OUI,
  'corpus/tcpdump/ip6_frag_asan.pcap': OUI,
  'corpus/tcpdump/ip_ts_opts_asan.pcap': OUI,
  'corpus/tcpdump/ipv4_invalid_hdr_length.pcap': OUI,
  'corpus/tcpdump/ipv4_invalid_length.pcap': OUI,
  'corpus/tcpdump/ipv4_invalid_total_length.pcap': OUI,
  'corpus/tcpdump/ipv4_invalid_total_length_2.pcap': OUI,
  'corpus/tcpdump/ipv4_tcp_http_xml.pcap': OUI,
  'corpus/tcpdump/ipv4_tcp_http_xml_tso.pcap': OUI,
  'corpus/tcpdump/ipv6-bad-version.pcap': OUI,
  'corpus/tcpdump/ipv6-routing-header.pcap': OUI,
  'corpus/tcpdump/ipv6-too-long-jumbo.pcap': OUI,
  'corpus/tcpdump/ipv6_39_byte_header.pcap': OUI,
  'corpus/tcpdump/ipv6_invalid_length.pcap': OUI,
  'corpus/tcpdump/ipv6_invalid_length_2.pcap': OUI,
  'corpus/tcpdump/ipv6_jumbogram_1.pcap': OUI,
  'corpus/tcpdump/ipv6_jumbogram_invalid_length.pcap': OUI,
  'corpus/tcpdump/ipv6_missing_jumbo_payload_option.pcap': OUI,
  'corpus/tcpdump/ipv6_no_next_header.pcap': OUI,
  'corpus/tcpdump/loopback.pcap': OUI,
  'corpus/tcpdump/pptp.pcap': OUI,
  'corpus/tcpdump/print-flags.pcap': OUI,
  'corpus/tcpdump/ssh.pcap': OUI,
  'corpus/tcpdump/tcp_rst_data-trunc.pcap': OUI,
  'corpus/tcpdump/tcp_rst_data.pcap': OUI,
  'corpus/tcpdump/tfo-5c1fa7f9ae91.pcap': OUI,
  'corpus/tcpdump/timestamp_invalid_micro.pcap': TIME_INVALID,
  'corpus/tcpdump/timestamp_invalid_nano.pcap': TIME_INVALID,
  'corpus/tcpdump/unaligned-nfs-1.pcap': OUI,
  'corpus/tcpdump/unsupported-link-type-160.pcap': LINK,
  'corpus/zeek/arp-leak.pcap': OUI,
  'corpus/zeek/arp-who-has.pcap': OUI,
  'corpus/zeek/chksums/ip4-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip4-icmp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip4-icmp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip4-tcp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip4-tcp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip4-udp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip4-udp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-hoa-tcp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-hoa-tcp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-hoa-udp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-hoa-udp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-icmp6-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-icmp6-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-route0-icmp6-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-route0-icmp6-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-route0-tcp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-route0-tcp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-route0-udp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-route0-udp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-tcp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-tcp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-udp-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/ip6-udp-good-chksum.pcap': OUI,
  'corpus/zeek/chksums/localhost-bad-chksum.pcap': OUI,
  'corpus/zeek/chksums/mip6-bad-mh-chksum.pcap': OUI,
  'corpus/zeek/chksums/mip6-good-mh-chksum.pcap': OUI,
  'corpus/zeek/conn-size.pcap': OUI,
  'corpus/zeek/fake-syslog-with-padding.pcap': OUI,
  'corpus/zeek/http-qinq-0.pcap': OUI,
  'corpus/zeek/http-vlan-0.pcap': OUI,
  'corpus/zeek/http/get-to-ssh-server.pcap': OUI,
  'corpus/zeek/icmp/5-pings.pcap': OUI,
  'corpus/zeek/icmp/icmp-destunreach-ip.pcap': OUI,
  'corpus/zeek/icmp/icmp-destunreach-no-context.pcap': OUI,
  'corpus/zeek/icmp/icmp-destunreach-udp.pcap': OUI,
  'corpus/zeek/icmp/icmp-ping.pcap': OUI,
  'corpus/zeek/icmp/icmp-timeexceeded.pcap': OUI,
  'corpus/zeek/icmp/icmp6-destunreach-ip6ext-trunc.pcap': OUI,
  'corpus/zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap': OUI,
  'corpus/zeek/icmp/icmp6-destunreach-ip6ext.pcap': OUI,
  'corpus/zeek/icmp/icmp6-destunreach-no-context.pcap': OUI,
  'corpus/zeek/icmp/icmp6-mldv1.pcap': OUI,
  'corpus/zeek/icmp/icmp6-nd-options.pcap': OUI,
  'corpus/zeek/icmp/icmp6-nd-short-options.pcap': OUI,
  'corpus/zeek/icmp/icmp6-neighbor-advert.pcap': OUI,
  'corpus/zeek/icmp/icmp6-neighbor-solicit.pcap': OUI,
  'corpus/zeek/icmp/icmp6-paramprob.pcap': OUI,
  'corpus/zeek/icmp/icmp6-ping.pcap': OUI,
  'corpus/zeek/icmp/icmp6-redirect-hdr-opt.pcap': OUI,
  'corpus/zeek/icmp/icmp6-redirect.pcap': OUI,
  'corpus/zeek/icmp/icmp6-router-advert.pcap': OUI,
  'corpus/zeek/icmp/icmp6-router-solicit.pcap': OUI,
  'corpus/zeek/icmp/icmp6-timeexceeded.pcap': OUI,
  'corpus/zeek/icmp/icmp6-toobig.pcap': OUI,
  'corpus/zeek/icmp_dot1q.pcap': OUI,
  'corpus/zeek/ip-bogus-header-len.pcap': OUI,
  'corpus/zeek/ipv4/fragmented-1.pcap': OUI,
  'corpus/zeek/ipv4/fragmented-2.pcap': OUI,
  'corpus/zeek/ipv4/fragmented-3.pcap': OUI,
  'corpus/zeek/ipv4/fragmented-4.pcap': OUI,
  'corpus/zeek/ipv4/fragmented-syn.pcap': OUI,
  'corpus/zeek/ipv6-fragmented-dns.pcap': OUI,
  'corpus/zeek/ipv6-hbh-routing0.pcap': OUI,
  'corpus/zeek/ipv6-http-atomic-frag.pcap': OUI,
  'corpus/zeek/ipv6-mobility-dst-opts.pcap': OUI,
  'corpus/zeek/ipv6_zero_len_ah.pcap': OUI,
  'corpus/zeek/pcapng-multi-interface.pcapng': IFDESC,
  'corpus/zeek/q-in-q.pcap': OUI,
  'corpus/zeek/raw_layer.pcap': OUI,
  'corpus/zeek/raw_packets.pcap': OUI,
  'corpus/zeek/snap-tcp.pcap': OUI,
  'corpus/zeek/tcp-http-with-padding.pcap': OUI,
  'corpus/zeek/tcp/ctu-64702-888.pcap': OUI,
  'corpus/zeek/tcp/fin_retransmission.pcap': OUI,
  'corpus/zeek/tcp/handshake-reorder.pcap': OUI,
  'corpus/zeek/tcp/http-on-irc-port-missing-syn.pcapng': OUI,
  'corpus/zeek/tcp/miss_end_data.pcap': OUI,
  'corpus/zeek/tcp/missing-syn.pcap': OUI,
  'corpus/zeek/tcp/no-handshake.pcap': OUI,
  'corpus/zeek/tcp/option-sack.pcap': OUI,
  'corpus/zeek/tcp/options.pcap': OUI,
  'corpus/zeek/tcp/qi_internet_SYNACK_curl_jsonip.pcap': OUI,
  'corpus/zeek/tcp/reassembly.pcap': OUI,
  'corpus/zeek/tcp/retransmit-fast009.pcap': OUI,
  'corpus/zeek/tcp/rst-inject-rae.pcap': OUI,
  'corpus/zeek/tcp/single-rst.pcap': OUI,
  'corpus/zeek/tcp/ssh-dups.pcap': OUI,
  'corpus/zeek/tcp/syn-bad.pcap': OUI,
  'corpus/zeek/tcp/syn-synack.pcap': OUI,
  'corpus/zeek/tcp/syn-then-ack-then-rst.pcap': OUI,
  'corpus/zeek/tcp/syn-then-rst.pcap': OUI,
  'corpus/zeek/tcp/syn-then-stuff-then-rst.pcap': OUI,
  'corpus/zeek/tcp/syn.pcap': OUI,
  'corpus/zeek/tcp/tcp-fast-open.pcap': OUI,
  'corpus/zeek/tcp/timestamp.pcap': OUI,
  'corpus/zeek/tcp/window-scale-range.pcap': OUI,
  'corpus/zeek/trunc/icmp-header-trunc.pcap': OUI,
  'corpus/zeek/trunc/icmp-payload-trunc.pcap': OUI,
  'corpus/zeek/trunc/ip4-trunc.pcap': OUI,
  'corpus/zeek/trunc/ip6-ext-trunc.pcap': OUI,
  'corpus/zeek/trunc/ip6-trunc.pcap': OUI,
  'corpus/zeek/trunc/ipv4-internally-truncated-header.pcap': OUI,
  'corpus/zeek/trunc/ipv4-truncated-broken-header.pcap': OUI,
  'corpus/zeek/tunnels/4in4.pcap': OUI,
  'corpus/zeek/tunnels/4in6.pcap': 'tree order: tshark has ipv6.src_6to4_gw_ipv4, ipv6.src_6to4_sla_id, then the hidden ipv6.6to4_gw_ipv4, ipv6.6to4_sla_id; minishark puts each hidden item right after its visible one',
  'corpus/zeek/tunnels/6in4.pcap': OUI,
  'corpus/zeek/tunnels/6in6.pcap': OUI,
  'corpus/zeek/tunnels/6in6in6.pcap': OUI,
  'corpus/zeek/udp-broadcast.pcap': OUI,
  'corpus/zeek/udp-packet.pcap': OUI,
  'corpus/zeek/unknown-ip-short-payload.pcap': OUI,
  'corpus/zeek/vlan-qinqinq.pcap': OUI,
  'corpus/zeek/web.pcap': OUI,
  'corpus/zeek/wikipedia.pcap': 'UDP port 137 (NetBIOS name service, off in tshark-ref): tshark hands the payload to DNS, minishark leaves it data',
};

const OUI_KEY = /,"[a-z0-9_]+_oui_resolved":"(?:[^"\\]|\\.)*"/g;

async function tsharkEk(file: string, args: string[]): Promise<string> {
  try {
    return (await run(TSHARK_REF, ['-r', file, '-T', 'ek', ...args], { maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC' } })).stdout;
  } catch (e) {
    // a capture tshark cannot read to the end: the packets it wrote before stopping
    return (e as { stdout?: string }).stdout ?? '';
  }
}

async function minisharkEk(file: string, args: string[]): Promise<string> {
  const r = (await runCli(main, ['-r', file, '-T', 'ek', ...args])) as { out: string };
  return r.out;
}

/** The first line where two outputs differ, cut around the first differing character. */
function firstDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p === q) continue;
    let j = 0;
    while (j < p.length && p[j] === q[j]) j++;
    return `line ${i + 1}: minishark …${p.slice(Math.max(0, j - 60), j + 80)}… tshark …${q.slice(Math.max(0, j - 60), j + 80)}…`;
  }
  return '';
}

function badJsonLines(out: string): string[] {
  const bad: string[] = [];
  out.split('\n').forEach((l, i) => {
    if (l === '') return;
    try {
      JSON.parse(l);
    } catch {
      bad.push(`line ${i + 1}`);
    }
  });
  return bad;
}

const rel = (f: string) => (f.startsWith(CORPUS) ? 'corpus/' + path.relative(CORPUS, f) : path.relative(ROOT, f));
const local = [...captureFiles(FIXTURES), ...captureFiles(path.join(ROOT, 'test', 'inputs'))];
const corpus = hasCorpus ? sweepSample(captureFiles(CORPUS), 12, 'output-ek corpus') : [];

describe.skipIf(!hasTshark)('-T ek = tshark -T ek, whole files (needs tshark)', () => {
  it('every fixture, test input and sampled corpus capture: equal, or KNOWN with a reason', async () => {
    const files = [...local, ...corpus];
    const results = await pool(files, 2, async (f) => {
      const [t, m] = await Promise.all([tsharkEk(f, []), minisharkEk(f, [])]);
      const name = rel(f);
      // an OUI entry must differ by the OUI names alone
      const t2 = KNOWN[name] === OUI ? t.replace(OUI_KEY, '') : t;
      return { f: name, equal: t === m, diff: t2 === m ? '' : firstDiff(m, t2), badJson: badJsonLines(m), lines: m.split('\n').length - 1 };
    });
    const equal = results.filter((r) => r.equal).length;
    console.log(`-T ek: ${equal} of ${results.length} files equal to tshark (${local.length} fixtures and test inputs, ${corpus.length} corpus captures)`);
    const unexpected = results.filter((r) => !r.equal && (!KNOWN[r.f] || (KNOWN[r.f] === OUI && r.diff))).map((r) => `${r.f}: ${r.diff}`);
    const nowEqual = results.filter((r) => r.equal && KNOWN[r.f]).map((r) => r.f);
    expect(unexpected, 'differ from tshark and are not in KNOWN').toEqual([]);
    expect(nowEqual, 'in KNOWN but now equal to tshark: take them off the list').toEqual([]);
    expect(results.filter((r) => r.badJson.length).map((r) => `${r.f}: ${r.badJson.slice(0, 3).join(', ')}`)).toEqual([]);
    // the comparison saw output: two lines per packet on the fixtures
    expect(results.find((r) => r.f === 'fixtures/echo-veth.pcap')?.lines).toBeGreaterThan(20);
  });

  it('-e: the named fields as arrays of their -T fields texts, columns and protocols included', async () => {
    const e = ['frame.number', 'frame.time', 'eth.src', 'ip.addr', 'ip.dsfield', 'tcp.flags.syn', 'tcp.options', 'tcp.analysis.retransmission', '_ws.col.Info', '_ws.expert.message', 'udp'];
    const args = e.flatMap((x) => ['-e', x]);
    for (const f of ['loss.pcap', 'icmp-unreach.pcap']) {
      const file = path.join(FIXTURES, f);
      const [t, m] = await Promise.all([tsharkEk(file, args), minisharkEk(file, args)]);
      expect(m.length).toBeGreaterThan(0);
      expect(firstDiff(m, t), f).toBe('');
    }
  });
});

// -x adds "<key>_raw" (the item's bytes in hex) before each key. Equal to tshark where minishark's
// tree has the same byte ranges: ARP, ICMP, IPv4 and UDP. Not yet for TCP: minishark's generated
// items (tcp.flags.str, tcp.window_size…) carry no byte range, tshark's do, so their _raw keys are
// missing; that is the tree's data, not ek's walk.
describe.skipIf(!hasTshark)('-T ek -x (needs tshark)', () => {
  it.each(['icmp-unreach.pcap', 'ping-arp.pcap'])('%s', async (f) => {
    const file = path.join(FIXTURES, f);
    const [t, m] = await Promise.all([tsharkEk(file, ['-x']), minisharkEk(file, ['-x'])]);
    expect(m).toContain('_raw":');
    expect(firstDiff(m, t)).toBe('');
  });
});

describe('-T ek without tshark', () => {
  it('writes an index line and a document line per packet, each valid JSON', async () => {
    const out = await minisharkEk(path.join(FIXTURES, 'echo-veth.pcap'), ['-c', '3']);
    const lines = out.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0]!)).toEqual({ index: { _index: 'packets-2026-11-22', _type: 'doc' } });
    const doc = JSON.parse(lines[5]!) as { timestamp: string; layers: Record<string, Record<string, unknown>> };
    expect(doc.timestamp).toBe('1795325304890');
    expect(Object.keys(doc.layers)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    expect(doc.layers.tcp!.tcp_tcp_flags_syn).toBe(true);
    expect(doc.layers.ip!.ip_ip_addr).toEqual(['10.99.0.1', '10.99.0.2']);
  });
});
