#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer its own layer does not depend on.

The layer table (written by CMake from the pjsim_layer() calls, one line per layer):
    NAME DIR RECURSIVE DEP1,DEP2,...
A file belongs to the layer whose DIR holds it (the deepest one); an include "a/b/c.h" belongs to
the layer whose DIR holds a/b/c.h. A layer may include its own headers and those of every layer
it reaches through its dependencies; any other include is a back-edge (or a missing dependency)
and is reported as file:line. Includes outside every layer (system, generated, rtl/) are free.
    tools/check_layers.py LAYERS.txt [--root SOURCE_DIR]
Exit 0 when clean, 1 with one line per offending include otherwise, 2 on a bad table.
"""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def read_table(path):
    layers = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) not in (3, 4):
                sys.exit(f"{path}:{number}: expected 'NAME DIR RECURSIVE DEPS', got {line.strip()!r}")
            name, folder, recursive = fields[:3]
            deps = [d for d in fields[3].split(",") if d] if len(fields) == 4 else []
            layers[name] = (folder.rstrip("/"), recursive == "1", deps)
    for name, (_, _, deps) in layers.items():
        for d in deps:
            if d not in layers:
                sys.exit(f"{path}: layer '{name}' depends on unknown layer '{d}'")
    return layers


def reachable(layers):
    closure = {}

    def visit(name, stack):
        if name in closure:
            return closure[name]
        if name in stack:
            sys.exit("layer cycle: " + " -> ".join(stack + [name]))
        seen = {name}
        for d in layers[name][2]:
            seen |= visit(d, stack + [name])
        closure[name] = seen
        return seen

    for name in layers:
        visit(name, [])
    return closure


def owner(path, layers):
    """The layer whose folder holds `path` (relative to the root), or None."""
    best = None
    for name, (folder, recursive, _) in layers.items():
        parent = os.path.dirname(path)
        if parent == folder or (recursive and path.startswith(folder + "/")):
            if best is None or len(folder) > len(layers[best][0]):
                best = name
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table")
    parser.add_argument("--root", default=".")
    args = parser.parse_args()
    layers = read_table(args.table)
    allowed = reachable(layers)
    problems = []
    for name, (folder, recursive, _) in sorted(layers.items()):
        top = os.path.join(args.root, folder)
        for dirpath, dirnames, filenames in os.walk(top):
            if not recursive:
                dirnames[:] = []
            for filename in sorted(filenames):
                if not filename.endswith((".h", ".cpp")):
                    continue
                full = os.path.join(dirpath, filename)
                rel = os.path.relpath(full, args.root)
                if owner(rel, layers) != name:
                    continue
                with open(full, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = owner(m.group(1), layers)
                        if target is not None and target not in allowed[name]:
                            problems.append(
                                f"{rel}:{number}: includes \"{m.group(1)}\" (layer '{target}'), "
                                f"but layer '{name}' does not depend on it")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) run against the layers; fix the include or the "
              "layer's DEPENDS in its pjsim_layer() call", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
