#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# healthledger on a real Fabric 2.5 network: up | deploy | upgrade | gateway | status | stop | down
#
# Native mode (default): every node is a background process on loopback, using the Fabric
# binaries from FABRIC_BIN (or PATH) and the release's default config from FABRIC_CFG_PATH (or
# FABRIC_BIN/../config). Docker mode (--docker): the official fabric-peer/fabric-orderer 2.5
# images; the admin CLIs still run on the host.
#
# Everything lives in the work directory (HEALTHLEDGER_FABRIC_DIR, default network/fabric/work):
# crypto material, configs, ledgers, logs/ and pids/. `down` stops exactly the recorded PIDs and
# removes it; `stop` stops them and keeps it (logs, ledgers) for inspection.
# -E: the ERR trap must fire inside functions too, where every step runs.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${HEALTHLEDGER_FABRIC_DIR:-$ROOT/network/fabric/work}
MODE=native
ORDERERS=1
HOSTS_FILE=""
USE_NETNS=0
# Network namespaces of 'up --netns' are named <prefix><host name>, as scripts/netns-hosts.sh makes them.
NETNS_NAME_PREFIX=hl-
NEW_VERSION=""
GATEWAY_ACTION=""
GATEWAY_ORG=""
CRL_FILE=""
START_TIME=$(date +%s)
CURRENT_STEP=""
CURRENT_LOG=""
# Set once 'up' has started a process: a failure from then on stops what this run started.
STOP_ON_FAILURE=0

usage() {
  cat <<USAGE
Usage: scripts/network.sh <command> [options]     (or: npm run network -- <command> [options])

Commands:
  up        generate identities and configs, start orderer(s) and peers, create and join the channel
  deploy    package, install, approve, commit the chaincode (ccaas) and start its server
  upgrade   the same with the next sequence and a new version (--version V), keeping state
  gateway start|stop [--org MSP]
            several hosts only: start (or stop) each organisation's REST gateway on its own
            host gateway.<domain> (--netns: in its namespace), configured by gateway/<MSP>.env,
            data in data/gateway.<domain>/; an auth source (HEALTHLEDGER_JWT_SECRET,
            HEALTHLEDGER_JWKS_URL or HEALTHLEDGER_API_KEYS) must be in the environment
  revoke-crl --org MSP --crl FILE
            put FILE (a PEM CRL of the organisation's CA, e.g. from POST /identities/{name}/revocation
            or 'fabric-ca-client gencrl') into the organisation's MSP in the channel config, signed
            by its MSP admin: its peers then refuse the revoked certificates
  status    what runs, channel height, committed chaincode definition
  stop      stop exactly the processes started by 'up'/'deploy', keep the work directory (logs)
  down      stop them and remove the work directory

Options:
  --docker        run nodes in Docker (official hyperledger/fabric-* 2.5 images)
  --orderers N    number of Raft orderers (default 1)
  --hosts FILE    several hosts: FILE maps every node host name and 'chaincode' to an IPv4
                  address (/etc/hosts form); configs and TLS certificates use these addresses
  --netns         with --hosts: run each node in the network namespace hl-<host name>
                  (scripts/netns-hosts.sh create makes them and FILE)
  --version V     chaincode version for 'upgrade' (default: current version + .1)
  --org MSP       'gateway': only this organisation's gateway (default: every organisation's);
                  'revoke-crl': the organisation whose MSP gets the CRL
  --crl FILE      'revoke-crl': the PEM CRL

Environment: FABRIC_BIN (Fabric binaries), FABRIC_CFG_PATH (release config dir),
HEALTHLEDGER_FABRIC_DIR (work directory), HEALTHLEDGER_CONSORTIUM (consortium file, default
network/consortium.yaml), HEALTHLEDGER_CHAINCODE_DIR (chaincode module 'deploy'/'upgrade' serve,
default chaincode/).
USAGE
}

# shellcheck source=lib/network-steps.sh
source "$ROOT/scripts/lib/network-steps.sh"
# shellcheck source=lib/network-chaincode.sh
source "$ROOT/scripts/lib/network-chaincode.sh"

trap on_exit EXIT
# set -e exits on a failed command; the EXIT trap reports it. ERR only needs to exit with -E on.
trap 'exit $?' ERR

# --- commands ---------------------------------------------------------------------------------

cmd_up() {
  resolve_binaries
  if [ "$USE_NETNS" = 1 ] && { [ -z "$HOSTS_FILE" ] || [ "$MODE" = docker ]; }; then
    die "--netns needs --hosts FILE (the namespaces' addresses) and native mode."
  fi
  [ -f "$WORK/network.env" ] && die "A network already exists in $WORK: run 'scripts/network.sh down' first."
  step "Building the project (identity and config generators)" "$WORK/logs/build.log"
  mkdir -p "$WORK/logs"
  (cd "$ROOT" && npm run build --silent) >"$WORK/logs/build.log" 2>&1

  step "Generating crypto material and configuration from network/consortium.yaml" "$WORK/logs/generate.log"
  local mode_flags=()
  [ "$MODE" = docker ] && mode_flags=(--docker)
  [ -n "$HOSTS_FILE" ] && mode_flags+=(--hosts "$HOSTS_FILE")
  node "$ROOT/network/dist/fabric/cli.js" generate --work-dir "$WORK" --orderers "$ORDERERS" --fabric-cfg "$RELEASE_CFG" \
    "${mode_flags[@]}" 2>&1 | tee "$WORK/logs/generate.log"
  [ "$USE_NETNS" = 1 ] && printf '%s\n' "$NETNS_NAME_PREFIX" >"$WORK/netns"
  load_network
  step "Checking that the network's ports are free${NETNS_PREFIX:+ and its namespaces exist}"
  if ! { [ -z "$NETNS_PREFIX" ] || check_namespaces "${ORDERER_HOSTS[@]}" "${PEER_HOSTS[@]}" chaincode; } || ! check_ports_free; then
    # Nothing started yet: drop what this run generated so that the next 'up' can simply retry.
    rm -rf "$WORK"
    CURRENT_STEP=""
    exit 1
  fi

  STOP_ON_FAILURE=1
  local i
  if [ "$MODE" = docker ]; then
    step "Starting orderer(s) and peers with Docker Compose" "$WORK/logs/compose.log"
    docker compose -f "$WORK/compose.yaml" up -d >"$WORK/logs/compose.log" 2>&1
  else
    for i in "${!ORDERER_HOSTS[@]}"; do
      step "Starting ${ORDERER_HOSTS[$i]}" "$WORK/logs/${ORDERER_HOSTS[$i]}.log"
      FABRIC_CFG_PATH=${ORDERER_CONFIG[$i]} start_node "${ORDERER_HOSTS[$i]}" orderer
    done
    for i in "${!PEER_HOSTS[@]}"; do
      step "Starting ${PEER_HOSTS[$i]} (${PEER_MSPIDS[$i]})" "$WORK/logs/${PEER_HOSTS[$i]}.log"
      FABRIC_CFG_PATH=${PEER_CONFIG[$i]} start_node "${PEER_HOSTS[$i]}" peer node start
    done
  fi
  for i in "${!ORDERER_HOSTS[@]}"; do
    step "Waiting for ${ORDERER_HOSTS[$i]} to listen"
    wait_for_port "${ORDERER_ADMIN_ADDRESSES[$i]}" "${ORDERER_HOSTS[$i]}"
  done
  for i in "${!PEER_HOSTS[@]}"; do
    step "Waiting for ${PEER_HOSTS[$i]} to listen"
    wait_for_port "${PEER_ADDRESSES[$i]}" "${PEER_HOSTS[$i]}"
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
  wait_for_gossip
  STOP_ON_FAILURE=0
  step "Network up: anchor peers are in the genesis block; gateway settings in $WORK/gateway/<MSP>.env"
}

# Cross-organisation endorsement needs every peer to know every other through gossip; until then
# discovery finds "no peer combination" for the policy. Polls the peers' operations endpoints.

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

# Revocation reaches the ledger through the channel config: the operator step of
# docs/design/identity.md (fetch the config, set the org MSP's revocation_list, compute the update,
# sign it as the org's MSP admin — the MSP value's mod_policy is the org's Admins — and submit).
cmd_revoke_crl() {
  resolve_binaries
  load_network
  [ -n "$GATEWAY_ORG" ] || die "revoke-crl needs --org MSP."
  [ -f "$CRL_FILE" ] || die "revoke-crl needs --crl FILE, a PEM CRL of the organisation's CA."
  # Fabric parses a PEM CRL only under this label (Go's x509.ParseCRL); any other is refused by the orderer.
  head -n1 "$CRL_FILE" | grep -q '^-----BEGIN X509 CRL-----' || die "$CRL_FILE is not a PEM CRL labelled X509 CRL (as Fabric CA and openssl write it)."
  command -v jq >/dev/null || die "revoke-crl needs jq."
  local i found=""
  for i in "${!PEER_MSPIDS[@]}"; do
    if [ "${PEER_MSPIDS[$i]}" = "$GATEWAY_ORG" ]; then found=$i; break; fi
  done
  [ -n "$found" ] || die "No peer of $GATEWAY_ORG in this network."
  local dir log="$WORK/logs/config-update.log"
  dir="$WORK/config-update/$GATEWAY_ORG-$(date +%s)"
  mkdir -p "$dir"
  step "Putting the CRL into $GATEWAY_ORG's MSP in the $CHANNEL config" "$log"
  as_peer_admin "$found"
  local -a orderer
  mapfile -t orderer < <(orderer_flags)
  peer channel fetch config "$dir/config_block.pb" -c "$CHANNEL" "${orderer[@]}" >>"$log" 2>&1
  configtxlator proto_decode --input "$dir/config_block.pb" --type common.Block --output "$dir/config_block.json"
  jq '.data.data[0].payload.data.config' "$dir/config_block.json" >"$dir/config.json"
  jq -e --arg org "$GATEWAY_ORG" '.channel_group.groups.Application.groups[$org].values.MSP' "$dir/config.json" >/dev/null ||
    die "$GATEWAY_ORG is not an application organisation of $CHANNEL."
  jq --arg org "$GATEWAY_ORG" --arg crl "$(base64 -w0 "$CRL_FILE")" \
    '.channel_group.groups.Application.groups[$org].values.MSP.value.config.revocation_list = [$crl]' "$dir/config.json" >"$dir/modified.json"
  configtxlator proto_encode --input "$dir/config.json" --type common.Config --output "$dir/config.pb"
  configtxlator proto_encode --input "$dir/modified.json" --type common.Config --output "$dir/modified.pb"
  configtxlator compute_update --channel_id "$CHANNEL" --original "$dir/config.pb" --updated "$dir/modified.pb" --output "$dir/update.pb"
  configtxlator proto_decode --input "$dir/update.pb" --type common.ConfigUpdate --output "$dir/update.json"
  jq -n --arg channel "$CHANNEL" --slurpfile update "$dir/update.json" \
    '{payload: {header: {channel_header: {channel_id: $channel, type: 2}}, data: {config_update: $update[0]}}}' >"$dir/envelope.json"
  configtxlator proto_encode --input "$dir/envelope.json" --type common.Envelope --output "$dir/envelope.pb"
  # 'peer channel update' signs the update as the local MSP: the organisation's MSP admin.
  retry 5 peer channel update -f "$dir/envelope.pb" -c "$CHANNEL" "${orderer[@]}" >>"$log" 2>&1
  step "CRL of $GATEWAY_ORG in the channel config; its peers refuse the revoked certificates"
}

# Each organisation's gateway on its own host, as the organisation would run it: the env file 'up'
# wrote (peer, TLS, identities, and on several hosts its own listen address) plus whatever auth
# source the caller's environment holds. Only on several hosts: natively every gateway would want
# the same loopback port.
cmd_gateway() {
  load_network
  case "$GATEWAY_ACTION" in
    start | stop) ;;
    *) die "Usage: scripts/network.sh gateway start|stop [--org MSP]" ;;
  esac
  if [ "${#GATEWAY_HOSTS[@]}" -eq 0 ]; then
    die "Gateways get hosts of their own only on several hosts: bring the network up with --hosts FILE (gateway.<org domain> entries)."
  fi
  local i selected=()
  for i in "${!GATEWAY_MSPIDS[@]}"; do
    if [ -z "$GATEWAY_ORG" ] || [ "$GATEWAY_ORG" = "${GATEWAY_MSPIDS[$i]}" ]; then
      selected+=("$i")
    fi
  done
  [ "${#selected[@]}" -gt 0 ] || die "--org $GATEWAY_ORG: no such organisation (one of: ${GATEWAY_MSPIDS[*]})"
  for i in "${selected[@]}"; do
    "${GATEWAY_ACTION}_gateway" "$i"
  done
}

start_gateway() {
  local i=$1
  local host=${GATEWAY_HOSTS[$i]} msp=${GATEWAY_MSPIDS[$i]} address=${GATEWAY_ADDRESSES[$i]}
  local start_js=$ROOT/gateway/dist/start.js pid_file=$WORK/pids/${GATEWAY_HOSTS[$i]}.pid
  [ -f "$start_js" ] || die "$start_js not found: run 'npm run build' first."
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    step "The gateway of $msp already runs (pid $(cat "$pid_file")) on $address"
    return 0
  fi
  if [ -n "$NETNS_PREFIX" ]; then
    check_namespaces "$host" || exit 1
  fi
  if (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null; then
    die "$address (for the gateway of $msp) is already in use."
  fi
  step "Starting the gateway of $msp on $address" "$WORK/logs/$host.log"
  mkdir -p "${GATEWAY_DATA[$i]}"
  (
    # Line by line rather than sourced: a value is taken as it stands, spaces and all.
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      [ -n "$line" ] && export "${line?}"
    done <"$WORK/gateway/$msp.env"
    export HEALTHLEDGER_DATA_DIR=${GATEWAY_DATA[$i]}
    # Through gateway-node.sh: the memory settings `npm start` runs under (docs/performance.md, "Memory bounds").
    start_node "$host" bash "$ROOT/scripts/gateway-node.sh" "$start_js"
  )
  # The gateway listens once its event feed has its checkpoint; an auth or config fault exits first.
  wait_for_port "$address" "$host"
  step "Gateway of $msp: http://$address"
}

stop_gateway() {
  local i=$1
  local pid_file=$WORK/pids/${GATEWAY_HOSTS[$i]}.pid
  if [ ! -f "$pid_file" ]; then
    step "The gateway of ${GATEWAY_MSPIDS[$i]} is not running"
    return 0
  fi
  step "Stopping the gateway of ${GATEWAY_MSPIDS[$i]} (pid $(cat "$pid_file"))"
  # Waits until it is gone, so that a restart finds its port free; it drains requests on SIGTERM.
  stop_pid "$(cat "$pid_file")"
  rm -f "$pid_file"
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
  if (resolve_binaries) 2>/dev/null; then
    resolve_binaries
    as_peer_admin 0
    peer channel getinfo -c "$CHANNEL" 2>/dev/null || echo "channel $CHANNEL: peer not reachable"
    peer lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME" 2>/dev/null || echo "chaincode $CC_NAME: not committed"
  fi
}

cmd_stop() {
  step "Stopping recorded processes"
  if [ -f "$WORK/compose.yaml" ] && command -v docker >/dev/null 2>&1; then
    docker compose -f "$WORK/compose.yaml" stop >/dev/null 2>&1 || true
  fi
  stop_recorded
  step "Stopped; logs and ledgers stay in $WORK ('scripts/network.sh down' removes them)"
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
      --hosts)
        [ -f "${2:-}" ] || die "--hosts: no such file: ${2:-}"
        HOSTS_FILE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
        shift
        ;;
      --netns) USE_NETNS=1 ;;
      --version) NEW_VERSION=$2; shift ;;
      --org) GATEWAY_ORG=$2; shift ;;
      --crl) CRL_FILE=$2; shift ;;
      start | stop)
        if [ "$command" != gateway ] || [ -n "$GATEWAY_ACTION" ]; then
          die "Unknown argument: $1 (see --help)"
        fi
        GATEWAY_ACTION=$1
        ;;
      -h | --help) usage; exit 0 ;;
      *) die "Unknown option: $1 (see --help)" ;;
    esac
    shift
  done
  case "$command" in
    up) cmd_up ;;
    down) cmd_down ;;
    stop) cmd_stop ;;
    deploy) cmd_deploy ;;
    upgrade) cmd_upgrade ;;
    gateway) cmd_gateway ;;
    status) cmd_status ;;
    revoke-crl) cmd_revoke_crl ;;
    -h | --help | help) usage ;;
    *) usage; exit 1 ;;
  esac
}

main "$@"
