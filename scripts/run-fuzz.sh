#!/usr/bin/env bash
# Run every libFuzzer binary of a fuzz build for a fixed time and summarise.
#
# usage: scripts/run-fuzz.sh BUILD_DIR SHARED_DIR SECONDS
#
# Each fuzzer BUILD_DIR/fuzz/sipbed-fuzz-NAME gets its own corpus directory
# BUILD_DIR/corpus-NAME, seeded (once per new file) with the RFC 4475 torture
# messages and the example messages of the spec notes; crashes are written to
# BUILD_DIR/artifacts-NAME/. Exit status 1 if any fuzzer found a problem.
set -euo pipefail

build_dir="$1"
shared_dir="$2"
seconds="$3"
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

shopt -s nullglob
fuzzers=("${build_dir}"/fuzz/sipbed-fuzz-*)
if [[ ${#fuzzers[@]} -eq 0 ]]; then
    echo "fuzz: no fuzz targets (add fuzz/NAME.cc defining LLVMFuzzerTestOneInput)"
    exit 0
fi

seeds="${build_dir}/seeds"
mkdir -p "${seeds}"
cp -n "${shared_dir}"/torture/*.dat "${seeds}/" 2>/dev/null || true
/usr/bin/python3 "${root_dir}/scripts/extract-sip-examples.py" "${seeds}" "${shared_dir}"/spec/*.md >/dev/null

summary=()
failed=0
for fuzzer in "${fuzzers[@]}"; do
    [[ -x "${fuzzer}" ]] || continue
    name="$(basename "${fuzzer}")"
    name="${name#sipbed-fuzz-}"
    corpus="${build_dir}/corpus-${name}"
    artifacts="${build_dir}/artifacts-${name}"
    log="${build_dir}/fuzz-${name}.log"
    mkdir -p "${corpus}" "${artifacts}"
    cp -n "${seeds}"/* "${corpus}/" 2>/dev/null || true
    echo "fuzz: ${name} for ${seconds}s (corpus ${corpus}, log ${log})"
    status=0
    "${fuzzer}" -max_total_time="${seconds}" -print_final_stats=1 \
        -artifact_prefix="${artifacts}/" "${corpus}" >"${log}" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -n 1)"
    size="$(find "${corpus}" -type f | wc -l)"
    if [[ ${status} -eq 0 ]]; then
        summary+=("$(printf '%-24s ok      %10s runs  %6s corpus files' "${name}" "${runs:-?}" "${size}")")
    else
        failed=1
        summary+=("$(printf '%-24s FAILED  exit %s, see %s and %s' "${name}" "${status}" "${log}" "${artifacts}")")
        tail -n 30 "${log}" >&2
    fi
done

echo
echo "fuzz summary (${seconds}s each):"
printf '  %s\n' "${summary[@]}"
exit "${failed}"
