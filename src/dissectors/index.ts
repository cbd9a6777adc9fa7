// Importing a dissector module registers it and its hand-offs in the dispatch tables.
import './frame.js';
import './ethernet.js';
import './vlan.js';
import './llc.js';
import './sll.js';
import './null.js';
import './raw.js';
import './arp.js';
import './ipv4.js';
import './icmp.js';
import './ipv6.js';
import './icmpv6.js';
import './tcp.js';
import './udp.js';
import './dns.js';
import './data.js';
