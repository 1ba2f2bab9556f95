#!/usr/bin/env bash
# MoE power-gating study (issue: MoE with power-gated experts). Imports one MoE decoder layer of
# Mixtral-8x7B and of OLMoE-1B-7B for prefill (64-token prompts) and decode (8 tokens after a
# 512-token context) at batch 1, 8 and 64 into configs/studies/moe_gating_workloads/, runs the
# sweep configs/studies/moe_gating.yaml (gating policy x idle timeout x routing skew on the
# 8x8 HBM accelerator), and draws docs/figures/moe_gating*.{pdf,png}. `--memory jedec-packet`
# runs the same points on the `jedec` DRAM and `packet` NoC models instead
# (configs/studies/moe_gating_jedec_packet.yaml; store out/sweeps/moe_gating_jedec_packet, figures
# in out/studies/moe_gating_jedec_packet/; docs/STUDIES_MEMORY.md).
#   bash tools/study_moe_gating.sh [--build DIR] [-j N] [--memory simple|jedec-packet]
# Options in any order (tools/study_options.sh); $PJSIM names the executable instead of --build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$here/tools/study_options.sh"
study_options study_moe_gating.sh 1 "" -- "$@"
pjsim=$study_pjsim
jobs=${study_jobs:-$(nproc)}
figure_args=()
if [ "$study_memory" = jedec-packet ]; then
  figure_args=("$here/configs/studies/moe_gating_jedec_packet.yaml" --name moe_gating_jedec_packet
    --out "$here/out/studies/moe_gating_jedec_packet")
fi
out=$here/configs/studies/moe_gating_workloads
mkdir -p "$out"
for model in Mixtral-8x7B-v0.1 OLMoE-1B-7B-0924; do
  short=${model%%-*}
  for batch in 1 8 64; do
    # Relative to the repository, so the generated files' header does not name this checkout.
    (cd "$here" && "$pjsim" import-hf "workloads/hf/$model.config.json" --layers 1 --no-lm-head \
      --phase prefill --seq 64 --batch "$batch" -o "$out/$short.prefill.b$batch.yaml" >/dev/null)
    (cd "$here" && "$pjsim" import-hf "workloads/hf/$model.config.json" --layers 1 --no-lm-head \
      --phase decode --seq 512 --decode-tokens 8 --batch "$batch" \
      -o "$out/$short.decode.b$batch.yaml" >/dev/null)
  done
done
PJSIM=$pjsim python3 "$here/tools/figures/moe_gating.py" ${figure_args[@]+"${figure_args[@]}"} -j "$jobs"
