#!/usr/bin/env bash
# The `make run` demo until the scenarios exist: `sipbed parse` on RFC 4475
# torture messages. Shows one canonical re-serialization, one JSON view, one
# rejection, then a table of every torture message: the outcome RFC 4475
# expects (torture/expected.tsv) beside what the parser did.
#
# usage: scripts/demo-parse.sh SIPBED_BIN SHARED_DIR
set -uo pipefail

sipbed="$1"
torture="$2/torture"

if [[ ! -f "${torture}/expected.tsv" ]]; then
    echo "demo: ${torture}/expected.tsv not found (set SHARED=path/to/shared)" >&2
    exit 2
fi

echo "== sipbed parse ${torture}/wsinv.dat ${torture}/esc01.dat ${torture}/badvers.dat"
"${sipbed}" parse "${torture}/wsinv.dat" "${torture}/esc01.dat" "${torture}/badvers.dat" 2>&1
status=$?
echo "(exit status ${status}: 1 because badvers.dat is rejected)"
if [[ ${status} -gt 1 ]]; then
    exit "${status}"
fi

echo
echo "== sipbed parse --json ${torture}/esc01.dat"
"${sipbed}" parse --json "${torture}/esc01.dat" || exit $?

echo
echo "== every RFC 4475 torture message: expected outcome vs sipbed parse"
printf '%-11s %-9s %-13s %-8s %s\n' "message" "class" "expected" "parser" "reason"
mismatches=0
while IFS=$'\t' read -r name _section class expected _what; do
    [[ -z "${name}" || "${name}" == \#* ]] && continue
    error="$("${sipbed}" parse "${torture}/${name}.dat" 2>&1 >/dev/null)"
    status=$?
    if [[ ${status} -eq 0 ]]; then
        outcome="parsed"
        reason=""
    elif [[ ${status} -eq 1 ]]; then
        outcome="rejected"
        reason="${error#*: error: }"
    else
        echo "demo: sipbed parse ${name}.dat failed with status ${status}: ${error}" >&2
        exit "${status}"
    fi
    # Only 'valid' (must parse) and 'invalid' (must be rejected) have one right
    # parser outcome; 'lenient' allows both and 'semantic' is decided above the parser.
    mark=""
    if [[ "${class}" == "valid" && "${outcome}" != "parsed" ]] ||
        [[ "${class}" == "invalid" && "${outcome}" != "rejected" ]]; then
        mark="  <-- differs"
        mismatches=$((mismatches + 1))
    fi
    printf "%-11s %-9s %-13s %-8s %s%s\n" "${name}" "${class}" "${expected}" "${outcome}" \
        "${reason}" "${mark}"
done <"${torture}/expected.tsv"
echo
echo "${mismatches} message(s) where the parser differs from RFC 4475's valid/invalid verdict"
