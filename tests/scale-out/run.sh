#!/usr/bin/env bash
# Two `lantern serve` processes behind nginx, on one PostgreSQL database and one media store,
# behave as one service. Everything runs on this machine, on 127.0.0.1 and ports picked here:
#
#   - a fresh PostgreSQL database (dropped at exit) on the machine's server;
#   - the media store: S3 on the Garage that .ci/garage-start.sh started when its variables are
#     set (LANTERN_TEST_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY; objects
#     go under a folder of this run's own, removed at exit), else one folder both servers share;
#   - two servers, each with a data folder (search index) of its own, sharing the database, the
#     media store, the secrets key (made once, before either starts, as a deployment would) and
#     one mail root (file transport: each server writes under mail/<server>, so a message sent
#     twice would show as two files instead of one overwriting the other);
#   - nginx in front, configured from deploy/nginx.conf itself (its upstream, listen and log lines
#     rewritten for this machine), the servers trusting it as a proxy (security.trusted_proxies).
#
# Then it checks, each with a line "ok: …" (the first failure stops it, saying what failed):
#   start   the two started together imported the demo content once (the start-up lock);
#   a       a session started on one server works on the other and through nginx, forms (CSRF)
#           included; the client's address is seen through nginx (trusted proxy);
#   b       a new version of a course, uploaded and submitted through one server (the JSON API with
#           API tokens, or the web forms when the API is not in the binary) and approved through
#           the other, is found by search through the first within 10 s;
#   c       the image uploaded with it through one server is served by the other, the same bytes
#           (their SHA-256 is the address) and the same ETag;
#   d       one password-reset request gives exactly one email, and every message the run made
#           was written once, by one server;
#   e       background jobs ran once: each outbox row sent after one attempt, no media job claimed
#           twice, no variant recorded twice;
#   f       50 requests to /courses through nginx are all 200 and reached both servers.
#
#   tests/scale-out/run.sh                          # shared folder for media
#   eval "$(.ci/garage-start.sh "$dir")"; tests/scale-out/run.sh   # S3 on Garage
#
# Environment: CARGO_TARGET_DIR (default ~/.cache/lantern/target; the binary is
# $CARGO_TARGET_DIR/debug/lantern, built with `cargo build -p lantern --bin lantern` when missing),
# LANTERN_BINARY (use this binary instead), LANTERN_CI_POSTGRES (default
# postgres://postgres@127.0.0.1:5432), NGINX (default /usr/sbin/nginx), SCALE_OUT_VIA=forms (check b
# through the web forms even when the JSON API is there), KEEP_TMP=1 (keep the run's folder:
# configurations, logs, mail).
set -Eeuo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
pg=${LANTERN_CI_POSTGRES:-postgres://postgres@127.0.0.1:5432}
nginx=${NGINX:-/usr/sbin/nginx}
started_at=$SECONDS

if [[ ! -x $nginx ]] && ((EUID == 0)) && [[ -z ${NGINX:-} ]]; then
  echo "installing nginx-light (no $nginx)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null
fi
for tool in curl psql python3 jq zip sha256sum "$nginx"; do
  command -v "$tool" >/dev/null || { echo "FAIL: missing tool: $tool" >&2; exit 1; }
done

run_id=$(od -An -vtx1 -N4 /dev/urandom | tr -d ' \n')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-scaleout.XXXXXX")
db=lantern_scaleout_$run_id
pids=()
db_made=0
s3=0
s3_root=scaleout-$run_id
passed=()
current="setting up"

# ---- reporting and cleanup ----------------------------------------------------------------------

ok() { passed+=("$*"); echo "ok: $*"; }
die() {
  echo "FAIL ($current): $*" >&2
  exit 1
}
on_error() { # LINE COMMAND: a command failed unexpectedly (set -e)
  echo "FAIL ($current): line $1: \`$2\` failed" >&2
}
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR

s3_curl() { # METHOD PATH-AND-QUERY [curl args]: a signed request to the bucket
  local method=$1 path=$2
  shift 2
  curl -sS --max-time 20 -X "$method" --aws-sigv4 "aws:amz:$LANTERN_TEST_S3_REGION:s3" \
    --user "$LANTERN_TEST_S3_ACCESS_KEY_ID:$LANTERN_TEST_S3_SECRET_ACCESS_KEY" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    "$@" "$LANTERN_TEST_S3_ENDPOINT/$LANTERN_TEST_S3_BUCKET$path"
}
s3_keys() { # the keys of this run's objects, one a line
  # The prefix's slash percent-encoded, as the signature's canonical query has it.
  s3_curl GET "?list-type=2&max-keys=1000&prefix=$s3_root%2F" |
    python3 -c 'import sys, re; print("\n".join(re.findall(r"<Key>([^<]+)</Key>", sys.stdin.read())))'
}

cleanup() {
  local rc=$? pid
  trap - ERR
  set +e
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if ((db_made)); then
    psql "$pg/postgres" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 ||
      echo "warning: could not drop database $db" >&2
  fi
  if ((s3)); then
    local key
    for key in $(s3_keys 2>/dev/null); do s3_curl DELETE "/$key" -o /dev/null 2>/dev/null; done
  fi
  echo
  echo "== scale-out summary ($((SECONDS - started_at)) s; media store: $( ((s3)) && echo "S3 at $LANTERN_TEST_S3_ENDPOINT" || echo "shared folder"))"
  local line
  for line in "${passed[@]}"; do echo "  ok: $line"; done
  if ((rc == 0)); then
    echo "  all ${#passed[@]} checks passed"
  else
    echo "  $( ((rc == 130)) && echo "INTERRUPTED" || echo "FAILED") at: $current (exit status $rc)"
    local log
    for log in "$tmp"/server-a.log "$tmp"/server-b.log "$tmp"/cli.log "$tmp"/nginx/error.log; do
      [[ -s $log ]] || continue
      echo "--- last lines of $log"
      tail -n 25 "$log"
    done
  fi
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- small helpers ------------------------------------------------------------------------------

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
sql() { psql "$pg/$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
sha256() { sha256sum "$1" | cut -d' ' -f1; }
header() { # FILE NAME: a header's value in a `curl -D` dump
  awk -F': *' -v name="$2" 'tolower($1) == name { sub(/\r$/, "", $2); print $2 }' "$1" | tail -n 1
}
eventually() { # SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# http JAR URL [curl args]: the status code (000 when there is no answer); the body in $tmp/body,
# the headers in $tmp/head. JAR "-" sends no cookie (an API client or a first visit). Cookies are
# kept per host, not per port, as a browser does: a jar filled through one server is sent to the
# other and to nginx, all on 127.0.0.1.
http() {
  local jar=$1 url=$2
  shift 2
  local cookies=()
  [[ $jar == - ]] || cookies=(-b "$jar" -c "$jar")
  curl -sS --max-time 60 "${cookies[@]}" "${curl_extra[@]}" -o "$tmp/body" -D "$tmp/head" -w '%{http_code}' \
    "$@" "$url" || true
}
curl_extra=() # added to every http(): a header some requests share
csrf_of() { awk '$6 == "lantern-csrf" { print $7 }' "$1"; }
origin_of() { [[ $1 =~ ^(https?://[^/]+) ]] && echo "${BASH_REMATCH[1]}"; }
# form JAR URL FIELD=VALUE...: a browser's POST of a form (CSRF token and Origin included).
form() {
  local jar=$1 url=$2 field
  shift 2
  local args=(-H "Origin: $(origin_of "$url")" --data-urlencode "csrf_token=$(csrf_of "$jar")")
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  http "$jar" "$url" "${args[@]}"
}
expect() { # WANT GOT WHAT
  [[ $2 == "$1" ]] || die "$3: HTTP $2, expected $1 ($(head -c 300 "$tmp/body" | tr '\n' ' '))"
}

# Every message in the mail root as one JSON object a line: server, file, to, subject, id, text.
mail_json() {
  python3 - "$mail" <<'PY'
import email, email.policy, json, pathlib, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*/*.eml")):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))
    print(json.dumps({
        "server": path.parent.name, "file": path.name, "to": str(message["To"]).lower(),
        "subject": str(message["Subject"]), "id": str(message["Message-ID"]),
        "text": body.get_content() if body else "",
    }))
PY
}
mails_to() { mail_json | jq -c --arg to "$1" 'select(.to | contains($to))'; }
has_mail() { # ADDRESS PATTERN: a message to ADDRESS whose text matches PATTERN exists
  [[ -n $(mails_to "$1" | jq -r --arg p "$2" 'select(.text | test($p)) | .file') ]]
}

# ---- the binary ---------------------------------------------------------------------------------

current="the binary"
binary=${LANTERN_BINARY:-$CARGO_TARGET_DIR/debug/lantern}
if [[ ! -x $binary ]]; then
  echo "building $binary (cargo build -p lantern --bin lantern; may wait for another build's lock)"
  (cd "$repo" && cargo build -q -p lantern --bin lantern)
fi
[[ -x $binary ]] || die "no binary at $binary"
# The binary may be rebuilt by someone else while this runs: use a copy.
cp "$binary" "$tmp/lantern"

# ---- database, media store, shared files --------------------------------------------------------

current="PostgreSQL"
psql "$pg/postgres" -qc "create database $db" >/dev/null || die "cannot create database $db on $pg"
db_made=1

current="media store"
shared=$tmp/shared
mail=$shared/mail
mkdir -p "$shared/media" "$mail"
if [[ -n ${LANTERN_TEST_S3_ENDPOINT:-} ]]; then
  for var in LANTERN_TEST_S3_BUCKET LANTERN_TEST_S3_REGION LANTERN_TEST_S3_ACCESS_KEY_ID LANTERN_TEST_S3_SECRET_ACCESS_KEY; do
    [[ -n ${!var:-} ]] || die "LANTERN_TEST_S3_ENDPOINT is set but $var is not (see .ci/garage-start.sh)"
  done
  s3=1
  code=$(s3_curl GET "?list-type=2&max-keys=1" -o /dev/null -w '%{http_code}' || echo 000)
  [[ $code == 200 ]] || die "the bucket $LANTERN_TEST_S3_BUCKET at $LANTERN_TEST_S3_ENDPOINT answers $code to a signed list"
  echo "media store: S3, bucket $LANTERN_TEST_S3_BUCKET at $LANTERN_TEST_S3_ENDPOINT, folder $s3_root"
else
  echo "########################################################################"
  echo "## S3 not configured: using a shared folder ($shared/media)"
  echo "## (set the variables .ci/garage-start.sh prints to run on Garage)"
  echo "########################################################################"
fi

# The secrets key every server of one deployment shares, made before any starts.
(umask 077 && head -c 32 /dev/urandom >"$shared/secrets.key")

# ---- configuration and servers ------------------------------------------------------------------

current="starting the servers"
port_a=$(free_port)
port_b=$(free_port)
port_front=$(free_port)
while [[ $port_b == "$port_a" ]]; do port_b=$(free_port); done
while [[ $port_front == "$port_a" || $port_front == "$port_b" ]]; do port_front=$(free_port); done
a=http://127.0.0.1:$port_a
b=http://127.0.0.1:$port_b
front=http://127.0.0.1:$port_front

# write_config NAME LISTEN: a data folder of its own (the search index), shared everything else.
write_config() {
  local name=$1 listen=$2 data=$tmp/$1
  mkdir -p "$data" "$mail/$name"
  ln -s "$mail/$name" "$data/mail"
  ((s3)) || ln -s "$shared/media" "$data/media"
  cat >"$tmp/$name.toml" <<EOF
data_dir = "$data"
listen = "$listen"
database_url = "$pg/$db"
public_url = "$front"
workers = 2
content_dir = "$repo/content"
import_content_on_start = true

[security]
trusted_proxies = ["127.0.0.1"]
secrets_key_file = "$shared/secrets.key"

[mail]
poll_milliseconds = 500

[log]
level = "info"

[media]
store = "$( ((s3)) && echo s3 || echo fs)"
job_poll_milliseconds = 500
EOF
  if ((s3)); then
    cat >>"$tmp/$name.toml" <<EOF

[media.s3]
endpoint = "$LANTERN_TEST_S3_ENDPOINT"
bucket = "$LANTERN_TEST_S3_BUCKET"
region = "$LANTERN_TEST_S3_REGION"
access_key_id = "$LANTERN_TEST_S3_ACCESS_KEY_ID"
root = "$s3_root"
EOF
  fi
}
write_config server-a "127.0.0.1:$port_a"
write_config server-b "127.0.0.1:$port_b"
write_config cli "127.0.0.1:$(free_port)" # for `lantern admin …`, never serving

# The loader refuses unknown LANTERN_* variables: run Lantern with none but the secret.
clean_env=(env)
for var in $(compgen -e | grep '^LANTERN_' || true); do clean_env+=(-u "$var"); done
clean_env+=(NO_COLOR=1 MALLOC_MMAP_THRESHOLD_=1048576)
((s3)) && clean_env+=(LANTERN_MEDIA__S3__SECRET_ACCESS_KEY="$LANTERN_TEST_S3_SECRET_ACCESS_KEY")
lantern() { # NAME ARGS...: the binary with NAME's configuration (its log to $tmp/NAME.log)
  local name=$1
  shift
  "${clean_env[@]}" "$tmp/lantern" --config "$tmp/$name.toml" "$@" 2>>"$tmp/$name.log"
}

# Both at once, on the empty database: they must take turns to migrate and import.
(cd "$tmp" && exec "${clean_env[@]}" "$tmp/lantern" --config "$tmp/server-a.toml" serve) >"$tmp/server-a.log" 2>&1 &
pids+=($!)
pid_a=$!
(cd "$tmp" && exec "${clean_env[@]}" "$tmp/lantern" --config "$tmp/server-b.toml" serve) >"$tmp/server-b.log" 2>&1 &
pids+=($!)
pid_b=$!
ready() { # URL PID
  kill -0 "$2" 2>/dev/null || die "the server for $1 exited"
  curl -fs -o /dev/null --max-time 2 "$1/readyz"
}
eventually 180 ready "$a" "$pid_a" || die "$a/readyz did not answer within 180 s"
eventually 180 ready "$b" "$pid_b" || die "$b/readyz did not answer within 180 s"
echo "servers ready: A $a (pid $pid_a), B $b (pid $pid_b) after $((SECONDS - started_at)) s"

# ---- nginx, from deploy/nginx.conf --------------------------------------------------------------

current="starting nginx"
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/temp"
# The shipped server lines, rewritten for this machine; each rewrite must apply.
site=$(sed -e "s|server lantern-1:8080|server 127.0.0.1:$port_a|" \
  -e "s|server lantern-2:8080|server 127.0.0.1:$port_b|" \
  -e "s|listen 80;|listen 127.0.0.1:$port_front;|" \
  -e "s|access_log /var/log/nginx/access.log lantern;|access_log $tmp/nginx/access.log scaleout;|" \
  "$repo/deploy/nginx.conf")
for want in "server 127.0.0.1:$port_a" "server 127.0.0.1:$port_b" "listen 127.0.0.1:$port_front;" \
  "access_log $tmp/nginx/access.log scaleout;" "proxy_pass http://lantern;"; do
  grep -qF "$want" <<<"$site" || die "deploy/nginx.conf no longer has the line this script rewrites into '$want'"
done
{
  ((EUID == 0)) && echo "user $(id -un) $(id -gn);"
  cat <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path $tmp/nginx/temp/body;
  proxy_temp_path $tmp/nginx/temp/proxy;
  fastcgi_temp_path $tmp/nginx/temp/fastcgi;
  uwsgi_temp_path $tmp/nginx/temp/uwsgi;
  scgi_temp_path $tmp/nginx/temp/scgi;
  # deploy/nginx.conf's format, plus the upstream that answered (for check f)
  log_format scaleout '\$remote_addr "\$request_method \$lantern_logged_path" \$status upstream=\$upstream_addr';
$site
}
EOF
} >"$tmp/nginx/nginx.conf"
"$nginx" -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" 2>"$tmp/nginx/test.log" ||
  die "nginx refuses the configuration: $(cat "$tmp/nginx/test.log")"
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" 2>>"$tmp/nginx/error.log" &
pids+=($!)
pid_nginx=$!
eventually 20 ready "$front" "$pid_nginx" || die "nginx at $front does not answer /readyz"
echo "nginx ready: $front -> A, B (configuration from deploy/nginx.conf)"

# ---- start: one import --------------------------------------------------------------------------

current="start-up: the demo content imported once"
imports=$(cat "$tmp/server-a.log" "$tmp/server-b.log" | grep -c 'imported the content folder into an empty database' || true)
[[ $imports == 1 ]] || die "$imports servers say they imported the content folder (want exactly 1)"
importer=$(grep -l 'imported the content folder' "$tmp/server-a.log" "$tmp/server-b.log" | xargs -n1 basename | sed 's/\.log$//')
courses_in_content=$(find "$repo/content/courses" -mindepth 2 -maxdepth 2 -name course.toml | wc -l)
[[ $(sql "select count(*) from course") == "$courses_in_content" ]] || die "courses in the database: $(sql "select count(*) from course"), in content/: $courses_in_content"
[[ $(sql "select count(*) from course_version") == "$courses_in_content" ]] || die "course versions: $(sql "select count(*) from course_version") for $courses_in_content courses (imported twice?)"
[[ $(sql "select count(*) from organisation") == "$(grep -c '^\[\[organisations\]\]' "$repo/content/organisations.toml")" ]] || die "organisations imported more than once"
ok "started together on an empty database, the content was imported once (by $importer): $courses_in_content courses, one version each"

# ---- accounts -----------------------------------------------------------------------------------

current="accounts"
password="kettle orange lantern river"
admin=admin-$run_id@scaleout.example.org
author=author-$run_id@scaleout.example.org
reviewer=reviewer-$run_id@scaleout.example.org
learner=learner-$run_id@scaleout.example.org
printf '%s\n' "$password" | lantern cli admin create --email "$admin" --name "Scale-out Admin" --password-stdin >/dev/null

sign_up() { # JAR BASE NAME EMAIL [CLIENT-ADDRESS]: a browser's sign-up (from CLIENT-ADDRESS, forwarded)
  local jar=$1 base=$2 name=$3 email=$4
  : >"$jar"
  [[ -z ${5:-} ]] || curl_extra=(-H "X-Forwarded-For: $5")
  expect 200 "$(http "$jar" "$base/sign-up")" "GET $base/sign-up"
  expect 303 "$(form "$jar" "$base/sign-up" "name=$name" "email=$email" "password=$password")" "sign-up of $email through $base"
  curl_extra=()
}
jar_author=$tmp/author.jar
jar_reviewer=$tmp/reviewer.jar
jar_admin=$tmp/admin.jar
jar_learner=$tmp/learner.jar
sign_up "$jar_author" "$a" "Scale-out Author" "$author"
# The reviewer signs up through nginx from a client address nginx forwards.
sign_up "$jar_reviewer" "$front" "Scale-out Reviewer" "$reviewer" 203.0.113.77
sign_up "$jar_learner" "$b" "Scale-out Learner" "$learner"

# ---- a: sessions across servers ----------------------------------------------------------------

current="a: a session across servers"
expect 200 "$(http "$jar_author" "$a/account")" "the author's /account through A"
grep -q "Scale-out Author" "$tmp/body" || die "A's /account does not show the author"
expect 200 "$(http "$jar_author" "$b/account")" "the author's /account through B (session started on A)"
grep -q "Scale-out Author" "$tmp/body" || die "B's /account does not show the author"
for n in 1 2 3 4; do
  expect 200 "$(http "$jar_author" "$front/account")" "the author's /account through nginx (request $n)"
  grep -q "Scale-out Author" "$tmp/body" || die "nginx's /account (request $n) does not show the author"
done
# Without the cookie, the same page asks to sign in: the 200s above are the session's doing.
code=$(http - "$b/account")
[[ $code == 303 || $code == 401 || $code == 302 ]] || die "/account without a session answers $code"
# A form (CSRF token from A's cookie) accepted by B: the author enrols there.
expect 303 "$(form "$jar_author" "$b/courses/hand-hygiene/enrol")" "enrolment through B with the session and CSRF cookie from A"
[[ $(sql "select count(*) from enrolment e join account a on a.id = e.account_id where a.email = '$author'") == 1 ]] ||
  die "the enrolment posted through B is not in the database"
# A form through B with a wrong CSRF token is refused: the check is real.
code=$(http "$jar_author" "$b/courses/newborn-first-hour/enrol" -H "Origin: $b" --data-urlencode "csrf_token=wrong$(csrf_of "$jar_author")")
[[ $code == 403 ]] || die "a form with a wrong CSRF token through B answers $code, expected 403"
# Trusted proxy: the reviewer's sign-up through nginx is recorded with the forwarded address.
ip=$(sql "select ip from audit_event where action = 'account.created' and subject = '$reviewer'")
[[ $ip == 203.0.113.77 ]] || die "the sign-up through nginx was recorded from '$ip', expected the forwarded 203.0.113.77"
ip=$(sql "select ip from audit_event where action = 'account.created' and subject = '$author'")
[[ $ip == 127.0.0.1 ]] || die "the direct sign-up through A was recorded from '$ip', expected 127.0.0.1"
ok "a: a session started through A answers 200 through B and through nginx (4 requests); a form posted to B with A's CSRF cookie is accepted, a wrong token refused (403); nginx's X-Forwarded-For is believed (sign-up recorded from 203.0.113.77)"

# ---- roles: the platform admin invites the author and the reviewer to eanma ---------------------

current="roles (invitations)"
: >"$jar_admin"
expect 200 "$(http "$jar_admin" "$b/sign-in")" "GET $b/sign-in"
expect 303 "$(form "$jar_admin" "$b/sign-in" "email=$admin" "password=$password")" "the admin's sign-in through B"
expect 303 "$(form "$jar_admin" "$b/orgs/eanma/invitations" "email=$author" "role=author")" "inviting the author through B"
expect 303 "$(form "$jar_admin" "$front/orgs/eanma/invitations" "email=$reviewer" "role=reviewer")" "inviting the reviewer through nginx"
invitation_token() { # EMAIL: the token of the invitation emailed to EMAIL
  mails_to "$1" | jq -r '.text' | grep -oE '/invitations/[A-Za-z0-9_-]+' | sed -n 1p | cut -d/ -f3
}
eventually 20 has_mail "$author" '/invitations/' || die "no invitation email to $author within 20 s"
eventually 20 has_mail "$reviewer" '/invitations/' || die "no invitation email to $reviewer within 20 s"
token=$(invitation_token "$author")
expect 303 "$(form "$jar_author" "$b/invitations/$token")" "the author accepting the invitation through B"
token=$(invitation_token "$reviewer")
expect 303 "$(form "$jar_reviewer" "$a/invitations/$token")" "the reviewer accepting the invitation through A"
roles=$(sql "select string_agg(a.email || '=' || m.role, ' ' order by a.email) from membership m
  join account a on a.id = m.account_id join organisation o on o.id = m.organisation_id
  where o.slug = 'eanma' and a.email in ('$author', '$reviewer')")
[[ $roles == "$author=author $reviewer=reviewer" ]] || die "eanma memberships: '$roles'"
echo "roles: $author is an author of eanma, $reviewer a reviewer (invited by the platform admin, accepted by email)"

# ---- b: a course version published through one server, searched through the other -------------

current="b: publish through one server, search through the other"
word=lanternscaleout$(python3 -c 'import random, string; print("".join(random.choices(string.ascii_lowercase, k=8)))')
package=$tmp/package/hand-hygiene
mkdir -p "$tmp/package"
cp -r "$repo/content/courses/hand-hygiene" "$package"
image=scaleout-$run_id.png
# A 640×400 PNG of its own (this run's bytes), wide enough for the 360 px variant.
python3 - "$package/media/$image" "$run_id" <<'PY'
import struct, sys, zlib
path, seed = sys.argv[1], int(sys.argv[2], 16)
width, height = 640, 400
rows = b"".join(
    b"\0" + bytes(((x * 3 + (seed >> 8)) & 255, (y * 5 + seed) & 255, ((x ^ y) + (seed >> 16)) & 255)[c]
                  for x in range(width) for c in range(3))
    for y in range(height))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
with open(path, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
PY
lesson_file=$(find "$package/lessons" -name '01-*.md' | sort | sed -n 1p)
cat >>"$lesson_file" <<EOF

## A note from the scale-out check

This paragraph is only in the version the scale-out check publishes: $word.

![A colour test pattern made by the scale-out check](../media/$image)
EOF
(cd "$tmp/package" && zip -qr "$tmp/package.zip" hand-hygiene)

author_token=$(lantern cli admin token --email "$author" --scope courses:write --days 1 --name scale-out)
reviewer_token=$(lantern cli admin token --email "$reviewer" --scope courses:write --days 1 --name scale-out)
[[ $author_token == lt_* && $reviewer_token == lt_* ]] || die "lantern admin token printed no token"

if [[ ${SCALE_OUT_VIA:-api} == forms ]]; then
  code=forms
else
  code=$(http - "$a/api/v1/orgs/eanma/courses" -H "Authorization: Bearer $author_token" \
    -H 'Content-Type: application/zip' --data-binary "@$tmp/package.zip")
fi
case $code in
  201)
    [[ $(jq -r .outcome "$tmp/body") == draft ]] || die "the upload through A's API is not a draft: $(cat "$tmp/body")"
    number=$(jq -r .version.number "$tmp/body")
    expect 200 "$(http - "$a/api/v1/orgs/eanma/courses/hand-hygiene/versions/$number/submit" \
      -X POST -H "Authorization: Bearer $author_token")" "submitting version $number through A's API"
    expect in_review "$(jq -r .status "$tmp/body")" "the version's status after submitting"
    expect 200 "$(http - "$b/api/v1/orgs/eanma/courses/hand-hygiene/versions/$number/approve" \
      -H "Authorization: Bearer $reviewer_token" -H 'Content-Type: application/json' \
      --data '{"comment":"Approved by the scale-out check."}')" "approving version $number through B's API"
    expect published "$(jq -r .status "$tmp/body")" "the version's status after approving"
    how="the JSON API with API tokens"
    ;;
  401 | 403 | 404 | 405 | forms)
    # The /api/v1/orgs/… routes are not in this binary (or SCALE_OUT_VIA=forms): the web forms
    # do the same.
    [[ $code == forms ]] || echo "note: POST /api/v1/orgs/eanma/courses answers $code in this binary; using the web forms instead"
    expect 200 "$(http "$jar_author" "$a/orgs/eanma/courses")" "the author's course list through A"
    code=$(http "$jar_author" "$a/orgs/eanma/courses?csrf_token=$(csrf_of "$jar_author")" -H "Origin: $a" \
      -F "package=@$tmp/package.zip;type=application/zip")
    expect 303 "$code" "uploading the package through A's form"
    location=$(header "$tmp/head" location)
    [[ $location =~ /versions/([0-9]+) ]] || die "the upload went to '$location', not a version"
    number=${BASH_REMATCH[1]}
    expect 303 "$(form "$jar_author" "$a/orgs/eanma/courses/hand-hygiene/versions/$number/submit")" "submitting version $number through A's form"
    expect 303 "$(form "$jar_reviewer" "$b/orgs/eanma/courses/hand-hygiene/versions/$number/approve" "comment=Approved by the scale-out check.")" \
      "approving version $number through B's form"
    how="the web forms"
    ;;
  *) die "uploading the package through A's API: HTTP $code: $(head -c 500 "$tmp/body")" ;;
esac
[[ $(sql "select status from course_version v join course c on c.id = v.course_id where c.slug = 'hand-hygiene' and v.number = $number") == published ]] ||
  die "version $number of hand-hygiene is not published in the database"
published_ms=$(date +%s%3N)
found() { # BASE: the search through BASE finds the word
  [[ $(curl -fsS --max-time 5 "$1/api/v1/search?q=$word" | tee "$tmp/search.json" | jq '.hits | length') -gt 0 ]]
}
eventually 10 found "$a" || die "searching '$word' through A found nothing within 10 s of publishing through B"
found_after=$(( $(date +%s%3N) - published_ms ))
lesson_url=$(jq -r '[.hits[] | select(.url | contains("/lessons/")) | .url][0] // empty' "$tmp/search.json")
[[ -n $lesson_url ]] || lesson_url=$(jq -r '.hits[0].url' "$tmp/search.json")
found "$b" || die "searching '$word' through B (where it was approved) finds nothing"
ok "b: version $number of hand-hygiene uploaded and submitted through A, approved through B ($how), found by search through A ${found_after} ms after (≤ 10 s): $lesson_url"

# ---- c: media uploaded through A, served by B ---------------------------------------------------

current="c: media uploaded through one server, served by the other"
[[ $lesson_url == /courses/*/lessons/* ]] || die "the search hit '$lesson_url' is not a lesson"
media_in_page() { # BASE: the /media/ addresses in the lesson page through BASE (new version only)
  curl -fsS --max-time 10 "$1$lesson_url" >"$tmp/lesson.html" || return 1
  grep -q "$word" "$tmp/lesson.html" || return 1
  grep -oE '/media/[0-9a-f]{64}(/[0-9]+\.(webp|jpg|png))?' "$tmp/lesson.html" | sort -u >"$tmp/media.txt"
  [[ -s $tmp/media.txt ]]
}
eventually 10 media_in_page "$b" || die "the lesson page through B does not show the new version with its image"
# Variants are made by whichever server claims the job (or by publishing itself).
jobs_done() { [[ $(sql "select count(*) from media_job where done_at is null") == 0 ]]; }
eventually 30 jobs_done || die "media jobs still not done after 30 s: $(sql "select id, object_id, attempts, last_error from media_job where done_at is null")"
media_in_page "$b" || die "the lesson page through B lost its media"
originals=0
variants=0
while read -r address; do
  expect 200 "$(http - "$b$address")" "GET $address through B"
  cp "$tmp/body" "$tmp/from-b"
  etag_b=$(header "$tmp/head" etag)
  expect 200 "$(http - "$a$address")" "GET $address through A"
  etag_a=$(header "$tmp/head" etag)
  cmp -s "$tmp/body" "$tmp/from-b" || die "$address: A and B serve different bytes"
  [[ -n $etag_b && $etag_a == "$etag_b" ]] || die "$address: ETag through A '$etag_a', through B '$etag_b'"
  if [[ $address =~ ^/media/([0-9a-f]{64})$ ]]; then
    [[ $(sha256 "$tmp/from-b") == "${BASH_REMATCH[1]}" ]] || die "$address: the bytes B serves are not the object it names"
    originals=$((originals + 1))
    original=${BASH_REMATCH[1]}
  else
    variants=$((variants + 1))
  fi
done <"$tmp/media.txt"
((originals >= 1)) || die "the lesson page names no original image"
((variants >= 1)) || die "the lesson page names no image variant: $(cat "$tmp/media.txt")"
if ((s3)); then
  s3_keys >"$tmp/s3-keys.txt"
  grep -q "$original" "$tmp/s3-keys.txt" || die "the image $original is not in the bucket under $s3_root/"
  store="in the bucket under $s3_root/"
else
  [[ -f $shared/media/${original:0:2}/$original ]] || die "the image $original is not in the shared media folder"
  store="in the shared folder"
fi
ok "c: the image uploaded through A ($originals original, $variants variants, stored $store) is served through B with the same bytes and ETag as through A; the original's bytes hash to its address"

# ---- d: one email, sent once --------------------------------------------------------------------

current="d: an email sent exactly once"
: >"$tmp/forgot.jar"
expect 200 "$(http "$tmp/forgot.jar" "$a/forgot-password")" "GET $a/forgot-password"
expect 200 "$(form "$tmp/forgot.jar" "$a/forgot-password" "email=$learner")" "the password-reset request through A"
eventually 20 has_mail "$learner" '/reset-password/' || die "no password-reset email to $learner within 20 s"
sleep 3 # both outbox workers poll every 0.5 s: a second copy would have been written by now
resets=$(mails_to "$learner" | jq -r 'select(.text | test("/reset-password/")) | .server' | sort | xargs)
[[ $(mails_to "$learner" | jq -r 'select(.text | test("/reset-password/")) | .file' | wc -l) == 1 ]] ||
  die "password-reset emails to $learner: $resets (want exactly one)"
# Every message of the run: one file each, across both servers' folders.
total_files=$(mail_json | wc -l)
distinct=$(mail_json | jq -r .id | sort -u | wc -l)
[[ $total_files == "$distinct" ]] || die "$total_files email files hold only $distinct distinct messages: some were sent twice"
by_server=$(mail_json | jq -r .server | sort | uniq -c | awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')
ok "d: one password-reset request through A gave exactly one email to $learner (written by $resets); the $total_files emails of the run so far are distinct messages, one file each ($by_server)"

# ---- e: background jobs done once ---------------------------------------------------------------

current="e: background jobs done once"
outbox_drained() { [[ $(sql "select count(*) from outbox_message where status <> 'sent'") == 0 ]]; }
eventually 20 outbox_drained || die "outbox rows not sent: $(sql "select id, to_address, status, attempts, last_error from outbox_message where status <> 'sent'")"
rows=$(sql "select count(*) from outbox_message where status = 'sent'")
[[ $(sql "select count(*) from outbox_message where to_address = '$learner' and status = 'sent' and body_text like '%/reset-password/%'") == 1 ]] ||
  die "sent password-reset rows for $learner: $(sql "select count(*) from outbox_message where to_address = '$learner' and body_text like '%/reset-password/%'")"
[[ $(sql "select count(*) from outbox_message where attempts <> 1") == 0 ]] ||
  die "outbox rows claimed more than once: $(sql "select id, to_address, attempts from outbox_message where attempts <> 1")"
total_files=$(mail_json | wc -l)
[[ $rows == "$total_files" ]] || die "$rows outbox rows sent, $total_files email files written"
[[ $(sql "select count(*) from media_job where attempts > 1") == 0 ]] ||
  die "media jobs claimed twice: $(sql "select id, object_id, attempts from media_job where attempts > 1")"
repeated=$(sql "select count(*) from (select object_id from media_variant group by object_id, width, content_type having count(*) > 1) as repeated")
[[ $repeated == 0 ]] || die "$repeated variants recorded twice"
jobs=$(sql "select count(*) from media_job")
claimed=$(sql "select count(*) from media_job where attempts = 1")
new_job=$(sql "select j.attempts || ' claim(s), done ' || (j.done_at is not null) from media_job j join media_object o on o.id = j.object_id where o.sha256 = '$original'")
ok "e: $rows outbox rows, each sent after one attempt (the reset to $learner once); $jobs media jobs done ($claimed claimed by a worker, none twice; the new image's: ${new_job:-none, made at publish}), no variant recorded twice"

# ---- f: nginx spreads the load ------------------------------------------------------------------

current="f: nginx in front of both"
lines_before=$(wc -l <"$tmp/nginx/access.log")
codes=$(for _ in $(seq 50); do curl -s -o /dev/null --max-time 20 -w '%{http_code}\n' "$front/courses"; done | sort | uniq -c | xargs)
[[ $codes == "50 200" ]] || die "50 requests to /courses through nginx answered: $codes"
tail -n +"$((lines_before + 1))" "$tmp/nginx/access.log" | grep '"GET /courses"' >"$tmp/nginx/courses.log" || true
to_a=$(grep -c "upstream=127.0.0.1:$port_a\$" "$tmp/nginx/courses.log" || true)
to_b=$(grep -c "upstream=127.0.0.1:$port_b\$" "$tmp/nginx/courses.log" || true)
((to_a + to_b == 50)) || die "nginx logged $((to_a + to_b)) of the 50 requests as answered by A or B (A $to_a, B $to_b)"
((to_a >= 10 && to_b >= 10)) || die "the 50 requests were not spread over both servers: A $to_a, B $to_b"
for pid in "$pid_a" "$pid_b" "$pid_nginx"; do kill -0 "$pid" 2>/dev/null || die "process $pid exited"; done
# tracing-actix-web logs every refused request (a 303 to sign in, a 403) at ERROR: those are
# answers, not faults. A 5xx, any other ERROR, or a panic is.
problems=$(cat "$tmp/server-a.log" "$tmp/server-b.log" | grep -E ' ERROR |panicked' |
  grep -vE 'http\.status_code=[34][0-9][0-9]( |$)' | sed -n 1,5p || true)
[[ -z $problems ]] || die "the servers logged errors: $problems"
ok "f: 50 requests to /courses through nginx all answered 200: $to_a by A, $to_b by B; no errors in either server's log"

current="done"
