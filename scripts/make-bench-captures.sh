#!/usr/bin/env bash
# Make the large REAL captures that `npm run bench` (scripts/bench.mjs) times minishark on.
#
# The Linux kernel's TCP/IP stack makes the traffic, between two private network namespaces
# created here (msb-a = client 10.98.0.1, msb-b = server 10.98.0.2, joined by a veth pair, the
# same approach as fixtures/make-fixtures.sh but with names and addresses of their own, so the
# two scripts can run at the same time). Nothing is sent anywhere else. tcpdump captures on
# veth-a in msb-a with snaplen 128 (headers + the first bytes of payload).
#
#   bulk.pcap        ~1,000,000 packets: BULK_CONNS (6) parallel connections pushing data
#                    client -> server; when tcpdump has seen BULK_STOP_AT packets the senders
#                    finish (SHUT_WR, FIN both ways), so every connection is complete. The
#                    number of ACKs per data segment depends on the machine's load, so the
#                    stop is driven by the packet count, not by a byte count.
#   short.pcap       ~500,000 packets: SHORT_CLIENTS (4) clients doing SHORT_CONNS (12,500)
#                    short connections each: connect, 64-byte request, 300-byte response,
#                    the server closes first (HTTP/1.0 style)
#   bulk-100k.pcap   the first 100,000 packets of bulk.pcap  (memory growth check, --quick)
#   short-100k.pcap  the first 100,000 packets of short.pcap (--quick)
#
# Files are cached OUTSIDE the repository, in ${MINISHARK_BENCH_DIR:-$HOME/.cache/minishark-bench},
# and reused when present (FORCE=1 regenerates them). Each file is staged and moved into place
# only after its checks pass (no packets dropped by the kernel, packet count in range).
#
# Usage (as root on Linux):  scripts/make-bench-captures.sh [OUTPUT_DIR]
#   Environment: MINISHARK_BENCH_DIR, FORCE=1, ONLY="bulk" | "short",
#                BULK_PACKETS (1000000), BULK_STOP_AT, BULK_CONNS, BULK_MB (cap per connection),
#                SHORT_CLIENTS, SHORT_CONNS,
#                PACING_MBIT (80: per-connection pacing rate of the bulk senders, 0 = unpaced;
#                6 x 80 Mbit/s gave ~43,000 packets/s with the ACKs: bulk.pcap in ~30 s, a
#                stop on time, and no drops by tcpdump), TRIES (attempts per file, 3)
#   With sudo, $HOME is root's: to bench as another user, pass the directory explicitly
#   (sudo scripts/make-bench-captures.sh ~/.cache/minishark-bench) or set MINISHARK_BENCH_DIR.
# Time (2 vCPUs, busy machine): bulk.pcap 30 s, short.pcap 19 s, slices ~1 s each.
# Needs: iproute2 (ip), tcpdump, python3, ethtool, editcap + capinfos (tshark/wireshark-common).
#   apt-get install -y iproute2 tcpdump python3 ethtool tshark
set -euo pipefail

DEST=${1:-${MINISHARK_BENCH_DIR:-$HOME/.cache/minishark-bench}}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)

NS_A=msb-a NS_B=msb-b
IP_A=10.98.0.1 IP_B=10.98.0.2
MAC_A=02:00:0a:62:00:01 MAC_B=02:00:0a:62:00:02
PORT_BULK=21000 PORT_SHORT=21001
SNAP=128
BULK_CONNS=${BULK_CONNS:-6}
BULK_PACKETS=${BULK_PACKETS:-1000000}
BULK_STOP_AT=${BULK_STOP_AT:-$((BULK_PACKETS - 2000))}
BULK_MB=${BULK_MB:-512}
SHORT_CLIENTS=${SHORT_CLIENTS:-4}
SHORT_CONNS=${SHORT_CONNS:-12500}
PACING_MBIT=${PACING_MBIT:-80}
TRIES=${TRIES:-3}
SLICE=100000

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'make-bench-captures: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (network namespaces, tcpdump)"
[ "$(uname -s)" = Linux ] || die "Linux only"
for c in ip tcpdump ethtool editcap capinfos python3 sysctl timeout; do
  command -v "$c" >/dev/null || die "missing '$c' (apt-get install -y iproute2 tcpdump python3 ethtool tshark procps coreutils)"
done
PY=$(python3 -c 'import sys; print(sys.executable)')

WORK=$(mktemp -d "$DEST/.staging.XXXXXX")   # same filesystem as DEST: mv is atomic
chmod 755 "$WORK"
CAP_PID=""
BG_PIDS=()

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
del_namespaces() {
  local ns
  for ns in $NS_A $NS_B; do
    if ns_exists "$ns"; then ip netns del "$ns" || true; fi
  done
}
stop_bg() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  BG_PIDS=()
}
cleanup() {
  local rc=$?
  [ -n "$CAP_PID" ] && { kill -INT "$CAP_PID" 2>/dev/null || true; wait "$CAP_PID" 2>/dev/null || true; }
  stop_bg
  del_namespaces
  rm -rf "$WORK"
  [ $rc = 0 ] || echo "make-bench-captures: FAILED (exit $rc)" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# (background processes: `ip netns exec` directly, so $! is the process itself, not a subshell)
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ------------------------------------------------------------------ traffic programs
cat >"$WORK/traffic.py" <<'PYEOF'
"""Traffic for make-bench-captures.sh (runs inside the msb-a / msb-b namespaces)."""
import os, signal, socket, sys, threading, time

def ready(path):
    with open(path, "w") as f:
        f.write("ready\n")

def listener(host, port, reuseport=False):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, port))
    s.listen(4096)
    return s

def bulk_server(host, port, conns, ready_path):
    s = listener(host, port)
    ready(ready_path)
    total = [0]
    def sink(c):
        buf = bytearray(1 << 18)
        n = 0
        while True:
            k = c.recv_into(buf)
            if not k:
                break
            n += k
        c.close()
        total[0] += n
    ts = []
    for _ in range(conns):
        c, _ = s.accept()
        t = threading.Thread(target=sink, args=(c,))
        t.start()
        ts.append(t)
    for t in ts:
        t.join()
    print(f"bulk-server: {conns} connections, {total[0]} bytes received", file=sys.stderr)

def bulk_client(host, port, conns, nbytes, pacing_mbit, stop_path):
    # each connection pushes up to nbytes, or less when stop_path appears (make-bench-captures.sh
    # creates it when tcpdump has seen enough packets); then SHUT_WR and wait for the server's FIN
    chunk = memoryview(os.urandom(1 << 16))
    def push():
        c = socket.socket()
        # a small send buffer: little data still in flight when the stop file appears
        c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 18)
        if pacing_mbit > 0:
            c.setsockopt(socket.SOL_SOCKET, 47, int(pacing_mbit * 125000))  # SO_MAX_PACING_RATE
        c.connect((host, port))
        left = nbytes
        while left > 0 and not os.path.exists(stop_path):
            n = min(left, len(chunk))
            c.sendall(chunk[:n])
            left -= n
        c.shutdown(socket.SHUT_WR)
        while c.recv(4096):
            pass
        c.close()
    ts = [threading.Thread(target=push) for _ in range(conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()

def short_server(host, port, ready_path):
    # one process per client (SO_REUSEPORT spreads the connections); runs until SIGTERM
    s = listener(host, port, reuseport=True)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    ready(ready_path)
    resp = b"HTTP/1.0 200 OK\r\nContent-Length: 249\r\n\r\n" + b"x" * 249 + b"\n" * 12
    resp = resp[:300]
    while True:
        c, _ = s.accept()
        got = b""
        while len(got) < 64:
            k = c.recv(64 - len(got))
            if not k:
                break
            got += k
        c.sendall(resp)
        c.close()

def short_client(host, port, count):
    req = (b"GET /bench HTTP/1.0\r\nHost: 10.98.0.2\r\nX-Pad: " + b"p" * 64)[:60] + b"\r\n\r\n"
    assert len(req) == 64
    for _ in range(count):
        c = socket.socket()
        c.connect((host, port))
        c.sendall(req)
        n = 0
        while True:
            k = c.recv(4096)
            if not k:
                break
            n += len(k)
        c.close()
        if n != 300:
            sys.exit(f"short-client: got {n} bytes instead of 300")

if __name__ == "__main__":
    role, a = sys.argv[1], sys.argv[2:]
    if role == "bulk-server":
        bulk_server(a[0], int(a[1]), int(a[2]), a[3])
    elif role == "bulk-client":
        bulk_client(a[0], int(a[1]), int(a[2]), int(a[3]), float(a[4]), a[5])
    elif role == "short-server":
        short_server(a[0], int(a[1]), a[2])
    elif role == "short-client":
        short_client(a[0], int(a[1]), int(a[2]))
    else:
        sys.exit(f"unknown role {role}")
PYEOF

# ------------------------------------------------------------------ namespaces
setup_pair() {
  del_namespaces
  ip netns add $NS_A; ip netns add $NS_B
  ip -n $NS_A link set lo up; ip -n $NS_B link set lo up
  ip -n $NS_A link add veth-a address $MAC_A mtu 1500 type veth \
    peer name veth-b netns $NS_B address $MAC_B mtu 1500
  local ns dev
  for ns in $NS_A $NS_B; do
    dev=veth-${ns#msb-}
    in_ns $ns sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
    # real wire-sized segments at the capture point (no TSO/GSO super-segments, no GRO)
    in_ns $ns ethtool -K $dev tx off tso off gso off gro off >/dev/null 2>&1 || die "ethtool -K $dev failed"
    in_ns $ns sysctl -qw net.core.somaxconn=4096
    in_ns $ns sysctl -qw net.ipv4.tcp_max_syn_backlog=4096
  done
  # 64k client ports: the short connections never need to reuse a port
  in_ns $NS_A sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
  ip -n $NS_A addr add $IP_A/24 dev veth-a
  ip -n $NS_B addr add $IP_B/24 dev veth-b
  ip -n $NS_A link set veth-a up
  ip -n $NS_B link set veth-b up
  # static ARP: the capture is TCP only
  ip -n $NS_A neigh replace $IP_B lladdr $MAC_B dev veth-a nud permanent
  ip -n $NS_B neigh replace $IP_A lladdr $MAC_A dev veth-b nud permanent
  sleep 0.3
}

# cap_start FILE: tcpdump on veth-a, snaplen $SNAP, 128 MiB kernel buffer, TCP only
cap_start() {
  local file=$1 errf=$WORK/tcpdump.err
  rm -f "$file" "$errf"
  ip netns exec $NS_A tcpdump -i veth-a -s $SNAP -B 131072 -n -Z root -w "$file" tcp 2>"$errf" &
  CAP_PID=$!
  local i
  for i in $(seq 100); do
    grep -q 'listening on' "$errf" 2>/dev/null && break
    kill -0 "$CAP_PID" 2>/dev/null || { cat "$errf" >&2; die "tcpdump failed to start"; }
    sleep 0.05
  done
  grep -q 'listening on' "$errf" || die "tcpdump did not start"
  sleep 0.2
}

# cap_stop: give libpcap's ring (TPACKET_V3 blocks time out after ~1 s) time to hand over the
# last packets, stop tcpdump; DROPS = how many packets the kernel dropped
DROPS=""
cap_stop() {
  sleep 2
  kill -INT "$CAP_PID"
  wait "$CAP_PID" || die "tcpdump exited with an error"
  CAP_PID=""
  grep -v 'received by filter,' "$WORK/tcpdump.err" | sed 's/^/   tcpdump: /' >&2
  DROPS=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$WORK/tcpdump.err" | tail -1)
}

wait_ready() {
  local f=$1 i
  for i in $(seq 200); do [ -e "$f" ] && return 0; sleep 0.05; done
  die "server did not come up"
}

packets() { capinfos -M -c "$1" | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}'; }
syns() { tcpdump -n -r "$1" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null | wc -l; }

# check FILE MIN MAX DROPS WANT_SYNS
check() {
  local file=$1 min=$2 max=$3 drops=$4 want_syns=$5 n s
  n=$(packets "$file")
  s=$(syns "$file")
  printf '   %s: %s packets, %s SYNs, %s dropped by kernel\n' "$(basename "$file")" "$n" "$s" "${drops:-?}" >&2
  [ "${drops:-1}" = 0 ] || { echo "   kernel dropped packets during the capture" >&2; return 1; }
  [ "$n" -ge "$min" ] && [ "$n" -le "$max" ] || { echo "   packet count $n outside [$min, $max]" >&2; return 1; }
  [ "$s" = "$want_syns" ] || { echo "   $s SYNs, want $want_syns" >&2; return 1; }
}

gen_bulk() {
  local out=$WORK/bulk.pcap stop=$WORK/stop.bulk seen=0 cpid
  rm -f "$WORK/ready.bulk" "$stop"
  setup_pair
  cap_start "$out"
  ip netns exec $NS_B timeout 900 "$PY" "$WORK/traffic.py" bulk-server $IP_B $PORT_BULK "$BULK_CONNS" "$WORK/ready.bulk" &
  BG_PIDS+=($!)
  wait_ready "$WORK/ready.bulk"
  ip netns exec $NS_A timeout 900 "$PY" "$WORK/traffic.py" bulk-client $IP_B $PORT_BULK "$BULK_CONNS" \
    $((BULK_MB * 1048576)) "$PACING_MBIT" "$stop" &
  cpid=$!
  # watch the kernel's packet count (tcpdump prints its statistics on SIGUSR1) and tell the
  # senders to finish when it reaches BULK_STOP_AT; what is still in flight, the FINs and their
  # ACKs come after that
  local t_prev t_now seen_prev=0 rate=0
  t_prev=$(date +%s%N)
  while kill -0 "$cpid" 2>/dev/null; do
    sleep 0.1
    kill -USR1 "$CAP_PID" 2>/dev/null || break
    sleep 0.05
    seen=$(sed -n 's/.* \([0-9]*\) packets received by filter.*/\1/p' "$WORK/tcpdump.err" | tail -1)
    seen=${seen:-0}
    t_now=$(date +%s%N)
    # packets per second since the last look; stop early by what arrives in the next ~0.12 s
    [ "$t_now" -gt "$t_prev" ] && rate=$(( (seen - seen_prev) * 1000000000 / (t_now - t_prev) ))
    seen_prev=$seen t_prev=$t_now
    if [ ! -e "$stop" ] && [ $((seen + rate / 8)) -ge "$BULK_STOP_AT" ]; then
      touch "$stop"
      printf '   %s packets seen (%s packets/s): senders told to finish\n' "$seen" "$rate" >&2
    fi
  done
  wait "$cpid" || die "bulk client failed"
  wait "${BG_PIDS[@]}" || die "bulk server failed"
  BG_PIDS=()
  cap_stop
  del_namespaces
  check "$out" $((BULK_PACKETS * 95 / 100)) $((BULK_PACKETS * 105 / 100)) "$DROPS" "$BULK_CONNS"
}

gen_short() {
  local out=$WORK/short.pcap i
  rm -f "$WORK"/ready.short.*
  setup_pair
  cap_start "$out"
  for i in $(seq "$SHORT_CLIENTS"); do
    rm -f "$WORK/ready.short.$i"
    ip netns exec $NS_B timeout 900 "$PY" "$WORK/traffic.py" short-server $IP_B $PORT_SHORT "$WORK/ready.short.$i" &
    BG_PIDS+=($!)
    wait_ready "$WORK/ready.short.$i"
  done
  local cpids=()
  for i in $(seq "$SHORT_CLIENTS"); do
    ip netns exec $NS_A timeout 900 "$PY" "$WORK/traffic.py" short-client $IP_B $PORT_SHORT "$SHORT_CONNS" &
    cpids+=($!)
  done
  for i in "${cpids[@]}"; do wait "$i" || die "short client failed"; done
  stop_bg
  cap_stop
  del_namespaces
  # ~10 packets per connection (SYN, SYN-ACK, ACK, request, response, FIN/ACK x2, ACKs)
  check "$out" $((SHORT_CLIENTS * SHORT_CONNS * 8)) $((SHORT_CLIENTS * SHORT_CONNS * 12)) "$DROPS" $((SHORT_CLIENTS * SHORT_CONNS))
}

# make_one NAME: generate $DEST/NAME.pcap (up to $TRIES attempts) unless present, then its
# 100k-packet slice $DEST/NAME-100k.pcap (pcap, not editcap's default pcapng) unless present
make_one() {
  local name=$1 t0 try
  if [ -s "$DEST/$name.pcap" ] && [ "${FORCE:-0}" != 1 ]; then
    log "$name.pcap: present, reused (FORCE=1 to regenerate)"
  else
    rm -f "$DEST/$name-100k.pcap"
    t0=$(date +%s)
    for try in $(seq "$TRIES"); do
      log "$name.pcap (attempt $try of $TRIES)"
      if "gen_$name"; then break; fi
      log "$name.pcap: attempt $try failed after $(( $(date +%s) - t0 )) s"
      [ "$try" -lt "$TRIES" ] || die "$name.pcap: checks failed $TRIES times (drops on a loaded machine? try a lower PACING_MBIT)"
    done
    mv -f "$WORK/$name.pcap" "$DEST/"
    log "$name.pcap: generated in $(( $(date +%s) - t0 )) s"
  fi
  if [ ! -s "$DEST/$name-100k.pcap" ]; then
    editcap -F pcap -r "$DEST/$name.pcap" "$WORK/$name-100k.pcap" "1-$SLICE"
    [ "$(packets "$WORK/$name-100k.pcap")" = $SLICE ] || die "$name-100k.pcap: slice is not $SLICE packets"
    mv -f "$WORK/$name-100k.pcap" "$DEST/"
    log "$name-100k.pcap: first $SLICE packets of $name.pcap"
  fi
}

for s in ${ONLY:-bulk short}; do
  case $s in bulk|short) make_one "$s" ;; *) die "unknown capture '$s' (bulk, short)" ;; esac
done

log "captures in $DEST"
( cd "$DEST" && capinfos -T -M -c -s -u ./*.pcap 2>/dev/null | column -t -s $'\t' ) >&2 || true
