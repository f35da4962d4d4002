#!/usr/bin/env bash
# Install the Debian packages sipbed needs. The list lives in DEVELOPERS.md, in
# the fenced block opened by a line that is exactly ```packages (one package
# per line, '#' starts a comment): that block is the single source of truth.
#
# Idempotent: when every package is installed it prints nothing and exits 0.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
list_file="${root_dir}/DEVELOPERS.md"

if [[ ! -r "${list_file}" ]]; then
    echo "install-deps: cannot read ${list_file}" >&2
    exit 1
fi

# The lines between "```packages" and the next "```", comments and blanks removed.
mapfile -t packages < <(
    awk '
        /^```packages[[:space:]]*$/ { inside = 1; next }
        inside && /^```/            { exit }
        inside {
            sub(/#.*/, "")
            gsub(/[[:space:]]+/, "")
            if (length($0) > 0) print
        }
    ' "${list_file}"
)
if [[ ${#packages[@]} -eq 0 ]]; then
    echo "install-deps: no \`\`\`packages block found in ${list_file}" >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
    if [[ "${status}" != "installed" ]]; then
        missing+=("${package}")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "install-deps: missing Debian packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: apt-get not found: sipbed expects Debian 12; install the packages above by hand" >&2
    exit 1
fi
if [[ "$(id -u)" -ne 0 ]]; then
    echo "install-deps: not root; install them with:" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
