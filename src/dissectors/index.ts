// Importing a dissector module registers it and its hand-offs in the dispatch tables.
import './frame.js';
import './ethernet.js';
import './ipv4.js';
import './tcp.js';
import './udp.js';
import './data.js';
