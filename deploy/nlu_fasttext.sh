#!/usr/bin/env bash
# Compares the NLU's intent classifier (an n-gram logistic regression, bot/nlu/classifier.*) with
# fastText's supervised classifier (Debian's `fasttext`, the reference implementation), both
# trained on the same examples and tested on the same rows, read the same way: `daiban nlu export`
# writes what our classifier sees (normalised text, services, villages, dates and amounts folded
# to one mark each) one character per token, so fastText's word n-grams are character n-grams.
# fastText's settings are chosen on the dev split; the figure that counts is the test split's.
# Usage: deploy/nlu_fasttext.sh   (after a build; DAIBAN_BIN picks the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DAIBAN_BIN:-}
for b in build/release/daiban build/dev/daiban; do [ -z "$bin" ] && [ -x "$b" ] && bin=$b; done
[ -n "$bin" ] || { echo "nlu_fasttext: build daiban first (deploy/run.sh or deploy/test.sh)" >&2; exit 1; }
command -v fasttext >/dev/null || { echo "nlu_fasttext: fasttext is missing: run deploy/setup.sh as root" >&2; exit 1; }

corpus=bot/nlu/data/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dev" "$work/test"
"$bin" nlu export "$work/dev" "$corpus/dev.jsonl" | sed 's/^/dev:  /'
"$bin" nlu export "$work/test" "$corpus/test.jsonl" | sed 's/^/test: /'

accuracy() { # model.bin test.txt -> P@1 (one label per row: the accuracy)
  fasttext test "$1" "$2" 1 | awk '/^P@1/ {print $2}'
}
best="" best_acc=0
for ngrams in 2 3; do
  for dim in 32 100; do
    for epoch in 25 50; do
      args="-wordNgrams $ngrams -dim $dim -epoch $epoch -lr 0.5 -minCount 1 -bucket 200000 -thread 1 -seed 1"
      # shellcheck disable=SC2086
      fasttext supervised -input "$work/dev/train.txt" -output "$work/m" $args -verbose 0
      acc=$(accuracy "$work/m.bin" "$work/dev/test.txt")
      echo "fastText on dev: $acc  ($args)"
      if awk -v a="$acc" -v b="$best_acc" 'BEGIN {exit !(a > b)}'; then best=$args best_acc=$acc; fi
    done
  done
done
# shellcheck disable=SC2086
fasttext supervised -input "$work/test/train.txt" -output "$work/m" $best -verbose 0
echo "fastText supervised, classifier alone, test split: intent accuracy $(accuracy "$work/m.bin" "$work/test/test.txt")  ($best)"
