# shellcheck shell=bash
# scripts/network.sh, part 1: progress and failure reporting, prerequisites, the processes the
# network runs. Sourced; uses the globals network.sh sets (ROOT, WORK, MODE, START_TIME, …).

# --- progress and failure reporting -----------------------------------------------------------

elapsed() { echo $(( $(date +%s) - START_TIME )); }

step() {
  CURRENT_STEP=$1
  CURRENT_LOG=${2:-}
  printf '[%4ss] %s\n' "$(elapsed)" "$1"
}

# Runs on every exit. A failure after the first step names the step and shows the tail of its
# log; if 'up' had started processes, they are stopped (the work directory and its logs stay).
# Failures before any step (usage, prerequisites) have already said what is wrong.
on_exit() {
  local code=$?
  trap - EXIT ERR
  if [ "$code" -eq 0 ] || [ -z "$CURRENT_STEP" ]; then
    return
  fi
  printf '\nFAILED at step: %s (exit %s)\n' "$CURRENT_STEP" "$code" >&2
  if [ -n "$CURRENT_LOG" ]; then
    printf 'Log: %s\n' "$CURRENT_LOG" >&2
    if [ -f "$CURRENT_LOG" ]; then
      # The peer CLI prints its usage after an error, which would push the error out of the tail.
      printf -- '--- last errors ---\n' >&2
      grep -aE '^Error:|ERRO|FATA|PANI|^panic:' "$CURRENT_LOG" | tail -n 5 >&2 || true
      printf -- '--- last 20 lines ---\n' >&2
      tail -n 20 "$CURRENT_LOG" >&2
      printf -- '---------------------\n' >&2
    fi
  fi
  if [ "$STOP_ON_FAILURE" = 1 ]; then
    printf 'Stopping the processes this run started; logs stay in %s/logs.\n' "$WORK" >&2
    stop_recorded >&2
    printf "Remove the work directory with 'scripts/network.sh down' before the next 'up'.\n" >&2
  fi
}

die() {
  printf '%s\n' "$*" >&2
  exit 1
}

# --- prerequisites ----------------------------------------------------------------------------

install_hint() {
  cat >&2 <<HINT
This needs a Hyperledger Fabric 2.5 release: set FABRIC_BIN to its bin/ directory (peer, orderer,
configtxgen, osnadmin) and FABRIC_CFG_PATH to its config directory (core.yaml, orderer.yaml),
e.g. export FABRIC_BIN=/opt/fabric-2.5/bin FABRIC_CFG_PATH=/opt/fabric-2.5/config
HINT
}

resolve_binaries() {
  if [ -n "${FABRIC_BIN:-}" ]; then
    export PATH="$FABRIC_BIN:$PATH"
  fi
  local missing=()
  local tool
  for tool in peer configtxgen osnadmin; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ "$MODE" = native ]; then
    command -v orderer >/dev/null 2>&1 || missing+=(orderer)
  else
    command -v docker >/dev/null 2>&1 || missing+=(docker)
  fi
  command -v node >/dev/null 2>&1 || missing+=(node)
  if [ "${#missing[@]}" -gt 0 ]; then
    printf 'Missing tools: %s (looked in FABRIC_BIN=%s and PATH)\n' "${missing[*]}" "${FABRIC_BIN:-unset}" >&2
    install_hint
    exit 1
  fi
  if [ -z "${FABRIC_CFG_PATH:-}" ]; then
    local bin_dir
    bin_dir=$(dirname "$(command -v peer)")
    FABRIC_CFG_PATH=$(cd "$bin_dir/.." && pwd)/config
  fi
  if [ "$MODE" = native ] && [ ! -f "$FABRIC_CFG_PATH/core.yaml" ]; then
    printf 'The Fabric release config (core.yaml, orderer.yaml) was not found in %s.\n' "$FABRIC_CFG_PATH" >&2
    install_hint
    exit 1
  fi
  RELEASE_CFG=$FABRIC_CFG_PATH
}

load_network() {
  [ -f "$WORK/network.env" ] || die "No network in $WORK: run 'scripts/network.sh up' first."
  # shellcheck source=/dev/null
  source "$WORK/network.env"
  # Written by 'up --netns': every node (and the chaincode server) runs in its own namespace.
  NETNS_PREFIX=""
  if [ -f "$WORK/netns" ]; then
    NETNS_PREFIX=$(cat "$WORK/netns")
  fi
}

# --- processes --------------------------------------------------------------------------------

# Starts node `name` (a host name, or 'chaincode') like start_process, inside its network
# namespace <NETNS_PREFIX><name> when the network runs in namespaces ('up --netns'). `ip netns
# exec` execs the command, so the recorded PID is the node's own.
start_node() {
  local name=$1
  shift
  if [ -n "${NETNS_PREFIX:-}" ]; then
    start_process "$name" ip netns exec "$NETNS_PREFIX$name" "$@"
  else
    start_process "$name" "$@"
  fi
}

# Fails naming the missing namespaces before anything starts (scripts/netns-hosts.sh creates them).
check_namespaces() {
  local names=("$@") missing=() name
  local existing
  existing=$(ip netns list 2>/dev/null | cut -d' ' -f1)
  for name in "${names[@]}"; do
    grep -qxF "$NETNS_PREFIX$name" <<<"$existing" || missing+=("$NETNS_PREFIX$name")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    printf 'Missing network namespaces: %s\n' "${missing[*]}" >&2
    printf "Create them with 'scripts/netns-hosts.sh create' (as root), or drop --netns.\n" >&2
    return 1
  fi
}

start_process() {
  local name=$1
  shift
  mkdir -p "$WORK/logs" "$WORK/pids"
  local log="$WORK/logs/$name.log"
  # Appended: a process started again (a gateway restart, the chaincode server on upgrade) keeps
  # its earlier log, which may be what explains the restart.
  nohup "$@" >>"$log" 2>&1 &
  echo $! >"$WORK/pids/$name.pid"
}

# Waits until the process recorded as `name` accepts connections on `address`; fails at once
# if it exits (a panic at start-up) rather than after the timeout.
wait_for_port() {
  local address=$1 name=$2
  local host=${address%:*} port=${address##*:}
  local pid="" i
  # Natively the process is ours (pid file); under Docker, Compose owns it.
  [ -f "$WORK/pids/$name.pid" ] && pid=$(cat "$WORK/pids/$name.pid")
  CURRENT_LOG="$WORK/logs/$name.log"
  [ "$MODE" = docker ] && CURRENT_LOG="$WORK/logs/compose.log"
  for i in $(seq 1 60); do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      die "$name (pid $pid) exited before opening $address"
    fi
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  die "$name did not open $address within 30 s"
}

# Stops one process and waits (up to 10 s, then SIGKILL) until it is gone, so that its port is
# free for a successor.
# Fails before anything starts if a socket the network needs is taken (another network, a
# leftover process): a node would otherwise die at start-up and its port look open to the wait.
check_ports_free() {
  local entry name address
  for entry in "${LISTEN_ADDRESSES[@]}"; do
    name=${entry%%=*}
    address=${entry#*=}
    if (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null; then
      printf '%s (for %s) is already in use: is another network running?\n' "$address" "$name" >&2
      return 1
    fi
  done
}

stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop_recorded() {
  [ -d "$WORK/pids" ] || return 0
  local file pid
  for file in "$WORK"/pids/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      printf '         stopped %s (pid %s)\n' "$(basename "$file" .pid)" "$pid"
    fi
  done
  sleep 1
  for file in "$WORK"/pids/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

retry() {
  local attempts=$1
  shift
  local n
  for n in $(seq 1 "$attempts"); do
    "$@" && return 0
    [ "$n" -lt "$attempts" ] && sleep 2
  done
  return 1
}

wait_for_gossip() {
  step "Waiting for gossip: every peer must know the other $((${#PEER_HOSTS[@]} - 1))" "$WORK/logs/${PEER_HOSTS[0]}.log"
  local args=() i
  for i in "${!PEER_HOSTS[@]}"; do
    args+=(--peer "${PEER_HOSTS[$i]}=${PEER_OPERATIONS[$i]}")
  done
  node "$ROOT/network/dist/fabric/cli.js" wait-gossip --channel "$CHANNEL" --timeout "${HEALTHLEDGER_GOSSIP_TIMEOUT:-120}" "${args[@]}"
}
