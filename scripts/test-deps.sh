#!/usr/bin/env bash
# Debian packages the tests run, installed when missing: the registry tests start Debian's
# docker-registry, with images built by umoci and pushed by skopeo; the other-languages test
# compiles jsii-pacmak's Python with python3; the YAML differential test builds Kubernetes' own
# YAML-to-JSON converter from Go sources: golang-go and golang-k8s-sigs-yaml-dev
# (sigs.k8s.io/yaml 1.3 and gopkg.in/yaml.v2).
set -euo pipefail
missing=()
for tool in docker-registry umoci skopeo openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[ -f /usr/share/gocode/src/sigs.k8s.io/yaml/yaml.go ] || missing+=(golang-k8s-sigs-yaml-dev)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: the tests need ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "test-deps: installing ${missing[*]} (Debian packages) for the tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
