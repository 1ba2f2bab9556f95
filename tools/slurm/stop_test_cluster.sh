#!/usr/bin/env bash
# Stops a cluster that tools/slurm/start_test_cluster.sh started in DIR: cancels its jobs, then
# ends slurmd, slurmctld and munged by the pids they wrote (SIGTERM, SIGKILL after 10 s). DIR
# and its logs stay for inspection.
set -uo pipefail
dir=${1:?usage: stop_test_cluster.sh DIR}
export PATH="$PATH:/usr/sbin"
if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.pid" ]; then
  SLURM_CONF="$dir/slurm.conf" timeout 10 scancel --quiet --full --user=root >/dev/null 2>&1 || true
fi
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  [ -n "$pid" ] || continue
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
done
exit 0
