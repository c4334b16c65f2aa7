#!/usr/bin/env bash
# Local stand-ins for the official .NET 10 SDK and ASP.NET runtime images, for a machine that
# reaches no container registry. Prints two lines, SDK_IMAGE=... and RUNTIME_IMAGE=..., to pass
# to `podman build --build-arg`. Built once and kept: an image whose tag exists is reused.
#
#   base     Debian bookworm (debootstrap --variant=minbase from this machine's own apt source)
#            with what .NET needs: ca-certificates, libicu, libssl, tzdata.
#   aspnet   base + the host's .NET runtimes (its dotnet folder without the SDK), user "app"
#            (uid 1654 = APP_UID) and the environment the official runtime image sets.
#   sdk      aspnet + the host's SDK, packs and templates, the host's CA bundle and NuGet
#            configuration (read here at run time, never written into the repository).
# Tags carry the host's .NET versions and a hash of this script, so a new SDK or runtime, or a
# change here, builds new stand-ins (and removes the old ones).
#
# Needs root, podman, buildah, debootstrap, and CONTAINERS_CONF pointing at a containers.conf
# that suits this machine (docker/smoke.sh writes one).
set -euo pipefail

: "${CONTAINERS_CONF:?set CONTAINERS_CONF (run docker/smoke.sh, which writes it)}"
# The host's .NET (where its `dotnet` command lives), copied to where the official images keep it.
host_dotnet=$(dirname "$(readlink -f "$(command -v dotnet)")")
image_dotnet=/usr/share/dotnet
app_uid=1654

newest() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1; }
sdk_version=$(newest "$host_dotnet/sdk")
aspnet_version=$(newest "$host_dotnet/shared/Microsoft.AspNetCore.App")
runtime_version=$(newest "$host_dotnet/shared/Microsoft.NETCore.App")

# A change to this recipe builds new stand-ins too.
recipe=$(sha256sum "${BASH_SOURCE[0]}" | cut -c 1-8)
base_image=localhost/linreg-standin-base:bookworm-$recipe
runtime_image=localhost/linreg-standin-aspnet:$aspnet_version-$recipe
sdk_image=localhost/linreg-standin-sdk:$sdk_version-$recipe

say() { echo "standin: $*" >&2; }

# The Debian mirror this machine's apt uses (deb822 .sources or one-line sources.list), read now.
debian_mirror() {
  local files=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  local existing=()
  for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
  awk '
    /^URIs:/     { uri = $2 }
    /^Suites:/   { for (i = 2; i <= NF; i++) if ($i == "bookworm" && uri != "") { print uri; exit } }
    /^deb[ \t]/  { for (i = 2; i <= NF; i++) if ($i == "bookworm" && $(i-1) ~ /^[a-z]+:\/\//) { print $(i-1); exit } }
  ' "${existing[@]}" | head -n 1
}

work=$(mktemp -d /var/tmp/linreg-standin.XXXXXX)
ctr=""
cleanup() {
  if [ -n "$ctr" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! podman image exists "$base_image"; then
  mirror=$(debian_mirror)
  if [ -z "$mirror" ]; then
    echo "standin: no bookworm source found in this machine's apt sources" >&2
    exit 1
  fi
  say "debootstrap bookworm (minbase) into $work/rootfs"
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata \
    bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import --quiet --change 'CMD ["bash"]' - "$base_image" >/dev/null
  rm -rf "$work/rootfs"
fi

# Starts a working container from $1 and mounts it; sets ctr and mnt.
open_container() {
  ctr=$(buildah from --pull-never "$1")
  mnt=$(buildah mount "$ctr")
}

# Commits the working container as $1 and forgets it.
commit_container() {
  buildah commit --quiet --format docker "$ctr" "$1" >/dev/null
  buildah rm "$ctr" >/dev/null
  ctr=""
}

if ! podman image exists "$runtime_image"; then
  say "building $runtime_image from the host's .NET runtimes"
  open_container "$base_image"
  mkdir -p "$mnt$image_dotnet"
  for part in dotnet host shared LICENSE.txt ThirdPartyNotices.txt; do
    if [ -e "$host_dotnet/$part" ]; then cp -a "$host_dotnet/$part" "$mnt$image_dotnet/"; fi
  done
  ln -sf "$image_dotnet/dotnet" "$mnt/usr/bin/dotnet"
  # As the official image: group and user "app" with APP_UID, a home folder.
  chroot "$mnt" groupadd --gid "$app_uid" app
  chroot "$mnt" useradd --no-log-init --uid "$app_uid" --gid "$app_uid" --create-home app
  buildah config \
    --env APP_UID="$app_uid" \
    --env ASPNETCORE_HTTP_PORTS=8080 \
    --env DOTNET_RUNNING_IN_CONTAINER=true \
    --env DOTNET_VERSION="$runtime_version" \
    --env ASPNET_VERSION="$aspnet_version" \
    --label org.opencontainers.image.description="Stand-in for the official ASP.NET $aspnet_version runtime image" \
    --label io.linregservice.standin=true \
    "$ctr"
  buildah umount "$ctr" >/dev/null
  commit_container "$runtime_image"
fi

if ! podman image exists "$sdk_image"; then
  say "building $sdk_image from the host's .NET SDK"
  open_container "$runtime_image"
  for part in sdk sdk-manifests packs templates metadata; do
    if [ -e "$host_dotnet/$part" ]; then cp -a "$host_dotnet/$part" "$mnt$image_dotnet/"; fi
  done
  # This machine's CA bundle (its package source may sit behind its own CA) and NuGet sources.
  cp /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
  nuget_config="${HOME:-/root}/.nuget/NuGet/NuGet.Config"
  if [ -f "$nuget_config" ]; then
    mkdir -p "$mnt/root/.nuget/NuGet"
    cp "$nuget_config" "$mnt/root/.nuget/NuGet/NuGet.Config"
  fi
  env_args=(--env DOTNET_SDK_VERSION="$sdk_version" --env DOTNET_GENERATE_ASPNET_CERTIFICATE=false
            --env DOTNET_NOLOGO=true --env NUGET_XMLDOC_MODE=skip --env HOME=/root)
  # This machine's NuGet client setting (no online revocation check) holds inside the build too.
  if [ -n "${NUGET_CERT_REVOCATION_MODE:-}" ]; then
    env_args+=(--env "NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE")
  fi
  buildah config "${env_args[@]}" \
    --label org.opencontainers.image.description="Stand-in for the official .NET SDK $sdk_version image" \
    "$ctr"
  buildah umount "$ctr" >/dev/null
  commit_container "$sdk_image"
fi

# Stand-ins of other .NET versions or recipes are only taking space.
for repo_image in "$base_image" "$runtime_image" "$sdk_image"; do
  repo=${repo_image%:*}
  for stale in $(podman images --format '{{.Repository}}:{{.Tag}}' "$repo"); do
    if [ "$stale" != "$repo_image" ]; then podman rmi "$stale" >/dev/null 2>&1 || true; fi
  done
done

echo "SDK_IMAGE=$sdk_image"
echo "RUNTIME_IMAGE=$runtime_image"
