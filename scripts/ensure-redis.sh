#!/usr/bin/env bash
# The tests of the real Celery worker need Redis at 127.0.0.1:6379. Start a
# throwaway local server (no persistence) if none answers; install Debian's
# redis-server if it is absent.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
ready && exit 0
if ! command -v redis-server >/dev/null 2>&1; then
  echo "安装 Redis（后台任务测试需要）…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
dir=$(mktemp -d /tmp/fazhi-redis.XXXXXX)
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir "$dir" --logfile "$dir/redis.log"
for _ in $(seq 1 30); do ready && break; sleep 0.2; done
ready || { echo "Redis 未能启动，见 $dir/redis.log" >&2; exit 1; }
