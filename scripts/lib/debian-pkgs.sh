# shellcheck shell=bash
# Helpers for building a root file system from Debian's arm64 packages, sourced by
# scripts/build-guest-linux and scripts/build-dom0 (not run on its own).
#
# The script that sources this sets, before calling the helpers:
#   OUT    its output directory
#   APT_DIR (optional) where apt's binary cache is kept; $OUT/apt if unset
#   DEBS   where downloaded .deb files are kept
#   PKGS   where packages are extracted, one directory per package version
# Messages start with the name of that script.

log() { echo "${0##*/}: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Text files of the sources, without comments and blank lines.
entries() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$@"; }

# ---------------------------------------------------------------- packages
# apt-cache with its binary cache kept in build/ (this machine's apt config keeps none, and
# building it takes a second or so for each query).
apt_cache() {
    local dir=${APT_DIR:-$OUT/apt}
    mkdir -p "$dir"
    apt-cache -o Dir::Cache::pkgcache="$PWD/$dir/pkgcache.bin" -o Dir::Cache::srcpkgcache= "$@"
}

apt_updated=0
# Candidate version of arm64 package $1, running apt-get update once if apt knows nothing.
candidate_version() {
    local v
    v=$(apt_cache policy "$1:arm64" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    if { [ -z "$v" ] || [ "$v" = "(none)" ]; } && [ $apt_updated -eq 0 ] && [ "$(id -u)" -eq 0 ]; then
        log "apt does not know $1:arm64, running apt-get update"
        apt-get update -q >&2
        apt_updated=1
        v=$(apt_cache policy "$1:arm64" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    fi
    if [ -z "$v" ] || [ "$v" = "(none)" ]; then
        die "no arm64 package '$1' in apt's lists (is the arm64 architecture added? see scripts/setup)"
    fi
    echo "$v"
}

# Download package $1 version $2 into $DEBS (unless there already) and print the file's path.
fetch_deb() {
    local pkg=$1 ver=$2 f
    f=$DEBS/${pkg}_${ver//:/%3a}_arm64.deb
    if [ ! -s "$f" ]; then
        log "downloading $pkg $ver"
        mkdir -p "$DEBS"
        local sandbox=()
        [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
        (cd "$DEBS" && apt-get download -q "${sandbox[@]}" "$pkg:arm64=$ver" >&2)
        [ -s "$f" ] || die "apt-get download did not produce $f"
    fi
    echo "$f"
}

# Download, in one go, those of packages $1 (version $2), $3 ($4), ... not in $DEBS yet.
fetch_debs() {
    local want=() f
    while [ $# -ge 2 ]; do
        f=$DEBS/${1}_${2//:/%3a}_arm64.deb
        [ -s "$f" ] || want+=("$1:arm64=$2")
        shift 2
    done
    [ ${#want[@]} -gt 0 ] || return 0
    log "downloading ${#want[@]} packages"
    mkdir -p "$DEBS"
    local sandbox=()
    [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
    (cd "$DEBS" && apt-get download -q "${sandbox[@]}" "${want[@]}" >&2) ||
        die "apt-get download of ${want[*]} failed"
}

# Extract package $1 version $2 under $PKGS (unless done already) and print the directory.
extract_deb() {
    local pkg=$1 ver=$2 deb dir
    dir=$PKGS/${pkg}_${ver//:/%3a}
    if [ ! -e "$dir/.extracted" ]; then
        deb=$(fetch_deb "$pkg" "$ver")
        log "extracting $(basename "$deb")"
        rm -rf "$dir" "$dir.tmp"
        mkdir -p "$PKGS"
        dpkg-deb -x "$deb" "$dir.tmp"
        touch "$dir.tmp/.extracted"
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir"
}

# ---------------------------------------------------------------- busybox
# The applet names of busybox binary $1, one a line.  It cannot run here (arm64), so they
# are read from its table of names: "[", "[[", "acpid", ... NUL-separated.
busybox_applets() {
    tr '\0' '\n' < "$1" |
        awk 'done { next }
             prev == "[" && $0 == "[[" { on = 1; print "[" }
             on && $0 == "" { on = 0; done = 1 }
             on { print }
             { prev = $0 }'
}

# ---------------------------------------------------------------- kernel modules
# modules_begin MODDIR KPKG KMODS: index the modules of kernel package KPKG, whose
# lib/modules/RELEASE is MODDIR, for add_module to copy into KMODS (the initramfs's
# lib/modules/RELEASE).  Names are kept with '_' for '-': the two are the same to the
# kernel and modprobe.
modules_begin() {
    MODDIR=$1 KPKG=$2 KMODS=$3
    declare -gA MOD_FILE=() BUILTIN=()
    declare -gA MOD_STAGED=()   # module name -> its path (uncompressed .ko) under $KMODS
    declare -gA MOD_DEPS=()     # module name -> names of the modules it needs directly
    local rel name
    while IFS= read -r rel; do
        name=${rel##*/}
        name=${name%%.ko*}
        MOD_FILE[${name//-/_}]=$rel
    done < <(cd "$MODDIR" && find kernel \( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.gz' -o -name '*.ko.zst' \) | LC_ALL=C sort)
    [ ${#MOD_FILE[@]} -gt 0 ] || die "no modules found in $KPKG"
    while IFS= read -r rel; do
        name=${rel##*/}
        name=${name%%.ko*}
        BUILTIN[${name//-/_}]=1
    done < "$MODDIR/modules.builtin"
    mkdir -p "$KMODS"
}

# Strings of a module's .modinfo section (key=value), one a line.
module_info() { readelf -p .modinfo "$1" | sed -n 's/^ *\[ *[0-9a-f]*\]  //p'; }

# Copy module $1 (uncompressed: busybox modprobe reads plain .ko only) and all it needs.
add_module() {
    local name=${1//-/_} rel out dep
    [ -n "${MOD_STAGED[$name]:-}" ] && return 0
    rel=${MOD_FILE[$name]:-}
    if [ -z "$rel" ]; then
        [ -n "${BUILTIN[$name]:-}" ] && return 0
        die "module '$1' is neither in $KPKG nor built into its kernel"
    fi
    out=${rel%.ko*}.ko
    mkdir -p "$KMODS/$(dirname "$out")"
    case "$rel" in
    *.ko)     cp "$MODDIR/$rel" "$KMODS/$out" ;;
    *.ko.xz)  xz -dc "$MODDIR/$rel" > "$KMODS/$out" ;;
    *.ko.gz)  gzip -dc "$MODDIR/$rel" > "$KMODS/$out" ;;
    *.ko.zst) command -v zstd >/dev/null || die "$rel needs zstd to decompress"
              zstd -qdc "$MODDIR/$rel" > "$KMODS/$out" ;;
    esac
    MOD_STAGED[$name]=$out
    MOD_DEPS[$name]=$(module_info "$KMODS/$out" | sed -n 's/^depends=//p' | tr ',-' ' _')
    for dep in ${MOD_DEPS[$name]}; do
        add_module "$dep"
    done
}

# Append to ORDER the modules $1 needs, directly or not, each after those it needs itself.
needs_in_load_order() {
    local dep
    for dep in ${MOD_DEPS[$1]}; do
        [ -n "${SEEN[$dep]:-}" ] && continue
        SEEN[$dep]=1
        needs_in_load_order "$dep"
        ORDER+=("$dep")
    done
}

# modules.dep, modules.alias and modules.builtin of the modules added, in $KMODS.
write_module_indexes() {
    local name line i
    # modules.dep as depmod writes it: "module: every module it needs", those loaded first last.
    declare -gA SEEN
    for name in $(printf '%s\n' "${!MOD_STAGED[@]}" | LC_ALL=C sort); do
        SEEN=()
        ORDER=()
        needs_in_load_order "$name"
        line="${MOD_STAGED[$name]}:"
        for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do
            line+=" ${MOD_STAGED[${ORDER[$i]}]}"
        done
        echo "$line"
    done | LC_ALL=C sort > "$KMODS/modules.dep"

    for name in "${!MOD_STAGED[@]}"; do
        module_info "$KMODS/${MOD_STAGED[$name]}" | sed -n "s/^alias=\(.*\)/alias \1 $name/p"
    done | LC_ALL=C sort > "$KMODS/modules.alias"
    cp "$MODDIR/modules.builtin" "$KMODS/modules.builtin"
}

# ---------------------------------------------------------------- the archive
# One newc cpio header and name for an entry without data: ino mode rdev-major rdev-minor name.
newc_entry() {
    local namesize=$((${#5} + 1))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        "$1" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
    printf '%s\0' "$5"
    head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
}

# write_initramfs TREE FILE: the gzipped newc archive of TREE (owned by root, in name
# order, as its modes and times are: set those first for a reproducible archive), plus
# /dev/console.  That node has to be in the archive (the kernel opens it for /init before
# devtmpfs is mounted); making device nodes needs root, so it is added as a second,
# hand-written archive (the kernel reads concatenated archives).
write_initramfs() {
    local tree=$1 file=$2
    {
        (cd "$tree" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
            cpio -o -H newc -R 0:0 --reproducible --quiet)
        newc_entry 1 $((0020600)) 5 1 dev/console
        newc_entry 0 0 0 0 'TRAILER!!!'
    } | gzip -n -9 > "$file.tmp"
    touch -d @0 "$file.tmp"
    mv "$file.tmp" "$file"
}
