#!/usr/bin/env bash
# Proves docker/Dockerfile on a machine with no Docker engine and no container registry, with
# Debian's podman/buildah, using the commands of README.md's "Run in Docker" section:
#
#   build    podman build ... -f docker/Dockerfile -t linregservice .   (stand-in base images)
#   run      podman run -d --name linreg-smoke -v linreg-smoke-data:/app/data linregservice
#   keys     a call without a key is a 401 (the image requires keys); the admin key of Auth__AdminKey works
#   job      POST /api/jobs with the book's run, poll until succeeded, w ≈ [2, -3.4], b ≈ 4.2
#   pages    the dashboard and the job's loss.svg (with text) come from the image
#   checks   the image's HEALTHCHECK passes, the process is not root, every log line is JSON, the key in none
#   volume   restart the container, then remove it and run a new one on the same volume: the job is still there
#   stop     SIGTERM, exit code 0 inside Docker's 10 s grace; container and volume removed
#
# What differs from the README's docker commands, and why (facts of this machine):
#   - base images: local stand-ins (docker/standin-images.sh) passed as --build-arg, --pull=never;
#   - host networking, the service bound to 127.0.0.1 on a free port (ASPNETCORE_URLS) instead of
#     -p 127.0.0.1:8080:8080: podman's bridge would take a private 10.x range, not allowed here;
#   - a containers.conf of its own (CONTAINERS_CONF): runc (crun fails on this hybrid cgroup
#     setup), explicit nofile/nproc ulimits (root lacks CAP_SYS_RESOURCE), cgroupfs, file events;
#   - builds with --isolation chroot and --format docker (OCI images drop HEALTHCHECK);
#   - no systemd here, so podman cannot schedule the periodic health check (it says so on
#     stderr); the script runs it with `podman healthcheck run`.
# Rerunnable: it removes what a failed earlier run left, and keeps only the images (the
# stand-ins and the build's layer cache), so a second run takes seconds plus the build.
set -euo pipefail
cd "$(dirname "$0")/.."

image=linregservice
name=linreg-smoke
volume=linreg-smoke-data

for tool in podman buildah debootstrap curl jq flock timeout; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool is missing (apt-get install podman buildah runc debootstrap curl jq)" >&2; exit 1; }
done

# One run at a time on this machine: the names above are fixed.
exec 9>/run/lock/linreg-smoke.lock
timeout 900 flock 9 || { echo "smoke: another smoke run held the lock for 15 minutes" >&2; exit 1; }

state=$(mktemp -d /tmp/linreg-smoke.XXXXXX)
step_log="$state/step.log"
nofile=$(ulimit -Hn)
cat >"$state/containers.conf" <<EOF
[containers]
netns = "host"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$state/containers.conf"

remove_own() {
  if podman container exists "$name" 2>/dev/null; then
    timeout 60 podman rm -f -v -t 10 "$name" >/dev/null 2>&1 || true
  fi
  if podman volume exists "$volume" 2>/dev/null; then
    timeout 60 podman volume rm -f "$volume" >/dev/null 2>&1 || true
  fi
}
finish() {
  local code=$?
  if [ "$code" -ne 0 ]; then
    echo "smoke: FAILED (exit $code); last lines of the step's log:" >&2
    tail -n 40 "$step_log" >&2 2>/dev/null || true
    if podman container exists "$name" 2>/dev/null; then
      echo "smoke: last lines of the container's log:" >&2
      timeout 30 podman logs "$name" 2>&1 | tail -n 40 >&2 || true
    fi
  fi
  remove_own
  rm -rf "$state"
  exit "$code"
}
trap finish EXIT
trap 'exit 130' INT TERM

started=$SECONDS
step() {
  echo "== [$((SECONDS - started)) s] $*"
  : >"$step_log"
}
fail() { echo "smoke: $*" >&2; exit 1; }

# A free TCP port on 127.0.0.1 (nothing answers a connect there).
free_port() {
  local port
  for port in $(shuf -i 56000-56999 -n 200); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free port in 56000-56999"
}

step "leftovers of an earlier run"
remove_own

step "stand-in base images (built once, then reused)"
timeout 900 bash docker/standin-images.sh >"$state/images.env" 2>"$step_log" || fail "stand-in images"
grep '^standin:' "$step_log" | sed 's/^/   /' || true
sed 's/^/   /' "$state/images.env"
sdk_image=$(sed -n 's/^SDK_IMAGE=//p' "$state/images.env")
runtime_image=$(sed -n 's/^RUNTIME_IMAGE=//p' "$state/images.env")

step "podman build -f docker/Dockerfile -t $image ."
build=(podman build --format docker --isolation chroot --network host --pull=never
       --build-arg SDK_IMAGE="$sdk_image" --build-arg RUNTIME_IMAGE="$runtime_image" -f docker/Dockerfile)
# The build stage gets a tag of its own first (all of it is reused by the full build), so what
# an earlier build left untagged can be pruned below without losing this build's layer cache.
timeout 1200 "${build[@]}" --target build -t "$image-build" . >"$step_log" 2>&1 || fail "image build (build stage)"
cached_steps() { echo "$(grep -c '^--> Using cache' "$1") of $(grep -cE 'STEP [0-9]+/' "$1") steps from the layer cache"; }
echo "   build stage: $(cached_steps "$step_log")"
cp "$step_log" "$state/build-stage.log"
timeout 1200 "${build[@]}" -t "$image" . >"$step_log" 2>&1 || fail "image build"
echo "   whole image: $(cached_steps "$step_log")"
# Untagged images built on the stand-ins (the label comes from them) are earlier builds' leftovers.
timeout 300 podman image prune -f --filter label=io.linregservice.standin=true >>"$step_log" 2>&1 || true
healthcheck=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$image")
echo "   HEALTHCHECK $healthcheck"
[ "$healthcheck" != "null" ] || fail "the image has no HEALTHCHECK"

port=$(free_port)
url="http://127.0.0.1:$port"

# The admin key, as docker/compose.yaml passes it (Auth__AdminKey): in files, not on command lines.
admin_key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
printf 'Auth__AdminKey=%s\n' "$admin_key" >"$state/auth.env"
printf 'Authorization: Bearer %s\n' "$admin_key" >"$state/auth.header"
chmod 600 "$state/auth.env" "$state/auth.header"
auth=(-H "@$state/auth.header")

# Runs the image as README's `docker run`, but on the host's network bound to 127.0.0.1:$port.
run_container() {
  timeout 120 podman run -d --name "$name" --network host -e ASPNETCORE_URLS="$url" --env-file "$state/auth.env" \
    -v "$volume:/app/data" "$image" >>"$step_log" 2>&1 || fail "podman run"
}

# Waits (at most 60 s) until /health/ready answers 200, failing early if the container exits.
wait_ready() {
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" != "true" ]; then
      fail "the container stopped before it was ready"
    fi
    if curl -fsS --max-time 2 "$url/health/ready" >>"$step_log" 2>&1; then
      echo "   ready after $((60 - deadline + SECONDS)) s at $url"
      return
    fi
    sleep 0.5
  done
  fail "not ready within 60 s"
}

step "podman run -d --name $name -v $volume:/app/data $image  (on $url)"
run_container
wait_ready

step "the image's HEALTHCHECK (dotnet LinRegService.dll --healthcheck)"
timeout 60 podman healthcheck run "$name" >>"$step_log" 2>&1 || fail "HEALTHCHECK failed"
echo "   healthy"

step "the service does not run as root"
uid_inside=$(timeout 30 podman exec "$name" id -u)
pid=$(podman inspect --format '{{.State.Pid}}' "$name")
uid_process=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
echo "   id -u in the container: $uid_inside; $(tr '\0' ' ' <"/proc/$pid/cmdline")(pid $pid on the host) runs as uid $uid_process"
if [ "$uid_inside" = "0" ] || [ "$uid_process" = "0" ]; then fail "the service runs as root"; fi

step "keys: none is a 401, the admin key of Auth__AdminKey is let in"
status=$(curl -sS --max-time 10 -o "$state/refused.json" -D "$state/refused.headers" -w '%{http_code}' -X POST "$url/api/jobs" \
  -H 'Content-Type: application/json' -d '{}')
[ "$status" = "401" ] || fail "POST /api/jobs without a key answered $status: $(cat "$state/refused.json")"
grep -qi '^WWW-Authenticate: Bearer' "$state/refused.headers" || fail "the 401 has no WWW-Authenticate: Bearer"
curl -fsS --max-time 10 "${auth[@]}" -o "$state/me.json" "$url/api/keys/me" 2>>"$step_log" || fail "GET /api/keys/me with the admin key"
[ "$(jq -r '.role + " " + .key.origin' "$state/me.json")" = "admin config" ] || fail "the admin key is not the configured admin: $(cat "$state/me.json")"
echo "   401 without a key; the admin key is $(jq -r .key.id "$state/me.json") (origin config)"

step "POST /api/jobs with {}: the book's run"
status=$(curl -sS --max-time 10 "${auth[@]}" -o "$state/submitted.json" -w '%{http_code}' -X POST "$url/api/jobs" \
  -H 'Content-Type: application/json' -d '{}')
[ "$status" = "202" ] || fail "POST /api/jobs answered $status: $(cat "$state/submitted.json")"
id=$(jq -r .id "$state/submitted.json")
echo "   202 Accepted, job $id, seeds $(jq -c '[.request.dataset.seed, .request.training.seed]' "$state/submitted.json")"

# GETs the job into $state/job.json until it has finished (at most 60 s); prints its status.
wait_finished() {
  local deadline=$((SECONDS + 60)) status=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -fsS --max-time 5 "${auth[@]}" -o "$state/job.json" "$url/api/jobs/$id" 2>>"$step_log" || true
    status=$(jq -r '.status // empty' "$state/job.json" 2>/dev/null || true)
    case "$status" in succeeded | failed | canceled) echo "$status"; return ;; esac
    sleep 0.5
  done
  echo "${status:-no answer}"
}

step "GET /api/jobs/$id until it finishes"
status=$(wait_finished)
[ "$status" = "succeeded" ] || fail "job $id ended $status: $(cat "$state/job.json")"
# Close to the true parameters: the book's run learns them to about 1e-3.
jq -e 'def near($a; $b): ($a - $b) * ($a - $b) < 0.05 * 0.05;
       near(.result.weights[0]; 2) and near(.result.weights[1]; -3.4) and near(.result.bias; 4.2)
       and (.result.weights | length) == 2 and (.epochLosses | length) == 3' "$state/job.json" >/dev/null \
  || fail "job $id learned something else: $(jq -c '.result' "$state/job.json")"
learned=$(jq -c '{weights: .result.weights, bias: .result.bias, epochLosses}' "$state/job.json")
echo "   succeeded: $learned"

step "the dashboard and a plot render in the image (static files, SkiaSharp's native library, the bundled font)"
curl -fsS --max-time 10 -o "$state/index.html" "$url/" 2>>"$step_log" || fail "GET / (the dashboard)"
grep -q "LinRegService" "$state/index.html" || fail "GET / did not serve the dashboard"
curl -fsS --max-time 20 "${auth[@]}" -o "$state/loss.svg" "$url/api/jobs/$id/plots/loss.svg" 2>>"$step_log" || fail "GET loss.svg"
grep -q "<svg" "$state/loss.svg" && grep -q "<text" "$state/loss.svg" || fail "loss.svg has no SVG text: $(head -c 300 "$state/loss.svg")"
echo "   dashboard $(wc -c <"$state/index.html") bytes, loss.svg $(wc -c <"$state/loss.svg") bytes with text"

step "logs are JSON lines, the job's lines carry its id"
timeout 30 podman logs "$name" >"$state/container.log" 2>&1
# Each line on its own must parse (-R reads lines as text) and be a compact-JSON event.
if ! jq -R -c 'fromjson | select(type != "object" or (has("@t") | not))' "$state/container.log" >"$step_log" 2>&1 \
  || [ -s "$step_log" ]; then
  fail "a log line is not a compact-JSON event: $(head -n 3 "$step_log")"
fi
job_lines=$(jq -c --arg id "$id" 'select(.JobId == $id)' "$state/container.log" | wc -l)
key_lines=$(jq -c 'select(.KeyId != null)' "$state/container.log" | wc -l)
echo "   $(wc -l <"$state/container.log") lines, all JSON; $job_lines with JobId $id, $key_lines with a KeyId"
[ "$job_lines" -gt 0 ] || fail "no log line names job $id"
[ "$key_lines" -gt 0 ] || fail "no request line names the key it was made with"
if grep -qF "$admin_key" "$state/container.log"; then fail "the admin key is in the container's log"; fi

step "podman restart $name: the job is still there"
timeout 60 podman restart -t 10 "$name" >>"$step_log" 2>&1 || fail "podman restart"
wait_ready
curl -fsS --max-time 10 "${auth[@]}" -o "$state/restarted.json" "$url/api/jobs/$id" 2>>"$step_log" || fail "GET after podman restart"
[ "$(jq -r .status "$state/restarted.json")" = "succeeded" ] || fail "after the restart job $id is: $(head -c 400 "$state/restarted.json")"
echo "   job $id: succeeded"

step "a new container on the same volume still has the job"
timeout 60 podman stop -t 10 "$name" >>"$step_log" 2>&1 || fail "podman stop"
timeout 60 podman rm "$name" >>"$step_log" 2>&1 || fail "podman rm"
run_container
wait_ready
curl -fsS --max-time 10 "${auth[@]}" -o "$state/again.json" "$url/api/jobs/$id" 2>>"$step_log" || fail "GET after the restart"
again=$(jq -c '{weights: .result.weights, bias: .result.bias, epochLosses}' "$state/again.json")
if [ "$(jq -r .status "$state/again.json")" != "succeeded" ] || [ "$again" != "$learned" ]; then
  fail "in the new container job $id is: $(head -c 400 "$state/again.json")"
fi
echo "   job $id: succeeded, same result"

step "podman stop: SIGTERM, clean exit"
timeout 60 podman stop -t 10 "$name" >>"$step_log" 2>&1 || fail "podman stop"
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
echo "   exit code $exit_code"
[ "$exit_code" = "0" ] || fail "the service exited with $exit_code on SIGTERM"

step "remove the container and its volume"
remove_own
echo "docker smoke: passed in $((SECONDS - started)) s"
