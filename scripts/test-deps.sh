#!/usr/bin/env bash
# The registry tests run a real registry: Debian's docker-registry, with images built by umoci
# and pushed by skopeo. Installs them when they are missing (the tests start the registry).
set -euo pipefail
missing=()
for tool in docker-registry umoci skopeo openssl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: the registry tests need ${missing[*]}; install them with: sudo apt-get install docker-registry umoci skopeo openssl" >&2
  exit 1
fi
echo "test-deps: installing docker-registry umoci skopeo openssl (Debian packages) for the registry tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq docker-registry umoci skopeo openssl >/dev/null
