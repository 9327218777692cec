#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-checks sparq's conversions against ml_dtypes (an independent implementation).

For every format ml_dtypes has: every code decodes to the same float (NaN as a class), and every
FP16 and BF16 bit pattern plus random float32 values (ties, subnormal boundaries, the overflow
threshold, +-0, +-Inf) encode to the same code under overflow::ieee (non-NaN inputs). Under
overflow::saturate the result must equal ml_dtypes' except where ml_dtypes overflows (Inf/NaN
from a non-NaN input), which must give +-max.

Exit code 77 (reported by ctest as skipped) when numpy or ml_dtypes is not installed.
Usage: ml_dtypes_crosscheck.py PATH/TO/convert_dump
"""
import subprocess
import sys

try:
    import numpy as np
    import ml_dtypes
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e}; pip install numpy ml_dtypes to run this cross-check")
    sys.exit(77)

DUMP = sys.argv[1]
FORMATS = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
           "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "float8_e8m0fnu",
           "bfloat16", "float16"]
BITS = {"float6_e2m3fn": 6, "float6_e3m2fn": 6, "float4_e2m1fn": 4, "bfloat16": 16, "float16": 16}


def run(args, data):
    p = subprocess.run([DUMP] + args, input=data, stdout=subprocess.PIPE, check=True)
    return p.stdout


# ml_dtypes before 0.7 rounds the float32 subnormals in (2^-127, 1.5 * 2^-127) up to E8M0 2^-126.
E8M0_SUBNORMALS_UP = int(np.array([np.float32(1.01 * 2.0 ** -127)]).astype(
    ml_dtypes.float8_e8m0fnu).view(np.uint8)[0]) == 1


def dtype_of(name):
    return np.float16 if name == "float16" else getattr(ml_dtypes, name)


def inputs():
    rng = np.random.default_rng(20261125)
    parts = [np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32),
             (np.arange(1 << 16, dtype=np.uint32) << 16).view(np.float32),
             rng.integers(0, 1 << 32, 200000, dtype=np.uint64).astype(np.uint32).view(np.float32),
             np.array([0.0, -0.0, np.inf, -np.inf, 448, 464, 464.0001, 480, 61439.99, 61440,
                       247.99, 248, 240, 6, 7, 0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, 28, 30,
                       7.5, 7.75, 2.0 ** -127, 2.0 ** -126, 1.5 * 2.0 ** -127, 3.4e38],
                      dtype=np.float32)]
    # Ties and neighbours: midpoints between consecutive float16/bfloat16 values and +-1 ulp.
    mids = parts[0][np.isfinite(parts[0])]
    mids = np.unique(np.abs(mids))
    t = ((mids[:-1].astype(np.float64) + mids[1:]) / 2).astype(np.float32)
    parts += [t, np.nextafter(t, np.float32(np.inf)), np.nextafter(t, np.float32(0)), -t]
    x = np.concatenate(parts).astype(np.float32)
    return x[~np.isnan(x)]


def main():
    x = inputs()
    failures = 0
    for name in FORMATS:
        dt = dtype_of(name)
        bits = BITS.get(name, 8)
        # Decode every code.
        codes = np.arange(1 << bits, dtype=np.uint16)
        got = np.frombuffer(run(["decode", name], codes.tobytes()), dtype=np.float32)
        if bits == 16:
            want = codes.view(dt).astype(np.float32)
        else:
            want = codes.astype(np.uint8).view(dt).astype(np.float32)
        same = (got.view(np.uint32) == want.view(np.uint32)) | (np.isnan(got) & np.isnan(want))
        if not same.all():
            i = np.flatnonzero(~same)[0]
            print(f"FAIL decode {name}: code {codes[i]:#x} sparq {got[i]!r} ml_dtypes {want[i]!r}")
            failures += 1
        # Encode under ieee: bit-identical on non-NaN input.
        with np.errstate(all="ignore"):
            ref = x.astype(dt)
        ref_codes = ref.view(np.uint16 if bits == 16 else np.uint8).astype(np.uint16)
        got = np.frombuffer(run(["encode", name, "ieee"], x.tobytes()), dtype=np.uint16)
        differs = got != ref_codes
        if name == "float8_e8m0fnu" and E8M0_SUBNORMALS_UP:
            # ml_dtypes before 0.7 rounds (2^-127, 1.5 * 2^-127) up to 2^-126; the nearest power of
            # two, which sparq gives (as ml_dtypes 0.7 does), is 2^-127 (code 0x00).
            old = (x > np.float32(2.0 ** -127)) & (x < np.float32(1.5 * 2.0 ** -127))
            differs &= ~(old & (got == 0) & (ref_codes == 1))
        bad = np.flatnonzero(differs)
        if bad.size:
            i = bad[0]
            print(f"FAIL encode/ieee {name}: {bad.size} mismatches, first x={x[i]!r} "
                  f"({x[i:i+1].view(np.uint32)[0]:#010x}) sparq {got[i]:#x} ml_dtypes {ref_codes[i]:#x}")
            failures += 1
        # Encode under saturate: equal where ml_dtypes stays finite, +-max where it overflows.
        got = np.frombuffer(run(["encode", name, "saturate"], x.tobytes()), dtype=np.uint16)
        ref_f = ref.astype(np.float32)
        over = ~np.isfinite(ref_f)
        max_v = np.float32(ml_dtypes.finfo(dt).max) if name != "float16" else np.float32(65504)
        want = ref_codes.copy()
        if name == "float8_e8m0fnu":
            # Saturate: zero and negatives -> 0x00 (smallest), +Inf and overflow -> 0xFE.
            want[over & ((x <= 0) | np.signbit(x))] = 0x00
            want[over & (x > 0)] = 0xFE
            # (2^-127, 1.5 * 2^-127): 2^-127, code 0x00 (ml_dtypes before 0.7 rounds up).
            quirk = (x > np.float32(2.0 ** -127)) & (x < np.float32(1.5 * 2.0 ** -127))
            want[quirk] = 0x00
        else:
            sat = np.where(np.signbit(x), -max_v, max_v).astype(dt)
            sat_codes = sat.view(np.uint16 if bits == 16 else np.uint8).astype(np.uint16)
            want[over] = sat_codes[over]
        bad = np.flatnonzero(got != want)
        if bad.size:
            i = bad[0]
            print(f"FAIL encode/saturate {name}: {bad.size} mismatches, first x={x[i]!r} "
                  f"sparq {got[i]:#x} expected {want[i]:#x}")
            failures += 1
        print(f"{name}: {1 << bits} codes decoded, {x.size} values encoded under ieee and saturate")
    checks = 3 * len(FORMATS)
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
