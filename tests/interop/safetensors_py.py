#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""sparq reads and writes quantized safetensors checkpoints in the published conventions.

numpy + ml_dtypes build the tensors and the `safetensors` package writes the file: gpt-oss MXFP4
(Hugging Face's *_blocks / *_scales and the original .blocks / .scales names, a stack of experts
and a single matrix), NVFP4 as ModelOpt (weight, weight_scale, weight_scale_2) and as
compressed-tensors (weight_packed, weight_scale, weight_global_scale) store it, FP8 E4M3 per
tensor, per channel ([N] and [N, 1]) and with 128 x 128 block scales (weight_scale_inv, shapes that
are not multiples of 128, quantized here as DeepSeek-V3 does). `safetensors_dump` (tests/support/)
reads each weight with sparq: its dequantized values must equal this file's numpy dequantization
of the convention bit for bit, and sparq::gemm on it must pass the dump's bound and prepack
checks. Then sparq writes back what it read (byte for byte the same tensors, a file the
`safetensors` package opens), and quantizes a matrix into every convention itself (the FP8 block
codes equal numpy's DeepSeek-V3 quantizer byte for byte; every file's values, as numpy
dequantizes them, equal sparq's). Exit 77 (ctest skip) without numpy, ml_dtypes or safetensors.
Usage: safetensors_py.py PATH/TO/safetensors_dump
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
    from safetensors import safe_open
    from safetensors.numpy import save_file
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e}")
    sys.exit(77)

DUMP = sys.argv[1]
rng = np.random.default_rng(7)
E4M3 = ml_dtypes.float8_e4m3fn
FP4 = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6], dtype=np.float32)


# --- the conventions' dequantizers, written from their published reference code ---------------

def unpack_fp4(packed):  # [..., K/2] uint8, low nibble first -> [..., K] float32
    lo, hi = FP4[packed & 0x0F], FP4[packed >> 4]
    return np.stack([lo, hi], axis=-1).reshape(*packed.shape[:-1], packed.shape[-1] * 2)


def deq_gpt_oss(blocks, scales):  # gpt-oss weights.py: lut[nibbles], then ldexp by scale - 127
    v = unpack_fp4(blocks)  # [..., N, G, 32]
    v = np.ldexp(v, (scales.astype(np.int32) - 127)[..., None]).astype(np.float32)
    return v.reshape(*v.shape[:-2], -1)


def deq_nvfp4(packed, scale, glob, modelopt):
    n, k = packed.shape[0], packed.shape[1] * 2
    s = scale.astype(np.float32)
    g = np.float32(glob.reshape(-1)[0])
    block = s * g if modelopt else s / g  # ModelOpt: scale * scale_2; compressed-tensors: scale / global
    return (unpack_fp4(packed).reshape(n, k // 16, 16) * block[..., None]).reshape(n, k)


def deq_fp8(w, scale):
    n, k = w.shape
    s = scale.astype(np.float32)
    if s.ndim == 2 and s.shape[1] != 1:  # 128 x 128 blocks (DeepSeek-V3 weight_dequant)
        s = np.repeat(np.repeat(s, 128, axis=0)[:n], 128, axis=1)[:, :k]
    elif s.size == n and n != 1 or s.ndim == 2:
        s = s.reshape(n, 1)
    return w.astype(np.float32) * s


def quant_fp8_block(x):  # DeepSeek-V3: s = amax / 448 per 128 x 128 tile, q = e4m3(x / s)
    n, k = x.shape
    s = np.zeros(((n + 127) // 128, (k + 127) // 128), dtype=np.float32)
    q = np.zeros((n, k), dtype=E4M3)
    for i in range(s.shape[0]):
        for j in range(s.shape[1]):
            t = x[i * 128:(i + 1) * 128, j * 128:(j + 1) * 128]
            s[i, j] = np.float32(np.abs(t).max()) / np.float32(448)
            q[i * 128:(i + 1) * 128, j * 128:(j + 1) * 128] = (t / s[i, j] if s[i, j] > 0 else t * 0).astype(E4M3)
    return q, s


# --- raw file reading (independent of sparq; F8 has no numpy dtype in safetensors.numpy) --------

NP = {"U8": np.uint8, "F32": np.float32, "F8_E4M3": E4M3, "BF16": ml_dtypes.bfloat16, "F16": np.float16}


def read_raw(path):
    b = open(path, "rb").read()
    (n,) = struct.unpack("<Q", b[:8])
    header = json.loads(b[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        lo, hi = t["data_offsets"]
        out[name] = (t["dtype"], np.frombuffer(b[8 + n + lo:8 + n + hi], dtype=NP[t["dtype"]]).reshape(t["shape"]))
    return out, header.get("__metadata__", {})


def llm_like(n, k):
    w = rng.standard_normal((n, k)).astype(np.float32) * 0.02
    cols = rng.choice(k, size=max(1, k // 50), replace=False)
    w[:, cols] *= rng.standard_t(2, size=(n, len(cols))).astype(np.float32) * 10
    return w


def finite_e4m3(shape, lo=0x00, hi=0x7E, signed=False):
    b = rng.integers(lo, hi + 1, size=shape, dtype=np.uint8)
    if signed:
        b |= (rng.integers(0, 2, size=shape, dtype=np.uint8) << 7)
    return b.view(E4M3)


def sparq_read(path, kind, prefix, index, tmp):
    out = os.path.join(tmp, "v.f32")
    r = subprocess.run([DUMP, "read", path, kind, prefix, str(index), out], stdout=subprocess.PIPE, text=True)
    info = json.loads(r.stdout)
    if "error" in info:
        return info, None
    return info, np.fromfile(out, dtype=np.float32).reshape(info["rows"], info["cols"])


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


with tempfile.TemporaryDirectory() as tmp:
    # 1. A checkpoint of every convention, written by numpy + ml_dtypes + safetensors.
    t = {}
    ref = {}  # (kind, prefix, index) -> numpy's values
    blocks = rng.integers(0, 256, size=(3, 40, 4, 16), dtype=np.uint8)
    scales = rng.integers(100, 140, size=(3, 40, 4), dtype=np.uint8)
    scales[0, 0, 0] = 0  # 2^-127: subnormal products
    t["model.layers.0.mlp.experts.gate_up_proj_blocks"], t["model.layers.0.mlp.experts.gate_up_proj_scales"] = blocks, scales
    for e in range(3):
        ref[("mxfp4", "model.layers.0.mlp.experts.gate_up_proj", e)] = deq_gpt_oss(blocks[e], scales[e])
    b1 = rng.integers(0, 256, size=(24, 2, 16), dtype=np.uint8)
    s1 = rng.integers(110, 135, size=(24, 2), dtype=np.uint8)
    t["block.0.mlp.mlp2_weight.blocks"], t["block.0.mlp.mlp2_weight.scales"] = b1, s1
    ref[("mxfp4", "block.0.mlp.mlp2_weight", 0)] = deq_gpt_oss(b1, s1)

    for name, modelopt, (n, k) in [("mo", True, (48, 96)), ("ct", False, (33, 160))]:
        p = f"model.layers.1.{name}"
        packed = rng.integers(0, 256, size=(n, k // 2), dtype=np.uint8)
        sc = finite_e4m3((n, k // 16), 0x08, 0x77)
        g = np.array([0.0173] if not modelopt else 0.0021, dtype=np.float32)
        t[p + (".weight" if modelopt else ".weight_packed")] = packed
        t[p + ".weight_scale"] = sc
        t[p + (".weight_scale_2" if modelopt else ".weight_global_scale")] = g
        t[p + ".input_scale" if modelopt else p + ".input_global_scale"] = np.array(1.0, dtype=np.float32)
        ref[("nvfp4", p, 0)] = deq_nvfp4(packed, sc, g, modelopt)

    fp8 = {}
    for name, (n, k), scale in [("fpt", (20, 64), np.array(0.0037, dtype=np.float32)),
                                ("fpt1", (9, 40), np.array([0.25], dtype=np.float32)),
                                ("fpc", (24, 80), rng.uniform(1e-3, 1e-2, size=(24, 1)).astype(np.float32)),
                                ("fpv", (17, 48), rng.uniform(1e-3, 1e-2, size=(17,)).astype(np.float32))]:
        w = finite_e4m3((n, k), signed=True)
        t[f"model.layers.2.{name}.weight"], t[f"model.layers.2.{name}.weight_scale"] = w, scale
        ref[("fp8", f"model.layers.2.{name}", 0)] = deq_fp8(w, scale)
    x = llm_like(200, 300)
    q, s = quant_fp8_block(x)
    t["model.layers.3.fb.weight"], t["model.layers.3.fb.weight_scale_inv"] = q, s
    ref[("fp8", "model.layers.3.fb", 0)] = deq_fp8(q, s)
    w = finite_e4m3((130, 260), signed=True)
    sr = rng.uniform(1e-4, 1e-3, size=(2, 3)).astype(np.float32)
    t["model.layers.3.fr.weight"], t["model.layers.3.fr.weight_scale_inv"] = w, sr
    ref[("fp8", "model.layers.3.fr", 0)] = deq_fp8(w, sr)

    src = os.path.join(tmp, "ckpt.safetensors")
    save_file(t, src, metadata={"format": "pt"})

    expect_read = {"mo": "modelopt", "ct": "compressed_tensors", "fpt": "per_tensor", "fpt1": "per_tensor",
                   "fpc": "per_channel", "fpv": "per_channel", "fb": "block128", "fr": "block128"}
    for (kind, prefix, idx), want in ref.items():
        info, got = sparq_read(src, kind, prefix, idx, tmp)
        what = f"{kind} {prefix}[{idx}]"
        check("error" not in info, f"{what}: {info.get('error')}")
        if got is None:
            continue
        check(same_bits(got, want), f"{what}: sparq's values differ from numpy's "
                                    f"({int(np.sum(got.view(np.uint32) != want.view(np.uint32)))} of {want.size})")
        check(info["gemm"] == "ok", f"{what}: gemm {info['gemm']}")
        short = prefix.split(".")[-1]
        if short in expect_read:
            check(info["read"] == expect_read[short], f"{what}: read as {info['read']}")

    # Bad input: clear errors, no crash.
    bad = dict(t)
    bad["model.layers.1.mo.weight_scale"] = finite_e4m3((48, 5))  # K/16 is 6
    bad_path = os.path.join(tmp, "bad.safetensors")
    save_file(bad, bad_path)
    info, _ = sparq_read(bad_path, "nvfp4", "model.layers.1.mo", 0, tmp)
    check("weight_scale" in info.get("error", "") and "[48, 6]" in info.get("error", ""), f"bad NVFP4 scales: {info}")
    info, _ = sparq_read(src, "mxfp4", "model.layers.0.mlp.experts.gate_up_proj", 3, tmp)
    check("index" in info.get("error", ""), f"expert past the end: {info}")
    info, _ = sparq_read(src, "fp8", "model.layers.9.none", 0, tmp)
    check("model.layers.9.none.weight" in info.get("error", ""), f"missing tensor: {info}")

    # 2. sparq writes back what it read: the same tensors, byte for byte.
    out = os.path.join(tmp, "rewritten.safetensors")
    weights = ["mxfp4:model.layers.0.mlp.experts.gate_up_proj", "mxfp4:block.0.mlp.mlp2_weight",
               "nvfp4:model.layers.1.mo", "nvfp4:model.layers.1.ct"] + \
              [f"fp8:model.layers.2.{n}" for n in ("fpt", "fpc")] + ["fp8:model.layers.3.fb", "fp8:model.layers.3.fr"]
    subprocess.run([DUMP, "rewrite", src, out] + weights, check=True)
    with safe_open(out, framework="numpy") as f:  # the package's own checks of the header and offsets
        names = set(f.keys())
    got, _ = read_raw(out)
    check(names == set(got), "safetensors opens the rewritten file")
    orig, _ = read_raw(src)
    for name, (dt, arr) in got.items():
        o = orig.get(name)
        check(o is not None and o[0] == dt and o[1].shape == arr.shape and o[1].tobytes() == arr.tobytes(),
              f"rewritten {name}: {dt} {arr.shape} vs {None if o is None else (o[0], o[1].shape)}")
    check(len(got) == 4 + 6 + 4 + 4, f"rewritten tensor count {len(got)}")

    # 3. sparq quantizes into every convention; numpy dequantizes the file as sparq reads it.
    x = llm_like(160, 256)
    xin = os.path.join(tmp, "x.safetensors")
    save_file({"x": x}, xin)
    qout = os.path.join(tmp, "q.safetensors")
    subprocess.run([DUMP, "quantize", xin, qout], check=True)
    got, meta = read_raw(qout)
    check(meta == {"format": "pt"}, f"metadata {meta}")
    with safe_open(qout, framework="numpy") as f:
        check(set(f.keys()) == set(got), "safetensors opens sparq's file")
        check(np.array_equal(f.get_tensor("q.mo.weight"), got["q.mo.weight"][1]), "package reads U8 codes equally")
    cases = {
        ("mxfp4", "q.experts.up", 0): deq_gpt_oss(got["q.experts.up_blocks"][1][0], got["q.experts.up_scales"][1][0]),
        ("mxfp4", "q.experts.up", 1): deq_gpt_oss(got["q.experts.up_blocks"][1][1], got["q.experts.up_scales"][1][1]),
        ("nvfp4", "q.mo", 0): deq_nvfp4(got["q.mo.weight"][1], got["q.mo.weight_scale"][1],
                                        got["q.mo.weight_scale_2"][1], True),
        ("nvfp4", "q.ct", 0): deq_nvfp4(got["q.ct.weight_packed"][1], got["q.ct.weight_scale"][1],
                                        got["q.ct.weight_global_scale"][1], False),
    }
    for p in ("fpt", "fpc"):
        cases[("fp8", "q." + p, 0)] = deq_fp8(got[f"q.{p}.weight"][1], got[f"q.{p}.weight_scale"][1])
    cases[("fp8", "q.fb", 0)] = deq_fp8(got["q.fb.weight"][1], got["q.fb.weight_scale_inv"][1])
    check(got["q.fpt.weight_scale"][1].shape == () and got["q.fpc.weight_scale"][1].shape == (160, 1),
          "FP8 scale shapes")
    for (kind, prefix, idx), want in cases.items():
        info, v = sparq_read(qout, kind, prefix, idx, tmp)
        check(v is not None and same_bits(v, want), f"sparq-written {prefix}[{idx}]: numpy's values differ")
        check(info.get("gemm") == "ok", f"sparq-written {prefix}[{idx}]: gemm {info.get('gemm')}")
        scale = 0.25 if idx == 1 else 1.0
        err = np.abs(want - x * scale).max() / np.abs(x * scale).max()
        limit = 0.3 if kind == "mxfp4" else 0.2  # OCP's floor rule clips a block's top by up to 25 %
        check(err < limit, f"sparq-written {prefix}[{idx}]: max error {err:.3g} of the largest weight")
    q, s = quant_fp8_block(x)
    check(got["q.fb.weight"][1].tobytes() == q.tobytes() and np.array_equal(got["q.fb.weight_scale_inv"][1], s),
          "sparq's FP8 block quantizer equals DeepSeek-V3's (numpy) byte for byte")

finish()
