#!/usr/bin/env bash
# Terraform checks that need no cloud access: formatting, then init without a backend and validate for every
# root module under infra/ (any folder with .tf files that is not a shared module). Runs on every change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TF_IN_AUTOMATION=1 TF_INPUT=0

terraform fmt -check -recursive -diff infra

status=0
for root in $(find infra -name '*.tf' -not -path '*/.terraform/*' -not -path '*/modules/*' | sed 's|/[^/]*$||' | sort -u); do
  echo "== terraform validate $root"
  terraform -chdir="$root" init -backend=false -input=false >/dev/null || status=1
  terraform -chdir="$root" validate || status=1
done
exit "$status"
