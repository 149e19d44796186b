#!/usr/bin/env bash
# Extract a benchmark/accuracy corpus (a repository's HEAD tree) to a plain directory.
#
#   scripts/get-corpus.sh <git-dir | clone-URL> [name]
#
# <git-dir>   an existing git directory (bare, or a clone's .git) on this machine.
# <clone-URL> https://… / git@…: the ONLY case in which this script touches the
#             network, with a single `git clone --depth 1`.
# [name]      defaults to the repository name, lower-cased, letters/digits only
#             (Rocket.Chat -> rocketchat). Output: /work/corpus/<name>, or exactly
#             $OFFBOX_CORPUS when that is set.
#
# Every regular file is kept (node_modules, build output, ...: the scanner decides
# what to skip). Symlinks are recreated as symlinks, never followed, so their targets
# (some point outside the tree, e.g. /etc/passwd in a Dokploy test) are not copied in.
# Blobs missing from a partial snapshot are reported and skipped.
set -euo pipefail

# Known corpora; used in the help text (commits are what bench/README.md records).
usage() {
  cat >&2 <<'EOF'
usage: scripts/get-corpus.sh <git-dir | clone-URL> [name]

The corpus source was not found. This script downloads nothing by itself unless
you pass a URL. Get the source one of these ways, then run it again:

  * On a machine with GitHub access, pass the URL (shallow clone, then extract):
      scripts/get-corpus.sh https://github.com/Aman23Gupta/Rocket.Chat.git rocketchat
      scripts/get-corpus.sh https://github.com/outline/outline.git outline
      scripts/get-corpus.sh https://github.com/Dokploy/dokploy.git dokploy
    (HEAD moves; bench/README.md lists the commits measured. For an exact commit,
     clone fully, `git checkout <commit>`, and pass the clone's .git directory.)

  * With a git directory already on disk (a bare mirror or a clone's .git):
      scripts/get-corpus.sh /path/to/Rocket.Chat.git rocketchat

Output goes to /work/corpus/<name>, or to $OFFBOX_CORPUS if set.
EOF
  exit 2
}

[[ $# -ge 1 && -n "$1" ]] || usage
src=$1

# Default name: last meaningful path component, "owner+name" mirrors reduced to name.
derive_name() {
  local s=${1%/}
  s=${s%/.git}; s=${s%/repo}; s=${s%.git}
  s=${s##*/}; s=${s##*:}; s=${s##*+}
  s=$(printf '%s' "$s" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9')
  printf '%s' "${s:-corpus}"
}
name=${2:-$(derive_name "$src")}
dest=${OFFBOX_CORPUS:-/work/corpus/$name}

# Never let a checkout run Git LFS smudge filters: they would download.
export GIT_LFS_SKIP_SMUDGE=1
nolfs=(-c filter.lfs.smudge= -c filter.lfs.process= -c filter.lfs.required=false)

is_url=false
if [[ $src =~ ^(https?|ssh|git|file):// || $src =~ ^[^/]+@[^/:]+: ]]; then
  is_url=true
else
  [[ -e $src ]] || { echo "error: $src does not exist" >&2; usage; }
  [[ -e $src/.git ]] && src=$src/.git # a clone's work tree was given
  gitdir=$(git --git-dir="$src" rev-parse --absolute-git-dir 2>/dev/null) ||
    { echo "error: $src is not a git directory" >&2; usage; }
fi

# Work beside the destination so the final mv is a rename on the same filesystem.
mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$(dirname "$dest")/.get-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if $is_url; then
  echo "cloning $src (depth 1) ..." >&2
  git "${nolfs[@]}" clone --quiet --bare --depth 1 "$src" "$tmp/src.git"
  gitdir=$tmp/src.git
fi

commit=$(git --git-dir="$gitdir" rev-parse HEAD)
echo "extracting $commit -> $dest" >&2

# checkout-index from a throwaway index (not `git archive`): it keeps going past
# blobs missing from a partial snapshot instead of aborting the whole extraction.
out=$tmp/tree
mkdir -p "$out"
GIT_INDEX_FILE=$tmp/index git --git-dir="$gitdir" read-tree HEAD
GIT_INDEX_FILE=$tmp/index git "${nolfs[@]}" -c core.symlinks=true \
  --git-dir="$gitdir" --work-tree="$out" checkout-index --all --force 2>"$tmp/errors" || true
missing=$(grep -c 'unable to read' "$tmp/errors" || true)
if grep -v 'unable to read' "$tmp/errors" | grep -q .; then
  cat "$tmp/errors" >&2
  echo "error: checkout failed" >&2
  exit 1
fi

# Swap in the new tree only once it is complete.
rm -rf "$dest"
mv "$out" "$dest"
printf '%s\n' "$commit" >"$dest.commit" # beside, not inside, so it is not scanned

files=$(find "$dest" -type f | wc -l)
links=$(find "$dest" -type l | wc -l)
echo "done: $dest @ $commit: $files files, $links symlinks (not followed), $missing blobs missing from the source" >&2
