#!/usr/bin/env bash
# Sourced by the batch tests: N throwaway "machines" on this one, each a network namespace
# with its own address (10.77.K.2 behind a veth pair, 10.77.K.1 on the root side) and its
# own sshd (temporary host keys and config, key login with a key made here). Nothing in
# /etc/ssh or ~/.ssh is touched: clients use "ssh -F $MH_DIR/ssh_config", hosts mh1..mhN.
# Usage: mh_up DIR N (sets MH_DIR, MH_SSH, MH_LOGINS), mh_down (idempotent, for a trap).
# Needs root (CAP_NET_ADMIN): mh_up returns 77 when namespaces cannot be made.
MH_TAG="sobremh$$"
MH_NS=()
MH_PIDS=()
MH_LOCK_FD=""

mh_log() { echo "sshhosts: $*" >&2; }

# Namespaces and subnets are global to the machine: one multi-host test at a time, and
# whatever a killed earlier run left behind is removed first.
mh_lock() {
  exec {MH_LOCK_FD}>/run/lock/sobre-multihost.lock || return 1
  flock -w 300 "$MH_LOCK_FD" || { mh_log "another multi-host test holds the lock"; return 1; }
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '/^sobremh/ {print $1}'); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^smh' |
    while read -r l; do ip link del "$l" 2>/dev/null; done
  return 0
}

mh_up() {
  MH_DIR=$1
  local n=$2 k ns veth addr sshd
  sshd=$(command -v sshd || echo /usr/sbin/sshd)
  [ -x "$sshd" ] || { mh_log "sshd missing (Debian package openssh-server)"; return 77; }
  command -v ip >/dev/null || { mh_log "ip missing (iproute2)"; return 77; }
  if [ "$(id -u)" -ne 0 ] || ! ip netns add "${MH_TAG}probe" 2>/dev/null; then
    mh_log "cannot create network namespaces (needs root / CAP_NET_ADMIN)"
    return 77
  fi
  ip netns del "${MH_TAG}probe"
  mh_lock || return 1
  mkdir -p "$MH_DIR"
  # sshd refuses to start without its privilege separation folder.
  [ -d /run/sshd ] || install -d -m 755 /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$MH_DIR/client_key" -C sobre-multihost || return 1
  cp "$MH_DIR/client_key.pub" "$MH_DIR/authorized_keys"
  : >"$MH_DIR/ssh_config"
  MH_LOGINS=""
  for k in $(seq 1 "$n"); do
    ns="${MH_TAG}h$k"
    veth="smh$$h$k"
    addr="10.77.$k.2"
    ip netns add "$ns" || return 1
    MH_NS+=("$ns")
    ip link add "${veth}r" type veth peer name "${veth}n" || return 1
    ip link set "${veth}n" netns "$ns" || return 1
    ip addr add "10.77.$k.1/24" dev "${veth}r" && ip link set "${veth}r" up || return 1
    ip -n "$ns" addr add "$addr/24" dev "${veth}n" || return 1
    ip -n "$ns" link set "${veth}n" up && ip -n "$ns" link set lo up || return 1
    mkdir -p "$MH_DIR/h$k/home"
    ssh-keygen -q -t ed25519 -N '' -f "$MH_DIR/h$k/host_key" -C "mh$k" || return 1
    cat >"$MH_DIR/h$k/sshd_config" <<CFG
ListenAddress $addr:22
HostKey $MH_DIR/h$k/host_key
PidFile $MH_DIR/h$k/sshd.pid
AuthorizedKeysFile $MH_DIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
MaxStartups 64
MaxSessions 64
LogLevel ERROR
Subsystem sftp internal-sftp
# Each host has its own home in the test folder (GNU Parallel's --transfer copies go to
# the login folder's .parallel/tmp): sessions start there, not in the user's real home.
SetEnv HOME=$MH_DIR/h$k/home
ForceCommand cd "\$HOME" && exec "\$SHELL" -c "\$SSH_ORIGINAL_COMMAND"
CFG
    # -D keeps sshd in the foreground so that its pid is ours to kill; -e logs to stderr.
    ip netns exec "$ns" "$sshd" -D -e -f "$MH_DIR/h$k/sshd_config" 2>"$MH_DIR/h$k/sshd.log" &
    MH_PIDS+=($!)
    cat >>"$MH_DIR/ssh_config" <<CFG
Host mh$k
  HostName $addr
  User $(id -un)
  IdentityFile $MH_DIR/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $MH_DIR/known_hosts
  StrictHostKeyChecking accept-new
  BatchMode yes
  ConnectTimeout 5
  LogLevel ERROR
  ControlMaster no
CFG
    MH_LOGINS="${MH_LOGINS:+$MH_LOGINS,}mh$k"
  done
  MH_SSH="ssh -F $MH_DIR/ssh_config"
  # Each sshd answers before the test goes on (it may take a moment to bind).
  for k in $(seq 1 "$n"); do
    for _ in $(seq 1 50); do
      $MH_SSH "mh$k" true 2>/dev/null && break
      sleep 0.1
    done
    $MH_SSH "mh$k" true || { mh_log "sshd mh$k does not answer: $(cat "$MH_DIR/h$k/sshd.log")"; return 1; }
  done
  return 0
}

mh_down() {
  local p ns
  for p in "${MH_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${MH_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  for ns in "${MH_NS[@]}"; do
    # Sessions still open in the namespace (a job cut by the timeout) go with it.
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  # A namespace lives on while a process is still in it: drop the root ends of the pairs
  # (which drops both ends) rather than wait for that.
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep "^smh$$h" |
    while read -r l; do ip link del "$l" 2>/dev/null; done
  MH_PIDS=()
  MH_NS=()
  [ -n "$MH_LOCK_FD" ] && exec {MH_LOCK_FD}>&-
  MH_LOCK_FD=""
  return 0
}
