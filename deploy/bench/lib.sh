# Shell functions the benchmark scripts share; sourced, not run. They expect `$tmp` (the run's
# temporary folder, where logs and warnings go) and, for wait_for, `$server_pid`.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # URL: wait until it answers, or fail showing the server's log
  for _ in $(seq 150); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "no answer from $1; logs:" >&2
  cat "$tmp"/*.log >&2
  exit 1
}
cpu_times() { # busy and idle jiffies of core 0, then of core 1
  awk '$1 == "cpu0" || $1 == "cpu1" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat | xargs
}
busy_since() { # CPU_TIMES: "core0% core1%" busy since then
  echo "$1 $(cpu_times)" | awk '{ printf "%.0f %.0f\n",
    100 * ($5 - $1) / ($5 + $6 - $1 - $2), 100 * ($7 - $3) / ($7 + $8 - $3 - $4) }'
}
check_quiet() { # WHEN: the servers are idle, so a busy core means another process skewing results
  local before idle
  before=$(cpu_times); sleep 1; read -r -a idle < <(busy_since "$before")
  if ((idle[0] > 20 || idle[1] > 20)); then
    echo "WARNING: $1, other processes kept core 0 ${idle[0]}% and core 1 ${idle[1]}% busy" | tee -a "$tmp/warnings" >&2
  fi
}
header() { # FILE NAME: the value of a response header in a `curl -D` dump, without the CR
  awk -F': *' -v name="$2" 'tolower($1) == name { sub(/\r$/, "", $2); print $2 }' "$1"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
nginx_conf() { # SERVER_LINES: an nginx.conf for one worker process in the foreground, its pid and
  # temporary files under $tmp, serving with sendfile and endless keep-alive (like Lantern), with
  # SERVER_LINES (types, maps, server blocks) inside its http block.
  mkdir -p "$tmp/nginx-temp"
  cat <<EOF
$( ((EUID == 0)) && echo "user $(id -un) $(id -gn);")
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;  # like Lantern: never close a busy keep-alive connection
  client_body_temp_path $tmp/nginx-temp/body;
  proxy_temp_path $tmp/nginx-temp/proxy;
  fastcgi_temp_path $tmp/nginx-temp/fastcgi;
  uwsgi_temp_path $tmp/nginx-temp/uwsgi;
  scgi_temp_path $tmp/nginx-temp/scgi;
$1
}
EOF
}
