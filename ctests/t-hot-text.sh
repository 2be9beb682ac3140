#!/usr/bin/env bash
# The code layout that keeps clients' resident memory small (build.rs,
# src/hot-text.ld): every function of our library that a set of client
# workloads runs (dumps, formatting, events, queries, the conntrack tool)
# lies in the hot text at the start of .text, and the library does not
# need libgcc_s.so.1. On failure, `bash scripts/hot-text.sh` brings the
# list up to date. The workloads run under callgrind in namespaces of
# their own.
set -eu
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
export LIBDIR=${LIBDIR:-$TOP/build/lib}
exec bash "$TOP/scripts/hot-text.sh" --check
