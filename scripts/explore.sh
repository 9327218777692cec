#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs sparq-explore, the main command-line tool. With no arguments it runs the
# built-in default (`sparq-explore formats`); any arguments are passed to the tool.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build/release" --target sparq-explore -j "$(nproc)" >/dev/null
exec "$root/build/release/examples/sparq-explore" "$@"
