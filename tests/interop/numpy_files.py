#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""sparq-explore reads files written by NumPy and ml_dtypes (an independent writer).

Writes float32, float16 and bfloat16 (ml_dtypes) .npy files, a Fortran-order array, and a
safetensors file, runs `sparq-explore --json` on each and checks the shape, dtype and that the
bfloat16 round trip of float32 data is as exact as bfloat16 allows. Exit 77 (ctest skip) without
numpy or ml_dtypes. Usage: numpy_files.py PATH/TO/sparq-explore
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

from checks import check, finish  # tests/interop/checks.py, beside this script

try:
    import numpy as np
    import ml_dtypes
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e}")
    sys.exit(77)

EXPLORE = sys.argv[1]
def explore(*args):
    out = subprocess.run([EXPLORE, "--quiet", "--json", "--formats", "bfloat16,mxfp8_e4m3", *args],
                         stdout=subprocess.PIPE, check=True).stdout
    return json.loads(out)


rng = np.random.default_rng(3)
w = (rng.standard_normal((48, 96)) * 0.02).astype(np.float32)
with tempfile.TemporaryDirectory() as d:
    for dt, name in [(np.float32, "float32"), (np.float16, "float16"), (ml_dtypes.bfloat16, "bfloat16")]:
        p = os.path.join(d, f"w_{name}.npy")
        np.save(p, w.astype(dt))
        r = explore("--npy", p)
        m = r["matrix"]
        check(m["rows"] == 48 and m["cols"] == 96 and m["dtype"] == name, f"{name}: {m}")
        snr = r["formats"][0]["snr_db"]
        # A bfloat16 matrix quantized to bfloat16 is exact: infinite SNR, which JSON writes as null.
        check(snr is None if name == "bfloat16" else 45 < snr < 70, f"{name}: bfloat16 SNR {snr}")
    p = os.path.join(d, "w_fortran.npy")
    np.save(p, np.asfortranarray(w))
    check(explore("--npy", p)["formats"][1]["snr_db"] == explore("--npy", os.path.join(d, "w_float32.npy"))["formats"][1]["snr_db"],
          "Fortran order reads as the same matrix")
    # safetensors: 8-byte little-endian header length, JSON header, raw little-endian data.
    data = w.astype(np.float16).tobytes()
    header = json.dumps({"layer.weight": {"dtype": "F16", "shape": [48, 96], "data_offsets": [0, len(data)]}}).encode()
    p = os.path.join(d, "m.safetensors")
    with open(p, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)
    r = explore("--safetensors", p, "--tensor", "layer.weight")
    check(r["matrix"]["rows"] == 48 and r["matrix"]["dtype"] == "float16", f"safetensors: {r['matrix']}")
    bad = subprocess.run([EXPLORE, "--quiet", "--safetensors", p, "--tensor", "missing"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(bad.returncode != 0 and b"no tensor 'missing'; the file has:" in bad.stderr, "a missing tensor is a clear error")
    # GGUF (written by gguf-py, ggml's package, where it is installed): the list, then one tensor.
    try:
        import gguf
    except ImportError:
        gguf = None
        print("gguf-py missing: the --gguf case is skipped")
    if gguf is not None:
        p = os.path.join(d, "m.gguf")
        g = gguf.GGUFWriter(p, "llama")
        g.add_tensor("blk.0.ffn_up.weight", gguf.quants.quantize(w, gguf.GGMLQuantizationType.Q4_0),
                     raw_dtype=gguf.GGMLQuantizationType.Q4_0)
        g.add_tensor("norm", w[0])
        g.write_header_to_file()
        g.write_kv_data_to_file()
        g.write_tensors_to_file()
        g.close()
        listing = json.loads(subprocess.run([EXPLORE, "--quiet", "--json", "--gguf", p], stdout=subprocess.PIPE,
                                            check=True).stdout)
        names = [(t["name"], t["type"], t["rows"], t["cols"]) for t in listing["tensors"]]
        check(names == [("blk.0.ffn_up.weight", "Q4_0", 48, 96), ("norm", "F32", 1, 96)], f"gguf list: {names}")
        r = explore("--gguf", p, "--tensor", "blk.0.ffn_up.weight")
        check(r["matrix"]["rows"] == 48 and r["matrix"]["dtype"] == "Q4_0", f"gguf: {r['matrix']}")

finish()
