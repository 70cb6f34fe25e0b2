#!/usr/bin/env bash
# Several hosts on one Linux machine, for trying the network's multi-host mode: one network
# namespace per node (orderers, peers), one for the chaincode server and one per organisation's
# gateway (gateway.<org domain>), each with its own IPv4 address on a veth pair to a bridge in the
# root namespace (where the admin CLIs run), and a hosts file mapping every host name to its
# address for 'scripts/network.sh up --hosts FILE --netns'.
#
#   scripts/netns-hosts.sh create [--orderers N] [--subnet 10.77.0] [--file FILE]
#   scripts/netns-hosts.sh destroy [--file FILE]
#
# Needs root (ip netns) and the built project (node network/dist/fabric/cli.js lists the hosts).
# Nothing here touches /etc/hosts or DNS: the network uses the IP addresses themselves.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILE=$ROOT/network/fabric/netns.hosts
SUBNET=10.77.0
ORDERERS=1
# Must match NETNS_NAME_PREFIX in scripts/network.sh.
PREFIX=hl-
BRIDGE=hlbr0

die() {
  printf '%s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# Every host name the network's hosts file must map (the chaincode server, nodes, gateways), from
# the same generator network.sh uses.
network_hosts() {
  local cli=$ROOT/network/dist/fabric/cli.js
  [ -f "$cli" ] || die "$cli not found: run 'npm run build' first."
  node "$cli" hosts --orderers "$ORDERERS"
}

# Host names listed in the hosts file (second field of each non-comment line).
file_hosts() {
  sed -e 's/#.*//' "$FILE" | awk 'NF >= 2 { print $2 }'
}

cmd_create() {
  [ -e "$FILE" ] && die "$FILE exists: run 'scripts/netns-hosts.sh destroy' first."
  ip link show "$BRIDGE" >/dev/null 2>&1 && die "Bridge $BRIDGE exists: run 'scripts/netns-hosts.sh destroy' first."
  local hosts
  mapfile -t hosts < <(network_hosts)
  [ "${#hosts[@]}" -gt 0 ] || die "The generator listed no hosts."

  # The file grows with each namespace made, so that 'destroy' also undoes a create that failed
  # half-way.
  mkdir -p "$(dirname "$FILE")"
  {
    printf '# Written by scripts/netns-hosts.sh: each host is the network namespace %s<host name>,\n' "$PREFIX"
    printf '# on bridge %s (%s.1/24). Use: scripts/network.sh up --hosts %s --netns\n' "$BRIDGE" "$SUBNET" "$FILE"
  } >"$FILE"
  trap 'printf "create failed: undo it with scripts/netns-hosts.sh destroy\n" >&2' ERR
  ip link add "$BRIDGE" type bridge
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local i=0 host ns ip
  for host in "${hosts[@]}"; do
    ns=$PREFIX$host
    ip=$SUBNET.$((i + 2))
    # Interface names are limited to 15 characters: number them, not name them.
    ip netns add "$ns"
    printf '%s %s\n' "$ip" "$host" >>"$FILE"
    ip link add "hlv$i" type veth peer name "hlp$i"
    ip link set "hlp$i" netns "$ns"
    ip -n "$ns" link set "hlp$i" name eth0
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip link set "hlv$i" master "$BRIDGE" up
    printf '%-16s %-36s namespace %s\n' "$ip" "$host" "$ns"
    i=$((i + 1))
  done
  printf 'Hosts file: %s\n' "$FILE"
}

cmd_destroy() {
  [ -f "$FILE" ] || die "No $FILE: nothing created by 'scripts/netns-hosts.sh create'."
  local host ns busy=()
  for host in $(file_hosts); do
    ns=$PREFIX$host
    ip netns list | cut -d' ' -f1 | grep -qxF "$ns" || continue
    [ -z "$(ip netns pids "$ns")" ] || busy+=("$ns")
  done
  if [ "${#busy[@]}" -gt 0 ]; then
    die "Processes still run in: ${busy[*]} — stop the network first ('scripts/network.sh down')."
  fi
  for host in $(file_hosts); do
    ns=$PREFIX$host
    # Deleting a namespace deletes its end of the veth pair, and with it the root end.
    if ip netns list | cut -d' ' -f1 | grep -qxF "$ns"; then
      ip netns delete "$ns"
      printf 'deleted namespace %s\n' "$ns"
    fi
  done
  # A create that failed between making a veth pair and moving one end leaves it in the root
  # namespace.
  local link
  for link in $(ip -o link show | awk -F': ' '{ print $2 }' | sed -n 's/^\(hlv[0-9][0-9]*\)@.*/\1/p'); do
    ip link delete "$link" 2>/dev/null || true  # may be going away with its namespace already
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link delete "$BRIDGE"
  fi
  rm -f "$FILE"
  printf 'Removed %s and bridge %s\n' "$FILE" "$BRIDGE"
}

main() {
  [ "$#" -ge 1 ] || { usage; exit 1; }
  local command=$1
  shift
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --orderers) ORDERERS=$2; shift ;;
      --subnet) SUBNET=$2; shift ;;
      --file) FILE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
      -h | --help) usage; exit 0 ;;
      *) die "Unknown option: $1 (see --help)" ;;
    esac
    shift
  done
  case "$command" in
    create | destroy)
      [ "$(id -u)" = 0 ] || die "Network namespaces need root: run as root (e.g. with sudo)."
      "cmd_$command"
      ;;
    -h | --help | help) usage ;;
    *) usage; exit 1 ;;
  esac
}

main "$@"
