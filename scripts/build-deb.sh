#!/usr/bin/env bash
# Builds sriovctl_VERSION_amd64.deb with dpkg-deb from the release binary, and runs
# lintian on it. See docs/packaging.md for what goes where and why.
#
# Usage: scripts/build-deb.sh [OUTDIR]     (default OUTDIR: .build/deb)
# Prints the .deb's path as its last line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
outdir=${1:-.build/deb}
swift=${SWIFT:-swift}

version=$(sed -n 's/^ *public static let current = "\([^"]*\)"$/\1/p' Sources/SRIOVFrontEnd/SriovctlVersion.swift)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "build-deb: cannot read the version from Sources/SRIOVFrontEnd/SriovctlVersion.swift" >&2; exit 1; }
changelog_version=$(sed -n '1s/^sriovctl (\([^)]*\)).*/\1/p' contrib/debian/changelog)
if [[ $changelog_version != "$version" ]]; then
  echo "build-deb: contrib/debian/changelog is at $changelog_version but sriovctl is $version: add a changelog entry" >&2
  exit 1
fi

# The release binaries with the Swift runtime linked in, so only Debian's libraries remain:
# sriovctl (lean: --version and vf apply) in /usr/bin, and sriovctl-full (every other command,
# which sriovctl execs) in /usr/libexec/sriovctl (docs/architecture.md, "Two binaries").
"$swift" build -c release --static-swift-stdlib --product sriovctl >&2
"$swift" build -c release --static-swift-stdlib --product sriovctl-full >&2
binary=.build/release/sriovctl
full_binary=.build/release/sriovctl-full

# One man page per subcommand from argument-parser's plugin (debug: no second release build).
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
"$swift" package plugin generate-manual --multi-page --date "$date" \
  --authors "sriovctl maintainers" --configuration debug >&2
manuals=.build/plugins/GenerateManual/outputs/sriovctl

stage=$(mktemp -d "${TMPDIR:-/tmp}/sriovctl-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/sriovctl_${version}_amd64
umask 022

install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/libexec/sriovctl" "$root/usr/share/man/man1" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d" "$root/lib/systemd/system" \
  "$root/usr/share/sriovctl/libvirt-hooks" "$root/usr/share/doc/sriovctl"

install -m 0755 "$binary" "$root/usr/bin/sriovctl"
install -m 0755 "$full_binary" "$root/usr/libexec/sriovctl/sriovctl-full"
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
  "$root/usr/bin/sriovctl" "$root/usr/libexec/sriovctl/sriovctl-full"

# sriovctl.vf.set.1 -> sriovctl-vf-set.1 (the git-style names `man sriovctl-attach` finds),
# in file names, .Dt titles, .Xr references and the NAME line that whatis/apropos read
# (the SYNOPSIS still shows `sriovctl vf set`); the implicit `help` subcommand gets none.
for page in "$manuals"/sriovctl*.1; do
  name=$(basename "$page" .1)
  [[ $name == sriovctl.help ]] && continue
  sed -e '/^\.Xr sriovctl\.help 1/d' \
      -e '/^\.Xr sriovctl\./{s/\./-/g;s/^-Xr/.Xr/;}' \
      -e '/^\.Dt SRIOVCTL\./{s/\./-/g;s/^-Dt/.Dt/;}' \
      "$page" |
    awk -v page="${name//./-}" '
      !named && /^\.Nm "sriovctl / { invoked = substr($0, 5); print ".Nm " page; named = 1; next }
      named && invoked != "" && /^\.Nm$/ { print ".Nm " invoked; next }
      { print }' |
    gzip -9n > "$root/usr/share/man/man1/${name//./-}.1.gz"
done
chmod 0644 "$root"/usr/share/man/man1/*

# bash-completion sources its files: no #! line (lintian: bash-completion-with-hashbang).
"$full_binary" --generate-completion-script bash | sed '1{/^#!/d;}' > "$root/usr/share/bash-completion/completions/sriovctl"
"$full_binary" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_sriovctl"
"$full_binary" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/sriovctl.fish"

# The unit and the hook name the packaged binary. The unit ships disabled (it does nothing
# without /etc/sriovctl/config.yaml anyway); the hook ships inactive (docs/packaging.md).
sed 's|/usr/local/bin/sriovctl|/usr/bin/sriovctl|g' contrib/systemd/sriovctl-provision.service \
  > "$root/lib/systemd/system/sriovctl-provision.service"
sed 's|/usr/local/bin/sriovctl|/usr/bin/sriovctl|g' contrib/systemd/sriovctl-agent.service \
  > "$root/lib/systemd/system/sriovctl-agent.service"
sed 's|/usr/local/bin/sriovctl|/usr/bin/sriovctl|g' contrib/libvirt-hooks/qemu \
  > "$root/usr/share/sriovctl/libvirt-hooks/qemu"
chmod 0644 "$root/lib/systemd/system/sriovctl-provision.service" "$root/lib/systemd/system/sriovctl-agent.service"
chmod 0755 "$root/usr/share/sriovctl/libvirt-hooks/qemu"

install -m 0644 config/config.example.yaml contrib/debian/copyright "$root/usr/share/doc/sriovctl/"
gzip -9n < contrib/debian/changelog > "$root/usr/share/doc/sriovctl/changelog.gz"
chmod 0644 "$root/usr/share/doc/sriovctl/changelog.gz"

# Yams compiles libyaml's C sources into the binary; Debian's libyaml cannot replace them.
install -D -m 0644 contrib/debian/lintian-overrides "$root/usr/share/lintian/overrides/sriovctl"

install -m 0755 contrib/debian/postinst contrib/debian/postrm "$root/DEBIAN/"

# Depends: what dpkg-shlibdeps finds the binary links (it wants a debian/control around it).
mkdir -p "$stage/src/debian"
printf 'Source: sriovctl\n\nPackage: sriovctl\nArchitecture: amd64\n' > "$stage/src/debian/control"
depends=$(cd "$stage/src" && dpkg-shlibdeps -O "$root/usr/bin/sriovctl" "$root/usr/libexec/sriovctl/sriovctl-full" |
  sed -n 's/^shlibs:Depends=//p')
[[ -n $depends ]] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# libxml2 is loaded with dlopen when a guest's domain XML is read (Sources/CLibXML2), so
# dpkg-shlibdeps cannot see it.
depends="$depends, libxml2"
# sriovctl-agent.service reloads with `ExecReload=/bin/kill -HUP $MAINPID`; /bin/kill is
# procps's (not in a minimal root, where systemd-analyze verify then refuses the unit).
depends="$depends, procps"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@DEPENDS@/$depends/" \
  contrib/debian/control.in > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum) \
  > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

mkdir -p "$outdir"
deb=$outdir/sriovctl_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2

# lintian: errors fail the build; warnings are listed (and explained in docs/packaging.md).
if command -v lintian >/dev/null; then
  lintian --fail-on error "$deb" >&2 ||
    { echo "build-deb: lintian reports errors on $deb" >&2; exit 1; }
fi
echo "$deb"
