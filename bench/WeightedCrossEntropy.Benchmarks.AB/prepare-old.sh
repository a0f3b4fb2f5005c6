#!/usr/bin/env bash
# Writes the library's sources at a commit (default: the merge base of HEAD and main) into artifacts/ab-old/, which
# Old/WeightedCrossEntropy.Old.csproj compiles as WeightedCrossEntropy.Old.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
ref="${1:-$(git -C "$root" merge-base HEAD main)}"
rm -rf "$root/artifacts/ab-old"
mkdir -p "$root/artifacts/ab-old"
git -C "$root" archive "$ref" src/WeightedCrossEntropy | tar -x -C "$root/artifacts/ab-old"
echo "old library: $(git -C "$root" rev-parse --short "$ref") -> artifacts/ab-old"
