# SPDX-License-Identifier: Apache-2.0
"""The tally of the Python test scripts: check(cond, what) prints each failure, finish() the
summary, and exits 1 when anything failed."""
import sys

_tally = {"checks": 0, "failures": 0}


def check(cond, what):
    _tally["checks"] += 1
    if not cond:
        _tally["failures"] += 1
        print("FAIL", what)


def finish():
    print(f"{_tally['checks'] - _tally['failures']} passed, {_tally['failures']} failed")
    sys.exit(1 if _tally["failures"] else 0)
