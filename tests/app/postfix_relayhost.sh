#!/usr/bin/env bash
# End to end: a real Postfix uses MailRoute as its relayhost (smart host), as
# an Office 365 or Google outbound connector would, and MailRoute relays to a
# sink with the sender rewritten by the Outbound rules. All on 127.0.0.1; the
# servers started here are stopped by PID (Postfix by its own config dir).
#   postfix_relayhost.sh MAILROUTECTL SMTPSINK_PY
set -u
. "$(dirname "$0")/postfix_instance.sh"
CTL=$1
SINKPY=$2
postfix_test_begin pfclient

# next hop: the scripted sink
python3 "$SINKPY" --log "$W/sink.jsonl" >"$W/sink.out" 2>"$W/sink.err" &
PIDS+=($!)
wait_for 'grep -q "^PORT " "$W/sink.out"' 100 || fail "sink did not start: $(cat "$W/sink.err")"
SINK=$(sed -n 's/^PORT //p' "$W/sink.out")

# MailRoute: Postfix (127.0.0.1) is an allowed outbound client
export MAILROUTE_DB=$W/mailroute.db
MR=$(free_port)
"$CTL" users add --area outbound bob.owen@drypizza.example bob@warmsushi.example >/dev/null || fail "users add"
"$CTL" settings set outbound.allowed_clients 127.0.0.1/32 >/dev/null || fail "settings"
"$CTL" settings set relay.hostname relay.mailroute.test >/dev/null || fail "settings"
"$CTL" routes set partner.example "[127.0.0.1]:$SINK" >/dev/null || fail "routes"
"$CTL" push >/dev/null || fail "push"
"$CTL" serve --listen "127.0.0.1:$MR" --spool "$W/spool" 2>"$W/serve.err" &
PIDS+=($!)
wait_for 'grep -q "listening on" "$W/serve.err"' 100 || fail "serve did not start: $(cat "$W/serve.err")"

# Postfix: relayhost = MailRoute
PF=$(free_port)
postfix_instance_config "$W/pf" "$PF" tenant-mx.test
cat >>"$W/pf/etc/main.cf" <<CF
mydomain = tenant.test
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$MR
smtpd_relay_restrictions = permit_mynetworks, reject
smtputf8_enable = no
CF
postfix_instance_start "$W/pf" "$PF" || fail "Postfix did not start or listen (see /var/log/mailroute-test-postfix.log)"

# A user of the new system writes to the outside world through Postfix.
swaks --server "127.0.0.1:$PF" --helo client.tenant.test --from bob.owen@drypizza.example \
      --to someone@partner.example --header "From: Bob Owen <bob.owen@drypizza.example>" \
      --timeout 30 >"$W/swaks.out" 2>&1 || fail "Postfix refused the message: $(tail -5 "$W/swaks.out")"

wait_for 'grep -q "\"ev\": \"msg\"" "$W/sink.jsonl" 2>/dev/null' 300 \
    || fail "nothing reached the sink; serve: $(cat "$W/serve.err"); queue: $("$CTL" queue list --spool "$W/spool")"
python3 - "$W/sink.jsonl" <<'PY' || exit 1
import base64, json, sys
msgs = [json.loads(l) for l in open(sys.argv[1]) if '"msg"' in l]
m = msgs[0]
data = base64.b64decode(m["data"])
checks = {
    "one message": len(msgs) == 1,
    "envelope sender rewritten": m["mail"].startswith("<bob@warmsushi.example>"),
    "recipient kept": m["rcpts"] == ["<someone@partner.example>"],
    "From: rewritten, display name kept": b"From: Bob Owen <bob@warmsushi.example>\r\n" in data,
    "MailRoute's Received: on top": data.startswith(b"Received: from tenant-mx.test"),
    "Postfix's Received: below it": data.count(b"\r\nReceived: from ") >= 1,
}
bad = [k for k, ok in checks.items() if not ok]
for k, ok in checks.items():
    print(("ok   " if ok else "FAIL ") + k)
if bad:
    print(data.decode("utf-8", "replace")[:2000])
    sys.exit(1)
PY
echo "PASS: Postfix -> MailRoute -> sink"
