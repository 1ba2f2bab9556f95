#!/usr/bin/env bash
# Starts a throw-away single-node Slurm cluster for the tests (tests/slurm/): munged with a
# generated key, slurmctld and slurmd of Debian's slurm-wlm, controller and node on 127.0.0.1,
# everything (config, key, sockets, state, logs) in one new directory under ${TMPDIR:-/tmp}.
# No cgroups (proctrack/linuxproc, task/none), so it runs in a container as root.
#   bash tools/slurm/start_test_cluster.sh      -> prints the directory; its slurm.conf is
#                                                  what SLURM_CONF must name for sbatch & co.
#   bash tools/slurm/stop_test_cluster.sh DIR   -> stops it (the tests always do)
# Exit status: 0 running; 1 slurm-wlm or munge is not installed (tools/bootstrap.sh installs
# them); 77 the daemons cannot start here (the reason, from their logs, on stderr).
set -euo pipefail

for tool in munged slurmctld slurmd sbatch squeue sinfo scancel; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "start_test_cluster: '$tool' is missing: install slurm-wlm and munge" \
      "(apt-get install slurm-wlm munge, or bash tools/bootstrap.sh)" >&2
    exit 1
  fi
done
export PATH="$PATH:/usr/sbin"

# The munge socket's path must stay short (108 bytes), hence a directory of its own in /tmp.
dir=$(mktemp -d "${TMPDIR:-/tmp}/pjsim-slurm.XXXXXX")
chmod 755 "$dir"  # munged wants the socket's directory searchable by all
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 755 "$dir/munge"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge/munge.key"

cannot_start() {  # $1: what failed; then the last lines of its log
  echo "start_test_cluster: $1 cannot start in this environment:" >&2
  [ -f "${2:-}" ] && tail -n 5 "$2" | sed 's/^/  /' >&2
  bash "$(dirname "${BASH_SOURCE[0]}")/stop_test_cluster.sh" "$dir" >/dev/null 2>&1 || true
  exit 77
}

# Two free TCP ports on the loopback for slurmctld and slurmd.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')

munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
  --seed-file="$dir/munge/munged.seed" || cannot_start munged "$dir/munge/munged.log"

cpus=$(nproc)
cat >"$dir/slurm.conf" <<CONF
# Written by tools/slurm/start_test_cluster.sh: one node, controller and node on 127.0.0.1.
ClusterName=pjsimtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups in a container: plain process tracking, no task binding, no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
# FIFO scheduling at each submission and completion, one CPU per task.
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
KillWait=5
NodeName=pjsimnode NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=pjsimnode Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -f "$SLURM_CONF" -i || cannot_start slurmctld "$dir/log/slurmctld.log"
slurmd -f "$SLURM_CONF" -N pjsimnode || cannot_start slurmd "$dir/log/slurmd.log"

# Ready when the node is idle (up to 30 s).
for _ in $(seq 150); do
  state=$(sinfo --noheader --nodes=pjsimnode --format=%t 2>/dev/null || true)
  if [ "$state" = idle ]; then
    echo "$dir"
    exit 0
  fi
  sleep 0.2
done
log="$dir/log/slurmd.log"
[ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null ||
  log="$dir/log/slurmctld.log"
cannot_start "the node (state '${state:-unknown}' after 30 s)" "$log"
