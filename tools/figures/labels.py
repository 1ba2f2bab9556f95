"""The one map from raw config keys and results.csv columns to the words a figure prints.

Every figure script names an axis, a legend title or a metric through `text(key)` (or
`quantity(key)` and `unit(key)` when it rescales the unit itself), never by its raw key; the
checklist (checklist.py) fails a figure whose text still carries a raw key. A key missing here
still reads as words (its last component, underscores as spaces), so a new sweep axis never
prints 'arch.x.y'; add it here to give it its proper name and unit.
"""

import re

# key -> (quantity, unit); unit "" for names of categories (DRAM type, routing, ...).
LABELS = {
    # Axes of the shipped sweeps and studies.
    "arch": ("Accelerator", ""),
    "tech": ("Technology node", ""),
    "workload": ("Workload", ""),
    "arch.tile.rows": ("PE array rows", ""),
    "arch.tile.cols": ("PE array columns", ""),
    "arch.tile.sram.capacity": ("SRAM per tile", "KiB"),
    "arch.tile.spike_batch": ("Spike batch B", "slots"),
    "arch.tile.zero_gating": ("Zero gating", ""),
    "arch.mesh.width": ("Mesh width", "tiles"),
    "arch.mesh.height": ("Mesh height", "tiles"),
    "arch.dram.type": ("DRAM type", ""),
    "arch.dram.channel_bandwidth": ("DRAM channel bandwidth", "GB/s"),
    "arch.mapping.objective": ("Mapping objective", ""),
    "arch.power_gating.policy": ("Gating policy", ""),
    "arch.power_gating.timeout": ("Idle timeout", "cycles"),
    "tech.scaling.leakage": ("Leakage scale", "x"),
    "tech.scaling.sram_leakage": ("SRAM leakage scale", "x"),
    "workload.dtype": ("Data type", ""),
    "workload.arithmetic": ("Arithmetic", ""),
    "workload.routing.source": ("Expert routing", ""),
    "workload.spiking.input_rate": ("Input firing rate", "fraction"),
    "workload.spiking.correlation": ("Spike-train correlation", ""),
    "workload.activation_sparsity": ("Activation sparsity", ""),
    "workload.activation_bits": ("Activation width", "bits"),
    "workload.spiking.timesteps": ("Timesteps T", ""),
    "workload.layers.512.arithmetic": ("LM-head arithmetic", ""),
    # Metrics (results.csv columns and derived columns of the shipped specs).
    "total.energy_pj": ("Energy", "pJ"),
    "total.seconds": ("Latency", "s"),
    "total.cycles": ("Cycles", "cycles"),
    "total.compute_utilization": ("Compute utilization", ""),
    "total.macs": ("MACs", "MAC"),
    "energy_per_token_uj": ("Energy per token", "µJ/token"),
    "latency_per_token_us": ("Latency per token", "µs/token"),
    "tops_per_w": ("Efficiency", "TOPS/W"),
    "area_mm2": ("Area", "mm²"),
    "peak_tops_per_mm2": ("Peak throughput per area", "TOPS/mm²"),
    "tokens_per_s_per_mm2": ("Throughput per area", "tokens/s/mm²"),
    "carbon.per_token_g": ("Carbon per token", "g CO₂e"),
    "carbon.per_million_tokens_g": ("Carbon per million tokens", "g CO₂e"),
    "carbon.per_inference_g": ("Carbon per inference", "g CO₂e"),
}

# Words for raw values a legend may show (routing sources, policies).
VALUES = {
    "uniform": "uniform",
    "zipf": "Zipf-skewed",
    "never": "never gate",
    "immediate": "gate at once",
    "oracle": "oracle",
}


def _fallback(key):
    last = key.split(".")[-1]
    words = re.sub(r"_+", " ", last).strip()
    return (words[:1].upper() + words[1:]) if words else key


def quantity(key):
    return LABELS[key][0] if key in LABELS else _fallback(key)


def unit(key, store_unit=""):
    """The unit to print: the map's, else the store's (sweep.json axis unit)."""
    if key in LABELS and LABELS[key][1]:
        return LABELS[key][1]
    return store_unit or ""


def text(key, store_unit=""):
    """'SRAM per tile (KiB)' for 'arch.tile.sram.capacity'; no parentheses without a unit."""
    u = unit(key, store_unit)
    return f"{quantity(key)} ({u})" if u else quantity(key)


def value(raw):
    return VALUES.get(raw, raw)
