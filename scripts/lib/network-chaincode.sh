# shellcheck shell=bash
# scripts/network.sh, part 2: the chaincode lifecycle (package as a service, install, approve,
# commit, start the chaincode server) as each organisation's admin. Sourced by network.sh.

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

# The flags of the first orderer that accepts connections: with a Raft cluster, lifecycle
# transactions still go through while one orderer is down.
orderer_flags() {
  local i address
  for i in "${!ORDERER_ADDRESSES[@]}"; do
    address=${ORDERER_ADDRESSES[$i]}
    if (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null; then
      printf '%s\n' -o "$address" --ordererTLSHostnameOverride "${ORDERER_HOSTS[$i]}" --tls --cafile "$ORDERER_TLS_CA"
      return 0
    fi
  done
  printf '%s\n' -o "$ORDERER_ADDRESS" --ordererTLSHostnameOverride "$ORDERER_HOST" --tls --cafile "$ORDERER_TLS_CA"
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
    install_package "$i" "$pkg" "$package_id" "$log"
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

  step "Starting the chaincode server ($package_id on $CC_LISTEN)" "$WORK/logs/chaincode.log"
  if [ -f "$WORK/pids/chaincode.pid" ]; then
    stop_pid "$(cat "$WORK/pids/chaincode.pid")"
  fi
  # HEALTHLEDGER_CHAINCODE_DIR serves another chaincode module under the consortium's definition
  # (the conformance suite's probe chaincode); by default the healthledger chaincode.
  CHAINCODE_ID=$package_id CHAINCODE_SERVER_ADDRESS=$CC_LISTEN start_node chaincode \
    node "$ROOT/node_modules/.bin/fabric-chaincode-node" server --chaincode-address "$CC_LISTEN" --chaincode-id "$package_id" \
    --module-path "${HEALTHLEDGER_CHAINCODE_DIR:-$ROOT/chaincode}"
  step "Waiting for the chaincode server to listen"
  wait_for_port "$CC_LISTEN" chaincode
  printf '%s\n%s\n' "$version" "$sequence" >"$WORK/chaincode/committed"
  wait_for_gossip
  step "Chaincode $CC_NAME $version (sequence $sequence) committed on $CHANNEL"
}

# Installs the package on peer i. A peer that already has this very package (deploy or upgrade run
# again) refuses a second install; that is success only if queryinstalled lists the package id.
# Any other refusal (no builder claimed the package, a peer down) fails the step.
install_package() {
  local i=$1 pkg=$2 package_id=$3 log=$4
  as_peer_admin "$i"
  peer lifecycle chaincode install "$pkg" >>"$log" 2>&1 && return 0
  local installed
  # Its own error would repeat the install's (same peer): only the install's goes to the log.
  installed=$(peer lifecycle chaincode queryinstalled 2>/dev/null) || return 1
  printf '%s\n' "$installed" >>"$log"
  if grep -qF "Package ID: $package_id," <<<"$installed"; then
    printf '         %s already has %s\n' "${PEER_HOSTS[$i]}" "$package_id"
    return 0
  fi
  return 1
}
