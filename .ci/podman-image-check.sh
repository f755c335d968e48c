#!/usr/bin/env bash
# Build the image `flaskit deploy-config docker` writes, with Debian's podman, from a
# python base made here (debootstrap, no container registry), then run the image's
# own command on the image's own (read-only) filesystem and check what it serves.
#
#   sudo bash .ci/podman-image-check.sh        # as root, on Debian 12; about 3 minutes
#
# Not part of .ci/run: it needs debootstrap's mirror and podman. On machines where
# the OCI runtime may not set rlimits (some sandboxes), `podman run` fails; the image
# is then run by chroot, with the tmpfs mounts a container runtime gives it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /var/tmp/flaskit-podman.XXXXXX)  # not /tmp: debootstrap makes device files
BASE=docker.io/library/python:3.11-slim   # the name the Dockerfile asks for
IMAGE=localhost/flaskit-site:check
cleanup() {
    podman image umount "$IMAGE" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

apt-get install -y -qq --no-install-recommends podman buildah debootstrap >/dev/null
debootstrap --variant=minbase --include=python3.11,python3.11-venv,python3-pip,ca-certificates \
    bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" ||
    { tail -20 "$WORK/debootstrap.log"; exit 1; }
ln -sf /usr/bin/python3.11 "$WORK/rootfs/usr/local/bin/python"     # as python:*-slim has it
cp /etc/ssl/certs/ca-certificates.crt "$WORK/rootfs/etc/ssl/certs/"  # this machine's proxy CA
tar -C "$WORK/rootfs" -c . | podman import - "$BASE" >/dev/null

cp -r "$ROOT/tests/apps/deploy_site" "$WORK/site"
echo "flask>=3.0" >"$WORK/site/requirements.txt"
cd "$WORK/site"
"${FLASKIT:-flaskit}" deploy-config docker --app 'deploy_site.app:create_app()' \
    --domain example.test --image "$IMAGE" >/dev/null
podman build --pull=never --isolation=chroot --network=host --format docker -q \
    -f deploy/Dockerfile -t "$IMAGE" . >/dev/null
echo "built $IMAGE with podman"

MOUNT=$(podman image mount "$IMAGE")
USER_ID=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
# Own network and mount namespaces: loopback only, tmpfs for /tmp and /dev/shm.
unshare -n -m bash -s "$MOUNT" "$USER_ID" <<'EOF'
set -euo pipefail
MOUNT=$1 USER_ID=$2
ip link set lo up
for dir in tmp dev/shm; do mount -t tmpfs tmpfs "$MOUNT/$dir"; done
mount -t proc proc "$MOUNT/proc"
in_image() {  # exec: the caller's subshell becomes the process, so its pid is the server's
    exec env -i PATH=/venv/bin:/usr/bin:/bin PYTHONUNBUFFERED=1 PORT=8000 \
        /usr/sbin/chroot --userspec="$USER_ID" "$MOUNT" "$@"
}
(in_image sh -c 'cd /app && exec gunicorn --config /app/deploy/container/gunicorn.conf.py') \
    >/tmp/flaskit-podman-gunicorn.log 2>&1 &
server=$!
for _ in $(seq 50); do
    curl -s -m 1 -o /dev/null http://127.0.0.1:8000/healthz -H 'Host: example.test' && break
    sleep 0.2
done
get() { curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Host: example.test' "$@"; }
echo "health path: $(get http://127.0.0.1:8000/healthz)"
echo "index:       $(get http://127.0.0.1:8000/)"
echo "static:      $(curl -s -m 5 -D - -o /dev/null -H 'Host: example.test' \
    http://127.0.0.1:8000/static/style.css | grep -i '^cache-control' | tr -d '\r')"
echo "70 kB body:  $(head -c 70000 /dev/zero | get --data-binary @- http://127.0.0.1:8000/)"
(in_image python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)") \
    && echo "HEALTHCHECK: ok"
kill -TERM "$server"
wait "$server" && echo "gunicorn stopped on SIGTERM with exit 0"
! pgrep -f "gunicorn --config /app/deploy/container" >/dev/null || { echo "gunicorn left running"; exit 1; }
EOF
