#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`sparq-explore --svg FILE` draws what `--json` prints: parse both and compare.

Runs sparq-explore on a small synthetic matrix with --json and --svg, parses the SVG as XML and
checks that it is self-contained (no scripts, no external references), that it has the two panels,
one point per format whose data attributes equal the JSON numbers and whose position orders the
formats as their bits per weight and SNR do, and one bar per measured GEMV mode whose width is
proportional to its GB/s. Usage: explore_svg.py PATH/TO/sparq-explore WORKDIR
"""
import json
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from checks import check, finish  # tests/interop/checks.py, beside this script

EXPLORE, WORKDIR = sys.argv[1], sys.argv[2]
NS = "{http://www.w3.org/2000/svg}"
def number(text):
    return float(text)  # float() reads "inf" and "nan" too


svg_path = os.path.join(WORKDIR, "explore_svg.svg")
if os.path.exists(svg_path):
    os.remove(svg_path)
formats = "mxfp4,nvfp4,int4_g32,int8_g32,float8_e4m3fn,bfloat16"
run = subprocess.run([EXPLORE, "--rows", "64", "--cols", "320", "--quiet", "--json", "--formats", formats,
                      "--svg", svg_path], stdout=subprocess.PIPE, check=True)
table = {f["format"]: f for f in json.loads(run.stdout)["formats"]}
check(sorted(table) == sorted(formats.split(",")), f"JSON formats {sorted(table)}")

root = ET.parse(svg_path).getroot()
check(root.tag == NS + "svg", f"root element {root.tag}")
check(float(root.get("width")) > 0 and float(root.get("height")) > 0, "width and height")
for el in root.iter():
    check(el.tag != NS + "script", "no script")
    for key in el.attrib:
        check(not key.endswith("href"), f"no external reference ({key} on {el.tag})")
panels = {g.get("id") for g in root.iter(NS + "g") if g.get("class") == "panel"}
check(panels == {"snr-vs-bits", "gemv-speed"}, f"panels {panels}")

points = {}
for g in root.iter(NS + "g"):
    if g.get("class") == "point":
        circle = g.find(NS + "circle")
        points[g.get("data-format")] = (number(g.get("data-bits")), number(g.get("data-snr")),
                                        float(circle.get("cx")), float(circle.get("cy")))
check(sorted(points) == sorted(table), f"one point per format: {sorted(points)}")
for name, (bits, snr, cx, cy) in points.items():
    j = table[name]
    check(abs(bits - j["bits_per_weight"]) < 1e-3, f"{name}: bits {bits} vs JSON {j['bits_per_weight']}")
    if j["snr_db"] is None:
        check(math.isinf(snr), f"{name}: JSON SNR null (exact), SVG {snr}")
    else:
        check(abs(snr - j["snr_db"]) < 0.01, f"{name}: SNR {snr} vs JSON {j['snr_db']}")
names = sorted(points)
for a in names:
    for b in names:
        pa, pb = points[a], points[b]
        if pa[0] < pb[0] - 1e-9:
            check(pa[2] < pb[2], f"{a} left of {b} (fewer bits)")
        if math.isfinite(pa[1]) and math.isfinite(pb[1]) and pa[1] > pb[1] + 1e-9:
            check(pa[3] < pb[3], f"{a} above {b} (higher SNR)")

bars = {}
for r in root.iter(NS + "rect"):
    if r.get("class") == "bar":
        bars[(r.get("data-format"), r.get("data-mode"))] = (number(r.get("data-gbs")), float(r.get("width")))
for name, j in table.items():
    check((name, "exact") in bars, f"{name}: an exact-mode bar")
    check(((name, "int8_activations") in bars) == (j["gemv_int8_gbs"] is not None),
          f"{name}: an int8_activations bar exactly when measured")
pixels_per_gbs = [w / g for (g, w) in bars.values() if g > 0]
check(len(pixels_per_gbs) > 0 and max(pixels_per_gbs) - min(pixels_per_gbs) < 0.05 * max(pixels_per_gbs),
      f"bar widths proportional to GB/s: {pixels_per_gbs}")
for (name, mode), (gbs, _) in bars.items():
    key = "gemv_gbs" if mode == "exact" else "gemv_int8_gbs"
    check(abs(gbs - table[name][key]) <= 0.006, f"{name} {mode}: {gbs} GB/s vs JSON {table[name][key]}")

finish()
