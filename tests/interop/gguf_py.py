#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""sparq reads GGUF files written by gguf-py (ggml's own Python package, an independent writer).

gguf-py quantizes random and LLM-like matrices (Gaussian body, heavy-tailed outlier columns) to
Q8_0, Q4_0 and MXFP4 with its own quantizers, stores F32, F16 and BF16 tensors and metadata of
every GGUF type (nested arrays too), and writes the file; Q4_1, Q4_K, Q5_K and Q6_K tensors of
random block bytes (gguf-py only dequantizes the K-quants) ride along. `gguf_dump` (tests/support/) reads it
with sparq: the metadata must equal what was written, each tensor's dims must be gguf-py's, its
dequantized values must equal gguf-py's dequantize bit for bit, and sparq::gemm on it must pass the
dump's bound and prepack checks. Then sparq writes a file (gguf_dump requantize) that gguf-py
reads: the same metadata, F32 tensors quantized by sparq::ggml::quantize equal to gguf-py's
quantizers byte for byte, and sparq's own int8/int4 group and MXFP4 matrices, written as ggml
blocks, read by gguf-py as the values sparq dequantizes. Exit 77 (ctest skip) without numpy or gguf.
Usage: gguf_py.py PATH/TO/gguf_dump
"""
import json
import os
import subprocess
import sys
import tempfile

from checks import check, finish  # tests/interop/checks.py, beside this script

try:
    import numpy as np
    import gguf
    from gguf import GGMLQuantizationType as Q
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e}")
    sys.exit(77)

DUMP = sys.argv[1]
rng = np.random.default_rng(11)


def llm_like(n, k):
    w = rng.standard_normal((n, k)).astype(np.float32) * 0.02
    cols = rng.choice(k, size=max(1, k // 100), replace=False)
    w[:, cols] *= rng.standard_t(2, size=(n, len(cols))).astype(np.float32) * 10
    return w


meta = {
    "sparq.u8": ("add_uint8", 250, "uint8"),
    "sparq.i8": ("add_int8", -100, "int8"),
    "sparq.u16": ("add_uint16", 60000, "uint16"),
    "sparq.i16": ("add_int16", -30000, "int16"),
    "sparq.u32": ("add_uint32", 4000000000, "uint32"),
    "sparq.i32": ("add_int32", -2000000000, "int32"),
    "sparq.f32": ("add_float32", 0.1, "float32"),
    "sparq.u64": ("add_uint64", 2**63 + 5, "uint64"),
    "sparq.i64": ("add_int64", -(2**62), "int64"),
    "sparq.f64": ("add_float64", 1.0 / 3.0, "float64"),
    "sparq.bool": ("add_bool", True, "bool"),
    "sparq.str": ("add_string", 'quote " backslash \\ and \u00e9', "string"),
    "sparq.tokens": ("add_array", ["<s>", "</s>", "hello", "w\u00f6rld"], "array"),
    "sparq.ints": ("add_array", [1, -2, 3], "array"),
    "sparq.nested": ("add_array", [[1, 2], [3]], "array"),
}

tensors = []  # (name, qtype, data as stored, numpy shape of the values)
for name, qtype, shape, fn in [
    ("q8_0.random", Q.Q8_0, (7, 96), lambda s: rng.uniform(-3, 3, s).astype(np.float32)),
    ("q8_0.llm", Q.Q8_0, (64, 256), lambda s: llm_like(*s)),
    ("q4_0.random", Q.Q4_0, (9, 64), lambda s: rng.uniform(-3, 3, s).astype(np.float32)),
    ("q4_0.llm", Q.Q4_0, (64, 256), lambda s: llm_like(*s)),
    ("mxfp4.random", Q.MXFP4, (5, 128), lambda s: rng.uniform(-100, 100, s).astype(np.float32)),
    ("mxfp4.llm", Q.MXFP4, (64, 256), lambda s: llm_like(*s)),
    ("f32.llm", Q.F32, (16, 64), lambda s: llm_like(*s)),
    ("f16.llm", Q.F16, (16, 64), lambda s: llm_like(*s)),
    ("bf16.llm", Q.BF16, (16, 64), lambda s: llm_like(*s)),
    ("blk.0.attn_k.weight", Q.Q4_0, (3, 2, 32), lambda s: rng.uniform(-1, 1, s).astype(np.float32)),
]:
    values = fn(shape)
    tensors.append((name, qtype, gguf.quants.quantize(values, qtype), shape))
# Random block bytes (every code, MXFP4's -0 among them) with finite scales.
for name, qtype, nbytes, fix in [
    ("q8_0.bytes", Q.Q8_0, 34, lambda b: b[:, 1].__setitem__(slice(None), rng.integers(0x04, 0x58, len(b)))),
    ("q4_0.bytes", Q.Q4_0, 18, lambda b: b[:, 1].__setitem__(slice(None), rng.integers(0x04, 0x58, len(b)))),
    ("mxfp4.bytes", Q.MXFP4, 17, lambda b: b[:, 0].__setitem__(slice(None), rng.integers(0, 255, len(b)))),
]:
    blocks = rng.integers(0, 256, size=(6 * 4, nbytes), dtype=np.uint8)
    fix(blocks)
    tensors.append((name, qtype, blocks.reshape(6, 4 * nbytes), (6, 128)))
# NVFP4: four E4M3 scale bytes per 64 values (not 0xFF, which ggml reads as 480 and E4M3 cannot
# hold; bit 7 set and 0x7F are in), then random codes.
nv = rng.integers(0, 256, size=(5 * 4, 36), dtype=np.uint8)
nv[:, 0:4] = rng.integers(0, 255, size=(20, 4))
nv[0, 0:4] = [0x7F, 0x80, 0x85, 0xFE]
tensors.append(("nvfp4.bytes", Q.NVFP4, nv.reshape(5, -1), (5, 256)))
# Q4_1 and the K-quants (gguf-py only dequantizes the K-quants): random block bytes with finite
# float16 scales and offsets at the positions each type keeps them.
def halves(n, count):
    return np.frombuffer(rng.uniform(-0.05, 0.05, n * count).astype(np.float16).tobytes(), dtype=np.uint8).reshape(n, 2 * count)
for name, qtype, nbytes, at, count, shape in [
    ("q4_1.bytes", Q.Q4_1, 20, 0, 2, (4, 96)),
    ("q4_k.bytes", Q.Q4_K, 144, 0, 2, (3, 512)),
    ("q5_k.bytes", Q.Q5_K, 176, 0, 2, (3, 512)),
    ("q6_k.bytes", Q.Q6_K, 210, 208, 1, (3, 512)),
]:
    nb = shape[0] * shape[1] // (32 if qtype == Q.Q4_1 else 256)
    blocks = rng.integers(0, 256, size=(nb, nbytes), dtype=np.uint8)
    blocks[:, at:at + 2 * count] = halves(nb, count)
    tensors.append((name, qtype, blocks.reshape(shape[0], -1), shape))
# Q4_1 from gguf-py's quantizer too.
tensors.append(("q4_1.llm", Q.Q4_1, gguf.quants.quantize(llm_like(16, 256), Q.Q4_1), (16, 256)))

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "model.gguf")
    w = gguf.GGUFWriter(path, "llama")
    for key, (method, value, _) in meta.items():
        getattr(w, method)(key, value)
    for name, qtype, data, shape in tensors:
        if qtype in (Q.F32, Q.F16):
            w.add_tensor(name, data)
        else:
            w.add_tensor(name, data, raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    out = subprocess.run([DUMP, path, d], stdout=subprocess.PIPE, check=False)
    check(out.returncode == 0, f"gguf_dump exit code {out.returncode}: {out.stdout[:400]!r}")
    r = json.loads(out.stdout)
    check(r["version"] == 3, f"version {r['version']}")
    check(r["alignment"] == 32, f"alignment {r['alignment']}")
    m = r["metadata"]
    check(m["general.architecture"]["value"] == "llama", "general.architecture")
    for key, (_, value, tname) in meta.items():
        check(key in m, f"metadata {key} missing")
        if key not in m:
            continue
        check(m[key]["type"] == tname, f"{key}: type {m[key]['type']}, expected {tname}")
        got = m[key]["value"]
        want = float(np.float32(value)) if tname == "float32" else value
        check(got == want, f"{key}: {got!r}, expected {want!r}")

    check(len(r["tensors"]) == len(tensors), "tensor count")
    for i, (name, qtype, data, shape) in enumerate(tensors):
        t = r["tensors"][i]
        check(t["name"] == name, f"tensor {i}: name {t['name']}")
        check(t["type"] == qtype.name, f"{name}: type {t['type']}, expected {qtype.name}")
        check(t["dims"] == list(reversed(shape)), f"{name}: dims {t['dims']}, expected {list(reversed(shape))}")
        check(t["gemm"] == "ok", f"{name}: gemm {t['gemm']}")
        want = gguf.quants.dequantize(data, qtype).astype(np.float32).reshape(-1)
        got = np.fromfile(os.path.join(d, f"{i}.f32"), dtype=np.float32)
        check(got.size == want.size, f"{name}: {got.size} values, expected {want.size}")
        if got.size == want.size:
            same = np.array_equal(got.view(np.uint32), want.view(np.uint32))
            bad = np.flatnonzero(got.view(np.uint32) != want.view(np.uint32))
            check(same, f"{name}: {bad.size} values differ from gguf-py's, first at {bad[:1]}: "
                        f"{got[bad[:1]]} vs {want[bad[:1]]}")

    # sparq writes: the same metadata, ggml's quantizers reproduced, sparq's formats as ggml blocks.
    out_path = os.path.join(d, "requantized.gguf")
    rq = subprocess.run([DUMP, "requantize", path, out_path, d], stderr=subprocess.PIPE, check=False)
    check(rq.returncode == 0, f"gguf_dump requantize: {rq.stderr[:400]!r}")
    if rq.returncode == 0:
        rd = gguf.GGUFReader(out_path)
        fields = {f.name: f for f in rd.fields.values()}
        orig = {f.name: f for f in gguf.GGUFReader(path).fields.values()}
        for key in meta:
            check(key in fields, f"rewritten metadata {key} missing")
            if key not in fields:
                continue
            got = b"".join(np.asarray(p).tobytes() for p in fields[key].parts)
            want = b"".join(np.asarray(p).tobytes() for p in orig[key].parts)
            check(got == want, f"rewritten {key}: other bytes than gguf-py wrote")
        by_name = {t.name: t for t in rd.tensors}
        for name, qtype, data, shape in tensors:
            if qtype != Q.F32:
                continue
            values = gguf.quants.dequantize(data, Q.F32).reshape(shape)
            for suffix, q in [("q8_0", Q.Q8_0), ("q4_0", Q.Q4_0), ("mxfp4", Q.MXFP4)]:
                t = by_name.get(f"{name}.{suffix}")
                check(t is not None and t.tensor_type == q, f"{name}.{suffix}: missing or not {q.name}")
                if t is not None:
                    want = gguf.quants.quantize(values, q)
                    same = np.array_equal(np.asarray(t.data).reshape(-1), want.reshape(-1))
                    check(same, f"{name}.{suffix}: sparq::ggml::quantize differs from gguf-py's quantizer")
            for suffix, q in [("int8_g32", Q.Q8_0), ("int4_g32", Q.Q4_0), ("sparq_mxfp4", Q.MXFP4)]:
                t = by_name.get(f"{name}.{suffix}")
                check(t is not None and t.tensor_type == q, f"{name}.{suffix}: missing or not {q.name}")
                if t is not None:
                    got = gguf.quants.dequantize(np.asarray(t.data), q).astype(np.float32).reshape(-1)
                    want = np.fromfile(os.path.join(d, f"{name}.{suffix}.f32"), dtype=np.float32)
                    # Equal as numbers: ggml reads E2M1's -0 as +0 (docs/formats.md section 7).
                    check(np.array_equal(got, want), f"{name}.{suffix}: gguf-py reads other values than sparq wrote")

finish()
