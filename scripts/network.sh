#!/usr/bin/env bash
# healthledger on a real Fabric 2.5 network: up | down | deploy | upgrade | status
#
# Native mode (default): every node is a background process on loopback, using the Fabric
# binaries from FABRIC_BIN (or PATH) and the release's default config from FABRIC_CFG_PATH (or
# FABRIC_BIN/../config). Docker mode (--docker): the official fabric-peer/fabric-orderer 2.5
# images; the admin CLIs still run on the host.
#
# Everything lives in the work directory (HEALTHLEDGER_FABRIC_DIR, default network/fabric/work):
# crypto material, configs, ledgers, logs/ and pids/. `down` stops exactly the recorded PIDs and
# removes it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${HEALTHLEDGER_FABRIC_DIR:-$ROOT/network/fabric/work}
MODE=native
ORDERERS=1
NEW_VERSION=""
START_TIME=$(date +%s)
CURRENT_STEP=""
CURRENT_LOG=""

usage() {
  cat <<USAGE
Usage: scripts/network.sh <command> [options]     (or: npm run network -- <command> [options])

Commands:
  up        generate identities and configs, start orderer(s) and peers, create and join the channel
  deploy    package, install, approve, commit the chaincode (ccaas) and start its server
  upgrade   the same with the next sequence and a new version (--version V), keeping state
  status    what runs, channel height, committed chaincode definition
  down      stop exactly the processes started by 'up'/'deploy' and remove the work directory

Options:
  --docker        run nodes in Docker (official hyperledger/fabric-* 2.5 images)
  --orderers N    number of Raft orderers (default 1)
  --version V     chaincode version for 'upgrade' (default: current version + .1)

Environment: FABRIC_BIN (Fabric binaries), FABRIC_CFG_PATH (release config dir),
HEALTHLEDGER_FABRIC_DIR (work directory).
USAGE
}

# --- progress and failure reporting -----------------------------------------------------------

elapsed() { echo $(( $(date +%s) - START_TIME )); }

step() {
  CURRENT_STEP=$1
  CURRENT_LOG=${2:-}
  printf '[%4ss] %s\n' "$(elapsed)" "$1"
}

on_error() {
  local code=$?
  printf '\nFAILED at step: %s (exit %s)\n' "${CURRENT_STEP:-startup}" "$code" >&2
  if [ -n "$CURRENT_LOG" ]; then
    printf 'Read the log: %s\n' "$CURRENT_LOG" >&2
    [ -f "$CURRENT_LOG" ] && tail -n 20 "$CURRENT_LOG" >&2
  fi
  exit "$code"
}
trap on_error ERR

die() {
  printf '%s\n' "$*" >&2
  exit 1
}

# --- prerequisites ----------------------------------------------------------------------------

install_hint() {
  cat >&2 <<HINT
Install the Fabric 2.5 binaries and config, e.g.:
  curl -sSLO https://raw.githubusercontent.com/hyperledger/fabric/main/scripts/install-fabric.sh
  chmod +x install-fabric.sh && ./install-fabric.sh --fabric-version 2.5.12 binary
then: export FABRIC_BIN=\$PWD/bin FABRIC_CFG_PATH=\$PWD/config
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
}

# --- processes --------------------------------------------------------------------------------

start_process() {
  local name=$1
  shift
  mkdir -p "$WORK/logs" "$WORK/pids"
  local log="$WORK/logs/$name.log"
  nohup "$@" >"$log" 2>&1 &
  echo $! >"$WORK/pids/$name.pid"
}

wait_for_port() {
  local address=$1 what=$2 log=$3
  local host=${address%:*} port=${address##*:}
  local i
  for i in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.5
    [ "$i" -eq 60 ] && { CURRENT_LOG=$log; die "$what did not open $address within 30 s"; }
  done
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

# --- admin identities -------------------------------------------------------------------------

as_peer_admin() {
  local i=$1
  export CORE_PEER_TLS_ENABLED=true
  export CORE_PEER_LOCALMSPID=${PEER_MSPIDS[$i]}
  export CORE_PEER_MSPCONFIGPATH=${PEER_ADMIN_MSPS[$i]}
  export CORE_PEER_ADDRESS=${PEER_ADDRESSES[$i]}
  export CORE_PEER_TLS_ROOTCERT_FILE=${PEER_TLS_CAS[$i]}
  export FABRIC_CFG_PATH=$RELEASE_CFG
}

orderer_flags() {
  printf '%s\n' -o "$ORDERER_ADDRESS" --ordererTLSHostnameOverride "$ORDERER_HOST" --tls --cafile "$ORDERER_TLS_CA"
}

# --- commands ---------------------------------------------------------------------------------

cmd_up() {
  resolve_binaries
  [ -f "$WORK/network.env" ] && die "A network already exists in $WORK: run 'scripts/network.sh down' first."
  step "Building the project (identity and config generators)" "$WORK/logs/build.log"
  mkdir -p "$WORK/logs"
  (cd "$ROOT" && npm run build --silent) >"$WORK/logs/build.log" 2>&1

  step "Generating crypto material and configuration from network/consortium.yaml"
  local docker_flag=()
  [ "$MODE" = docker ] && docker_flag=(--docker)
  node "$ROOT/network/dist/fabric/cli.js" generate --work-dir "$WORK" --orderers "$ORDERERS" --fabric-cfg "$RELEASE_CFG" "${docker_flag[@]}"
  load_network

  if [ "$MODE" = docker ]; then
    step "Starting orderer(s) and peers with Docker Compose" "$WORK/logs/compose.log"
    docker compose -f "$WORK/compose.yaml" up -d >"$WORK/logs/compose.log" 2>&1
  else
    local i
    for i in "${!ORDERER_HOSTS[@]}"; do
      step "Starting ${ORDERER_HOSTS[$i]}" "$WORK/logs/${ORDERER_HOSTS[$i]}.log"
      FABRIC_CFG_PATH=${ORDERER_CONFIG[$i]} start_process "${ORDERER_HOSTS[$i]}" orderer
    done
    for i in "${!PEER_HOSTS[@]}"; do
      step "Starting ${PEER_HOSTS[$i]} (${PEER_MSPIDS[$i]})" "$WORK/logs/${PEER_HOSTS[$i]}.log"
      FABRIC_CFG_PATH=${PEER_CONFIG[$i]} start_process "${PEER_HOSTS[$i]}" peer node start
    done
  fi
  local i
  for i in "${!ORDERER_HOSTS[@]}"; do
    wait_for_port "${ORDERER_ADMIN_ADDRESSES[$i]}" "${ORDERER_HOSTS[$i]}" "$WORK/logs/${ORDERER_HOSTS[$i]}.log"
  done
  for i in "${!PEER_HOSTS[@]}"; do
    wait_for_port "${PEER_ADDRESSES[$i]}" "${PEER_HOSTS[$i]}" "$WORK/logs/${PEER_HOSTS[$i]}.log"
  done

  step "Creating the genesis block of $CHANNEL (configtxgen)" "$WORK/logs/configtxgen.log"
  configtxgen -configPath "$WORK/config/configtx" -profile HealthChannel -channelID "$CHANNEL" \
    -outputBlock "$WORK/channel/$CHANNEL.block" >"$WORK/logs/configtxgen.log" 2>&1

  for i in "${!ORDERER_HOSTS[@]}"; do
    step "Joining ${ORDERER_HOSTS[$i]} to $CHANNEL (osnadmin, channel participation API)" "$WORK/logs/osnadmin.log"
    osnadmin channel join --channelID "$CHANNEL" --config-block "$WORK/channel/$CHANNEL.block" \
      -o "${ORDERER_ADMIN_ADDRESSES[$i]}" --ca-file "$ORDERER_TLS_CA" \
      --client-cert "${ORDERER_MATERIAL[$i]}/tls/server.crt" --client-key "${ORDERER_MATERIAL[$i]}/tls/server.key" >>"$WORK/logs/osnadmin.log" 2>&1
  done
  for i in "${!PEER_HOSTS[@]}"; do
    step "Joining ${PEER_HOSTS[$i]} to $CHANNEL" "$WORK/logs/peer-cli.log"
    as_peer_admin "$i"
    retry 10 peer channel join -b "$WORK/channel/$CHANNEL.block" >>"$WORK/logs/peer-cli.log" 2>&1
  done
  step "Network up: anchor peers are in the genesis block; gateway settings in $WORK/gateway/<MSP>.env"
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

package_chaincode() {
  local label=$1
  local dir="$WORK/chaincode/$label"
  rm -rf "$dir" && mkdir -p "$dir/src"
  cp "$WORK/chaincode/connection.json" "$dir/src/connection.json"
  printf '{"type":"ccaas","label":"%s"}\n' "$label" >"$dir/metadata.json"
  tar -C "$dir/src" -czf "$dir/code.tar.gz" connection.json
  tar -C "$dir" -czf "$WORK/chaincode/$label.tar.gz" metadata.json code.tar.gz
  echo "$WORK/chaincode/$label.tar.gz"
}

define_chaincode() {
  local version=$1 sequence=$2
  local label="${CC_NAME}_${version}"
  local log="$WORK/logs/lifecycle.log"
  step "Packaging $label as chaincode-as-a-service" "$log"
  local pkg
  pkg=$(package_chaincode "$label")
  local package_id
  package_id=$(FABRIC_CFG_PATH=$RELEASE_CFG peer lifecycle chaincode calculatepackageid "$pkg")

  local i
  for i in "${!PEER_HOSTS[@]}"; do
    step "Installing on ${PEER_HOSTS[$i]}" "$log"
    as_peer_admin "$i"
    peer lifecycle chaincode install "$pkg" >>"$log" 2>&1 || peer lifecycle chaincode queryinstalled >>"$log" 2>&1
  done

  local collections=()
  [ "$CC_HAS_COLLECTIONS" = 1 ] && collections=(--collections-config "$WORK/chaincode/collections.json")
  local approved=""
  for i in "${!PEER_HOSTS[@]}"; do
    case " $approved " in *" ${PEER_MSPIDS[$i]} "*) continue ;; esac
    step "Approving $label (sequence $sequence) for ${PEER_MSPIDS[$i]}" "$log"
    as_peer_admin "$i"
    mapfile -t oflags < <(orderer_flags)
    peer lifecycle chaincode approveformyorg "${oflags[@]}" --channelID "$CHANNEL" --name "$CC_NAME" \
      --version "$version" --package-id "$package_id" --sequence "$sequence" \
      --signature-policy "$CC_POLICY" "${collections[@]}" >>"$log" 2>&1
    approved="$approved ${PEER_MSPIDS[$i]}"
  done

  step "Checking commit readiness" "$log"
  as_peer_admin 0
  peer lifecycle chaincode checkcommitreadiness --channelID "$CHANNEL" --name "$CC_NAME" --version "$version" \
    --sequence "$sequence" --signature-policy "$CC_POLICY" "${collections[@]}" --output json | tee -a "$log"

  step "Committing the definition" "$log"
  local peer_flags=()
  local seen=""
  for i in "${!PEER_HOSTS[@]}"; do
    case " $seen " in *" ${PEER_MSPIDS[$i]} "*) continue ;; esac
    peer_flags+=(--peerAddresses "${PEER_ADDRESSES[$i]}" --tlsRootCertFiles "${PEER_TLS_CAS[$i]}")
    seen="$seen ${PEER_MSPIDS[$i]}"
  done
  mapfile -t oflags < <(orderer_flags)
  peer lifecycle chaincode commit "${oflags[@]}" --channelID "$CHANNEL" --name "$CC_NAME" --version "$version" \
    --sequence "$sequence" --signature-policy "$CC_POLICY" "${collections[@]}" "${peer_flags[@]}" >>"$log" 2>&1

  step "Starting the chaincode server ($package_id on $CC_ADDRESS)" "$WORK/logs/chaincode.log"
  if [ -f "$WORK/pids/chaincode.pid" ]; then
    kill "$(cat "$WORK/pids/chaincode.pid")" 2>/dev/null || true
    sleep 1
  fi
  local listen="0.0.0.0:${CC_ADDRESS##*:}"
  CHAINCODE_ID=$package_id CHAINCODE_SERVER_ADDRESS=$listen start_process chaincode \
    node "$ROOT/node_modules/.bin/fabric-chaincode-node" server --chaincode-address "$listen" --chaincode-id "$package_id" \
    --module-path "$ROOT/chaincode"
  printf '%s\n%s\n' "$version" "$sequence" >"$WORK/chaincode/committed"
  step "Chaincode $CC_NAME $version (sequence $sequence) committed on $CHANNEL"
}

cmd_deploy() {
  resolve_binaries
  load_network
  define_chaincode "$CC_VERSION" "$CC_SEQUENCE"
}

cmd_upgrade() {
  resolve_binaries
  load_network
  [ -f "$WORK/chaincode/committed" ] || die "Nothing deployed yet: run 'scripts/network.sh deploy' first."
  local current_version current_sequence
  current_version=$(sed -n 1p "$WORK/chaincode/committed")
  current_sequence=$(sed -n 2p "$WORK/chaincode/committed")
  local version=${NEW_VERSION:-$current_version.1}
  define_chaincode "$version" $((current_sequence + 1))
}

cmd_status() {
  load_network
  local file pid state
  for file in "$WORK"/pids/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    state=stopped
    kill -0 "$pid" 2>/dev/null && state=running
    printf '%-36s pid %-8s %s\n' "$(basename "$file" .pid)" "$pid" "$state"
  done
  if resolve_binaries 2>/dev/null; then
    as_peer_admin 0
    peer channel getinfo -c "$CHANNEL" 2>/dev/null || echo "channel $CHANNEL: peer not reachable"
    peer lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME" 2>/dev/null || echo "chaincode $CC_NAME: not committed"
  fi
}

cmd_down() {
  step "Stopping recorded processes"
  if [ -f "$WORK/compose.yaml" ] && command -v docker >/dev/null 2>&1; then
    docker compose -f "$WORK/compose.yaml" down --volumes >/dev/null 2>&1 || true
  fi
  stop_recorded
  step "Removing $WORK"
  rm -rf "$WORK"
}

main() {
  [ "$#" -ge 1 ] || { usage; exit 1; }
  local command=$1
  shift
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --docker) MODE=docker ;;
      --orderers) ORDERERS=$2; shift ;;
      --version) NEW_VERSION=$2; shift ;;
      -h | --help) usage; exit 0 ;;
      *) die "Unknown option: $1 (see --help)" ;;
    esac
    shift
  done
  case "$command" in
    up) cmd_up ;;
    down) cmd_down ;;
    deploy) cmd_deploy ;;
    upgrade) cmd_upgrade ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *) usage; exit 1 ;;
  esac
}

main "$@"
