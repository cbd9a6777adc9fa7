// The fields minishark claims to support and the differential suite measures against tshark on every
// fixture and corpus capture: /work/shared/spec/fields.md's list plus the columns and a few more.
export const SPEC_FIELDS = `frame.number frame.time_epoch frame.time_relative frame.time_delta frame.len frame.cap_len frame.protocols
eth.src eth.dst eth.type vlan.id sll.pkttype arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.proto_ipv4 ip.version ip.hdr_len
ip.dsfield ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto ip.checksum ip.src ip.dst ipv6.plen ipv6.nxt ipv6.hlim
ipv6.src ipv6.dst icmp.type icmp.code icmpv6.type udp.srcport udp.dstport udp.length udp.checksum udp.stream tcp.srcport tcp.dstport
tcp.stream tcp.len tcp.seq tcp.seq_raw tcp.nxtseq tcp.ack tcp.ack_raw tcp.hdr_len tcp.flags tcp.flags.urg tcp.flags.ack
tcp.flags.push tcp.flags.reset tcp.flags.syn tcp.flags.fin tcp.window_size_value tcp.window_size tcp.window_size_scalefactor
tcp.checksum tcp.urgent_pointer tcp.options.mss_val tcp.options.wscale.shift tcp.options.sack_perm tcp.options.timestamp.tsval
tcp.options.timestamp.tsecr tcp.analysis.acks_frame tcp.analysis.bytes_in_flight tcp.analysis.window_update
tcp.analysis.window_full tcp.analysis.zero_window tcp.analysis.zero_window_probe tcp.analysis.keep_alive
tcp.analysis.keep_alive_ack tcp.analysis.duplicate_ack tcp.analysis.duplicate_ack_num tcp.analysis.retransmission
tcp.analysis.fast_retransmission tcp.analysis.spurious_retransmission tcp.analysis.out_of_order tcp.analysis.lost_segment
tcp.analysis.ack_lost_segment tcp.analysis.initial_rtt tcp.time_relative tcp.time_delta tcp.payload data.len frame.interface_id
frame.comment frame.encap_type eth.addr vlan.priority vlan.etype null.family sll.hatype sll.etype arp.hw.type arp.proto.type
arp.dst.hw_mac ip.flags ip.flags.rb ip.dsfield.dscp ip.dsfield.ecn ip.addr ip.fragment ip.fragment.count ip.reassembled_in
ip.reassembled.length ipv6.tclass ipv6.flow ipv6.addr ipv6.fragment ipv6.reassembled.in icmp.checksum icmp.ident icmp.seq
icmpv6.code icmpv6.checksum udp.port udp.payload tcp.port tcp.completeness tcp.flags.res tcp.flags.ae tcp.flags.cwr tcp.flags.ece
tcp.flags.str tcp.options.wscale.multiplier tcp.options.sack_le tcp.options.sack_re tcp.analysis.ack_rtt
tcp.analysis.push_bytes_sent tcp.analysis.duplicate_ack_frame tcp.analysis.zero_window_probe_ack tcp.analysis.reused_ports
tcp.analysis.rto tcp.analysis.rto_frame tcp.analysis.flags data.data _ws.malformed _ws.expert.message`.split(/\s+/);

export const EXTRA_FIELDS = `frame.time_delta_displayed frame.interface_name eth.padding eth.trailer vlan.dei arp.hw.size arp.proto.size
ip.checksum.status ipv6.version udp.checksum.status tcp.checksum.status tcp.options.sack.count _ws.expert.severity _ws.expert.group`.split(/\s+/);

export const COLUMNS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];

export const ALL_FIELDS = [...SPEC_FIELDS, ...EXTRA_FIELDS, ...COLUMNS];
