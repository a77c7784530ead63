#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"
#include "app/ctl/ctl_logline.h"
#include "app/ctl/ctl_queue.h"
#include "app/ctl/ctlcompletion.h"
#include "app/ctl/servereport.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/dns/nameserver.h"
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/runtime/generationfollower.h"
#include "relaycore/waves/wavescheduler.h"
#include "relaycore/queue/spool.h"
#include "relaycore/routing/configlint.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/store/configstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace mailroute {

namespace {

const char *const kMainHelp = R"(Usage: mailroutectl [--db FILE] COMMAND [ARGS]

Administer MailRoute's routing rules and relay without a window.

Commands:
  domains list|add|remove --area AREA [SOURCE [TARGET]] [--json]
                                   domain mappings (@original -> @redirected)
  users list|add|remove --area AREA [SOURCE [TARGET]] [--json]
                                   user mappings (Inbound and Outbound)
  users import --area AREA [--allow-empty] FILE
                                   replace the area's user list from a CSV
  users export --area AREA [--json] [FILE]
                                   write the user list as CSV (stdout: - or none)
  users sample                     print the sample CSV
  route --area AREA [--pushed] ADDRESS
                                   print <result> TAB <user|domain|none>
  diff                             what a push would change
  push                             activate the draft as a new generation
  rollback [GENERATION]            make an earlier generation active again
  generations                      list pushed generations
  lint                             warnings about the draft configuration
  logs [--area AREA] [--actions|--messages] [--follow] [--json]
                                   the action log and the message log
  trace [--from ADDR] [--to ADDR] [--message-id ID] [--queue-id ID]
        [--status STATUS] [--since TIME] [--until TIME] [--json]
                                   what happened to a message (message trace)
  settings list | get KEY | set KEY VALUE | reset KEY
  routes list | set DOMAIN HOST[:PORT] [--tls may|encrypt|verify] | remove DOMAIN
                                   next hop per recipient domain
  serve [--listen HOST:PORT] [--smarthost HOST:PORT] [--spool DIR]
        [--metrics-file PATH [--metrics-interval SECONDS]]
                                   run the relay headless
  status [--json] [--spool DIR]    the running relay: addresses, generation,
                                   sessions, queue, last delivery and error, holds
  queue list | flush [ID] | delete ID  [--spool DIR]
                                   the relay's queue
  hold add DOMAIN [--until TIME] | hold release DOMAIN | hold list [--json]
                                   hold a domain's mail: queued, never attempted
                                   nor bounced until released
  purge --all [--yes]              end of a project: delete the logs, the spool,
                                   generated keys and keychain entries
  secret set|clear|status NAME     smarthost.password, tls.key_passphrase in
                                   the OS keychain (set reads stdin)
  export postfix DIR               the active generation as Postfix lookup tables
  check dns [DOMAIN...] [--json]   MX records, their TTL and SPF of the domains
  check connector [HOST:PORT] [--send-to ADDRESS [--from ADDRESS]]
                                   connect, EHLO, STARTTLS to the next hops; test email
  verify ADDRESS [--pushed]        would the target accept this recipient? (probe)
  verify exclude|include DOMAIN | verify excluded | verify targets
                                   domains never verified at RCPT; targets
                                   that accept any address
  dkim generate DOMAIN [--selector SEL] [--algorithm rsa-2048|rsa-3072|ed25519]
  dkim list [--json] | record DOMAIN [--selector SEL] [--zone]
  dkim rotate DOMAIN | remove DOMAIN --selector SEL
                                   DKIM keys that sign Outbound mail
  wave create NAME --at TIME [--expire TIME] [--area inbound|outbound]
       [--with-outbound] [--target-domain DOM] [--apply-anyway] FILE
  wave list | show NAME | check NAME | apply NAME | cancel NAME | remove NAME
                                   migration waves: user mappings that the
                                   relay activates at a given time
  completion bash                  print the bash completion script

AREA is relay, inbound or outbound.

--json: the listing commands (domains list, users list, users export,
generations, lint, diff, logs, settings list, routes list, queue list,
hold list, dkim list, verify excluded, verify targets, check dns, check
connector, wave list) print a JSON array of
objects, one per line of their text output, keys in snake_case, times in
ISO 8601 UTC, null for none; "logs --follow --json" prints JSON Lines (one
object per line) instead, as its list never ends; "trace --json" one object
per message and line, with its timeline; "status --json" prints one
object. Other commands refuse --json (exit status 2).

Options:
  --db FILE    configuration database (default: $MAILROUTE_DB, else the
               console's database in your data directory)
  -h, --help   help; "mailroutectl COMMAND --help" or "mailroutectl help
               COMMAND" for one command
  --version    print the version

Environment:
  MAILROUTE_DB          the database when --db is not given
  MAILROUTE_NAMESERVER  DNS server (HOST[:PORT], IPv6 as [ADDR]:PORT) for serve and check

Exit status: 0 success, 1 error, 2 usage error (status: 3 when no relay runs).
)";

struct CommandHelp
{
    const char *name;
    const char *text;
};

const CommandHelp kCommandHelp[] = {
    {"completion", R"(Usage: mailroutectl completion bash

Print the bash completion script of mailroutectl: commands, sub-commands,
options, areas, setting keys and values. The package installs it as
/usr/share/bash-completion/completions/mailroutectl; without the package:
  source <(mailroutectl completion bash)
)"},
    {"domains", R"(Usage: mailroutectl domains list   --area AREA [--json]
       mailroutectl domains add    --area AREA SOURCE TARGET
       mailroutectl domains remove --area AREA SOURCE...

Domain mappings send every address of SOURCE to TARGET, keeping the local
part (chloe@warmsushi.com -> chloe@drypizza.com). Domains are given with or
without the leading '@'; internationalized domains are stored in ASCII (ACE).
"list" prints one "@source<TAB>@target" line per mapping; --json a JSON
array of {"source", "target"}.
Changes go to the draft; "mailroutectl push" activates them.
)"},
    {"users", R"(Usage: mailroutectl users list   --area AREA [--json]
       mailroutectl users add    --area AREA SOURCE TARGET
       mailroutectl users remove --area AREA SOURCE...
       mailroutectl users import --area AREA [--allow-empty] FILE
       mailroutectl users export --area AREA [--json] [FILE|-]
       mailroutectl users sample

User mappings (Inbound and Outbound areas) send one address to another
(bob@warmsushi.com -> bob.owen@drypizza.com); they take precedence over
domain mappings. "import" REPLACES the area's whole user list with the CSV
file (header Source;Target or SourceEmail;TargetEmail); a file with any error
changes nothing and every error is printed with its line number. A file with
only the header would delete every user and is refused unless --allow-empty.
"export" writes the same format (stdout when FILE is omitted or -).
"list" prints "SOURCE<TAB>TARGET" lines; with --json "list" and "export"
write a JSON array of {"source", "target"} instead.
)"},
    {"route", R"(Usage: mailroutectl route --area AREA [--pushed] ADDRESS

Prints where ADDRESS goes: "<result><TAB><user|domain|none>". Uses the draft,
or with --pushed the active (pushed) generation.
)"},
    {"diff", R"(Usage: mailroutectl diff [--json]

Lists what a push would change against the active generation, one line per
change ("inbound domain + @a -> @b", "inbound user - x -> y", ...).
Prints nothing when the draft equals the active generation. --json: a JSON
array of {"change"} with the same lines ([] when nothing would change).
)"},
    {"push", R"(Usage: mailroutectl push

Validates the draft, stores it as generation N+1 and makes it active. Lint
warnings are printed on stderr; they do not stop the push. Pending DKIM keys
whose record is now in DNS become active first (see "mailroutectl dkim").
)"},
    {"rollback", R"(Usage: mailroutectl rollback [GENERATION]

Makes GENERATION (default: the one before the active one) active again; the
draft is replaced by its content.
)"},
    {"generations", R"(Usage: mailroutectl generations [--json]

Lists pushed generations, newest first: number, time (UTC), domain and user
counts, and "active" for the active one. --json: a JSON array of
{"generation", "created", "domains", "users", "active"}.
)"},
    {"lint", R"(Usage: mailroutectl lint [--json]

Warnings about the draft: domains in both Relay and Inbound, chains and loops,
several sources mapped to one target, user mappings without a domain rule.
Prints "SEVERITY<TAB>AREA<TAB>MESSAGE"; --json: a JSON array of
{"severity", "area", "message"} (area null when the finding spans areas).
)"},
    {"logs", R"(Usage: mailroutectl logs [--area AREA] [--actions|--messages] [--follow] [--json]

Prints the action log (edits, pushes: "<time><TAB><area><TAB><message>") and
the relay's message log (one line per event: "<time><TAB><area><TAB><queue id>
<event>: key=value ...", events received, rewritten, delivered, deferred,
bounced), merged in time order. --area keeps one area's lines; --actions or
--messages keeps one kind. With --follow, keeps printing new lines until
interrupted.
--json: a JSON array with one object per line: {"time", "kind": "action",
"area", "message"} or {"time", "kind": "message", "area", "queue_id",
"event", "fields": {...}, "text"}; with --follow, JSON Lines (one object per
line, no brackets) as they come.
)"},
    {"settings", R"(Usage: mailroutectl settings list [--json]
       mailroutectl settings get KEY
       mailroutectl settings set KEY VALUE
       mailroutectl settings reset KEY

Relay settings, validated on entry: an unknown key or a bad value is refused
and nothing is stored. "list" prints "KEY<TAB>VALUE" with the effective value;
--json a JSON array of {"key", "value", "default"}.
Passwords are never settings: they live in the OS keychain.
)"},
    {"routes", R"(Usage: mailroutectl routes list [--json]
       mailroutectl routes set DOMAIN HOST[:PORT] [--tls may|encrypt|verify]
       mailroutectl routes remove DOMAIN

The next hop for mail to a recipient domain, before the smart host and DNS.
--tls sets the route's own STARTTLS policy (as Postfix's smtp_tls_security_level):
may uses TLS when offered, encrypt requires it, verify also checks the
certificate and host name; without --tls the route follows delivery.tls_policy.
"list" prints "DOMAIN<TAB>NEXT HOP<TAB>TLS POLICY" ("default" without one);
--json a JSON array of {"domain", "next_hop", "tls"} (tls null without one).
)"},
    {"serve", R"(Usage: mailroutectl serve [--listen HOST:PORT] [--smarthost HOST:PORT] [--spool DIR]
                         [--metrics-file PATH [--metrics-interval SECONDS]]

Runs the relay without a window from the active (pushed) generation of the
database, and switches to a newly pushed generation within a second without
dropping connections. SIGTERM or SIGINT stop it cleanly: open sessions get
"421 4.3.2", the queue stays in the spool for the next start.
  --listen HOST:PORT     instead of the relay.listen setting
  --smarthost HOST:PORT  instead of the delivery.smarthost setting
  --spool DIR            the spool directory (default: "spool" beside the database)
  --metrics-file PATH    write Prometheus metrics (text format) to PATH, replaced
                         atomically, for node-exporter's textfile collector
  --metrics-interval SECONDS
                         how often (default 15)
Every message-log event is one line on standard error: "AREA QUEUEID EVENT:
key=value ..." (AREA "-" for none). When standard error is not a terminal
(the journal, a pipe, a file) each line starts with its syslog priority as
journald reads it: <6> info (received, rewritten, delivered, ...), <4>
warning (deferred, refused, held, warning, ...), <3> error (bounced,
error); on a terminal it starts with the UTC time instead. So under systemd
"journalctl -u mailroute" is the live log ("-p warning" for the problems).
With $NOTIFY_SOCKET set (Type=notify), serve tells systemd READY=1 once it
listens and the spool is open, STATUS= with the address and generation, and
STOPPING=1 on a stop; WATCHDOG=1 when WatchdogSec= is set.
While it runs it keeps relay-status.json in the spool directory for
"mailroutectl status".
The metrics: mailroute_messages_total{area,status} (counter; status
received, delivered, deferred, bounced, refused; area relay, inbound,
outbound or none), mailroute_queue_recipients{state} (queued, deferred,
held), mailroute_queue_messages, mailroute_sessions, mailroute_generation,
mailroute_listening, mailroute_last_delivery_timestamp_seconds,
mailroute_start_time_seconds. Counters start at 0 with each start.
The environment variable MAILROUTE_NAMESERVER names the DNS server used for
MX look-ups: an IP address with an optional port (192.0.2.53, 127.0.0.1:5353,
[2001:db8::53]:5353; port 53 when none is given); the system's resolver
(/etc/resolv.conf) otherwise.
On a server, the package's systemd unit mailroute.service runs serve as the
user mailroute on /var/lib/mailroute/mailroute.db (not enabled at install).
)"},
    {"queue", R"(Usage: mailroutectl queue list   [--spool DIR] [--json]
       mailroutectl queue flush  [--spool DIR] [ID]
       mailroutectl queue delete [--spool DIR] ID

"list" prints one line per queued recipient: queue id, arrival (UTC),
sender, recipient, attempts, next attempt, last error (TAB-separated);
--json a JSON array of {"queue_id", "arrival", "sender" ("" for <>),
"recipient", "original_recipient", "attempts", "next_attempt" (null: now),
"last_error"}.
"flush" retries now (one message, or all): an extra attempt that uses up
nothing of retry.schedule; "delete" drops a message without a bounce. A running relay applies flush and delete within about a second.
)"},
    {"verify", R"(Usage: mailroutectl verify ADDRESS [--pushed]
       mailroutectl verify exclude DOMAIN
       mailroutectl verify include DOMAIN
       mailroutectl verify excluded [--json]
       mailroutectl verify targets [--pushed] [--json]

"verify ADDRESS" routes the address through the recipient rules of the draft
(the active generation with --pushed) and asks the rewritten address's next
hop whether it would take it: EHLO, MAIL FROM:<> (relay.verify_sender), RCPT
TO, QUIT; never DATA. It prints the target, the server, the verdict
(accepted, refused, unknown), the target's reply and what the relay answers
a client at RCPT. Nothing goes into the relay's verification cache. Exit
status 0 when the target accepts, 1 when it refuses or cannot tell.
"exclude" and "include" edit verify.exclude_domains in the draft: recipients
of an excluded domain (as received or rewritten) are accepted without asking
the target. "excluded" lists them. "targets" probes a random local part at
every target domain of the Inbound and Relay rules and prints DOMAIN, OK or
WARNING, "refuses unknown addresses" / "accepts any address" / "could not
tell", the server and its reply (exit status 1 on a warning): a target that
accepts any address cannot be verified. MAILROUTE_NAMESERVER applies as for
check. --json: "excluded" prints a JSON array of {"domain"}, "targets" one of
{"domain", "status", "verdict", "excluded", "server", "reply"}.
)"},
    {"wave", R"(Usage: mailroutectl wave create NAME --at TIME [--expire TIME] [--area inbound|outbound]
                           [--with-outbound] [--target-domain DOM] [--apply-anyway] [--yes] FILE
       mailroutectl wave list [--json]
       mailroutectl wave show   NAME
       mailroutectl wave check  NAME
       mailroutectl wave apply  NAME
       mailroutectl wave cancel NAME
       mailroutectl wave remove NAME

A migration wave is a named set of user mappings that the relay running the
configuration (serve, or the console's relay) makes active at TIME, and
removes again at the --expire TIME, each time as a new generation, exactly as
a push would (diff and lint in the action log, confirmation to
relay.postmaster). A wave is part of the draft: "create" and "remove" change
the draft, and a push schedules it. A wave whose time passed while no relay
ran is applied when a relay starts, and the log says so.
FILE is a user list (Source;Target, as users import takes), or with
--target-domain DOM a migration tool's batch file with an EmailAddress
column: each address goes to its local part @DOM. "-" reads standard input.
--with-outbound also creates the Outbound inverses (target -> source), so
replies leave under the old address. --apply-anyway: a failed check does not
hold the wave. TIME is ISO 8601 with a zone (2026-12-12T22:00:00+01:00,
2026-12-12T21:00:00Z) or relative: +2h, +30m, +1d. Times are stored in UTC
and printed in local time.
At TIME-24h and TIME-1h the relay checks the wave: lint of the configuration
it makes, DNS of its target domains and, when waves.probe_rate is above 0, a
recipient probe of each target (RCPT TO, RSET, QUIT; never DATA; at most
waves.probe_rate a minute). Results go to the action log and to
relay.postmaster; a failed check holds the wave (state held) unless it is
--apply-anyway. A TIME already past is refused unless --yes is given: the
wave is then applied as soon as it is pushed and a relay runs.
"check" runs the same check now (exit status 1 when it
fails); "apply" applies a pushed wave now (a held one too); "cancel" stops a
wave that is not active yet, or removes an active wave's mappings.
"list" prints NAME<TAB>AT<TAB>STATE<TAB>USERS; states: scheduled, checked,
held, active, expired, cancelled; --json a JSON array of {"name", "area",
"at", "expire" (UTC, null: never), "state", "users", "outbound",
"apply_anyway", "pushed", "in_draft"}. "show" prints the wave, its last check and,
once active, its messages to the new targets in the first hour (delivered,
deferred, bounced).
)"},
    {"hold", R"(Usage: mailroutectl hold add     DOMAIN [--until TIME]
       mailroutectl hold release DOMAIN
       mailroutectl hold list    [--json]

While a domain moves between tenants (re-verification can take 48 hours),
hold it: its mail is accepted and queued, but neither attempted nor bounced
until it is released (or TIME comes). The retry lifetime (retry.schedule)
counts from the release. A running relay applies a hold or a release within
a couple of seconds. After retry.hold_max the administrator is warned (log
and relay.postmaster), never the senders.
TIME is a local time 2026-12-08T06:00 (or with Z or +01:00) or a duration
from now: 48h, 2d, 90m.
"list" prints "DOMAIN<TAB>SINCE<TAB>UNTIL<TAB>QUEUED" (times in UTC, UNTIL "-"
when the hold lasts until released, QUEUED the recipients waiting for the
domain); --json prints a JSON array of {"domain", "since", "until" (null
until released), "queued", "warned"}.
)"},
    {"trace", R"(Usage: mailroutectl trace [--from ADDR] [--to ADDR] [--message-id ID]
                          [--queue-id ID]
                          [--status delivered|deferred|bounced|refused|queued]
                          [--since TIME] [--until TIME] [--json]

Searches the message trace: every message the relay received or refused,
kept for log.retention_days. --from matches the envelope sender, --to any
recipient, each as sent OR as rewritten by the rules, whole or any part of 3
characters or more, case-insensitively (--to bob@ finds bob@warmsushi.com
and bob.owen@drypizza.com after a rewrite). --message-id takes the
Message-ID with or without <>, whole or a part of 3 characters or more.
--queue-id is exact. --status matches a message any of whose recipients
has that status (refused: refused at receipt). TIME is ISO
8601 with its zone (2026-12-08T06:00Z, 2026-12-08T06:00+01:00), a date
(2026-12-08, midnight UTC) or a time before now (-30m, -2h, -7d); --since is
inclusive, --until exclusive, both on the time received. All options given
must match.
Prints one line per recipient, oldest first:
  TIME<TAB>QUEUE-ID<TAB>FROM<TAB>TO<TAB>DELIVERED-TO<TAB>STATUS
TIME in UTC as in "logs"; FROM and TO as the client sent them ("<>" for the
null sender), DELIVERED-TO after the rules; STATUS is the recipient's:
delivered, deferred, bounced, refused or queued. A refusal before any
recipient prints "-" for TO and DELIVERED-TO, and one without a queue id "-"
for QUEUE-ID. With --json: one JSON object per message and line, with its
recipients and its whole timeline ("events": time, event, area, fields).
)"},
    {"purge", R"(Usage: mailroutectl purge --all [--yes] [--spool DIR]

The end of a project: deletes the message log and the action log, the domain
holds, the spool (queued mail included; refused while a relay runs on this
database), the key and certificate files MailRoute generated beside the
database (the DKIM keys of dkim/, the self-signed pairs of tls/; other files
there stay) and MailRoute's keychain entries for this database
(smarthost.password, tls.key_passphrase). Domain and user mappings, settings
and pushed generations stay; delete the database file to remove them too.
Without --yes it only says what it would delete (exit status 2).
)"},
    {"secret", R"(Usage: mailroutectl secret set    NAME
       mailroutectl secret clear  NAME
       mailroutectl secret status NAME

NAME is smarthost.password (SMTP AUTH at the smart host) or
tls.key_passphrase (the passphrase of an encrypted tls.key). Secrets live only
in the operating system's keychain (Secret Service on Linux), per database;
never in the database, settings, logs or command lines. "set" reads one line
from standard input (without echo on a terminal):
  printf '%s\n' "$PASSWORD" | mailroutectl secret set smarthost.password
"status" prints "stored", "not stored" or "keychain unavailable", never the
value. Without a running keychain service every command fails (exit 1).
)"},
    {"check", R"(Usage: mailroutectl check dns [DOMAIN...] [--json]
       mailroutectl check connector [HOST:PORT] [--send-to ADDRESS [--from ADDRESS]] [--json]

Readiness checks before the cut-over, on the pushed configuration (the draft
when nothing is pushed yet). Prints a table with OK, WARNING or FAILED per
check and what to do; exit status 0 when nothing FAILED, 1 otherwise.

"dns": for each DOMAIN (default: the Relay and Inbound original domains for
MX, the Outbound target domains for SPF) the MX records with preference and
TTL (a warning above 900 s: lower it before switching MX), whether they point
at this relay (relay.hostname or its address), null MX and NXDOMAIN; the SPF
record, whether it authorises the relay's address (relay.public_address, else
the addresses of relay.hostname), and the record to publish when it does not.

"connector": for HOST:PORT (default: the smart host and every route) connect,
the banner, EHLO, whether STARTTLS is offered and whether the TLS handshake
works (certificates checked against the system's CAs and
delivery.tls_ca_file), with the server's replies, judged by the relay's TLS
policy for that hop (encrypt: no STARTTLS fails; verify: an untrusted
certificate fails too). With --send-to, sends one real test message through
the next hop instead, under the same policy (from --from, else
relay.postmaster, else postmaster@relay.hostname).

--json prints the table's rows as a JSON array instead: for "dns"
{"domain" ((relay) for the relay's own checks), "check", "status" (OK,
WARNING, FAILED), "detail", "advice"}; for "connector" {"next_hop", "role",
"tls_policy", "task", "status", "detail"}. The exit status is the same.

The environment variable MAILROUTE_NAMESERVER names the DNS server to ask:
an IP address with an optional port (192.0.2.53, 127.0.0.1:5353,
[2001:db8::53]:5353; port 53 when none is given); the system's resolver
(/etc/resolv.conf) otherwise.
)"},
    {"dkim", R"(Usage: mailroutectl dkim generate DOMAIN [--selector SEL] [--algorithm ALG]
       mailroutectl dkim list [--json]
       mailroutectl dkim record DOMAIN [--selector SEL] [--zone]
       mailroutectl dkim rotate DOMAIN
       mailroutectl dkim remove DOMAIN --selector SEL

DKIM keys that sign Outbound mail whose sender domain the relay rewrote to
DOMAIN. The private key is written to DOMAIN.SELECTOR.pem (mode 0600) in the
folder dkim/ (mode 0700) beside the database; it never goes to the database,
a log or a command line.

"generate" creates a key (ALG rsa-2048, the default, rsa-3072 or ed25519;
SEL defaults to "mr" and today's UTC date, e.g. mr20261206) and prints its
record. A domain's first key is active: it signs from the next push. A key
created while the domain has an active key is pending.
"list" prints "DOMAIN<TAB>SELECTOR<TAB>ALGORITHM<TAB>STATE" per key (active,
pending or retired); --json prints a JSON array of {"domain", "selector",
"algorithm", "state", "created", "record_name", "record", "key_file",
"retired_at" (retired keys)}.
"record" prints "SELECTOR._domainkey.DOMAIN<TAB>v=DKIM1; k=rsa; p=..." for
every active and pending key of DOMAIN (or the one SEL names); --zone prints
a zone-file line instead, the value split into strings of 255 octets.
"rotate" creates a pending key under a new selector. Publish its record;
each push looks the pending keys' records up in DNS, and the first push that
finds the record makes the key active and retires the old one. Keep the
retired key's record published for a few days, until mail signed with it
has been delivered and read.
"remove" deletes a key from the draft; its file is deleted too unless a
pushed generation uses it (a rollback could make that generation active).
Changes go to the draft; "mailroutectl diff" shows them, "push" activates.
The environment variable MAILROUTE_NAMESERVER names the DNS server the push
asks (an IP address, port 53); the system's resolver otherwise.
)"},
    {"status", R"(Usage: mailroutectl status [--json] [--spool DIR]

What the relay running on this database (mailroutectl serve) reports:
  relay: running (pid PID, since TIME) | not running (...)
  listening: HOST:PORT
  generation: N
  sessions: N
  queue: N message(s); recipients: N queued, N deferred, N held
  last delivery: TIME QUEUEID to ADDRESS via HOST | none since the relay started
  last error: TIME QUEUEID bounced|error: ... | none since the relay started
  holds: none | hold: DOMAIN since TIME until TIME|released (one line each)
Queued recipients wait for their first attempt, deferred ones for a retry,
held ones for the release of their domain's hold. The queue and the holds
are read from the spool and the database, so they show without a relay too.
--json prints one object: "running" (bool), "reporting" (bool: the relay
writes relay-status.json), "database", "spool", "pid", "started",
"listening" (bool), "listen" (array of HOST:PORT), "generation", "sessions",
"queue" {"messages", "queued", "deferred", "held"}, "last_delivery"
{"time", "queue_id", "to", "relay"} or null, "last_error" {"time", "event",
"queue_id", "text"} or null, "holds" [{"domain", "since", "until"}],
"messages" {AREA: {"received", "delivered", "deferred", "bounced",
"refused"}} (counted since the relay started; AREA relay, inbound,
outbound, none). Absent values are null.
Exit status: 0 while a relay runs, 3 when none runs (as "systemctl status"),
1 on an error.
)"},
    {"export", R"(Usage: mailroutectl export postfix DIR

Writes the active (pushed) generation into DIR (created if missing) for a
fleet of Postfix relays that route as MailRoute does: recipient_canonical
(Relay and Inbound), sender_canonical (Outbound), their .regexp companions
for addresses the hash: format cannot hold, relay_domains, transport,
tls_policy, mynetworks, outbound_clients, main.cf.fragment,
master.cf.fragment, postmap.sh, and OpenDKIM's KeyTable and SigningTable for
the active DKIM keys (Postfix cannot sign; main.cf.fragment says how to add
OpenDKIM as a milter). Files are replaced atomically. No secret is written: a
smart host password goes into sasl_passwd by hand, DKIM private keys are
copied by hand (mode 0600) to the paths KeyTable names. Warnings
name rules Postfix would follow further than MailRoute (chains). Then run
DIR/postmap.sh, add the two fragments to main.cf and master.cf, and
"postfix reload".
)"},
};

QString helpFor(const QString &command)
{
    for (const auto &h : kCommandHelp) {
        if (command == QLatin1String(h.name))
            return QString::fromUtf8(h.text);
    }
    return QString::fromUtf8(kMainHelp);
}

QString formatTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

volatile std::sig_atomic_t g_stop = 0;
int g_signalPipe[2] = {-1, -1};
extern "C" void onStopSignal(int)
{
    g_stop = 1;
    if (g_signalPipe[1] >= 0) {
        const char byte = 1;
        [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
    }
}

} // namespace

QString ctlHelpText(const QString &command)
{
    return helpFor(command);
}

CtlApp::CtlApp(QTextStream &out, QTextStream &err)
    : m_out(out), m_err(err)
{
}

CtlApp::~CtlApp() = default;

int CtlApp::usage(const QString &message, const QString &command)
{
    m_err << "mailroutectl: " << message << '\n';
    m_err << "Try 'mailroutectl " << (command.isEmpty() ? QString() : command + QLatin1Char(' '))
          << "--help'.\n";
    return kExitUsage;
}

int CtlApp::fail(const QString &message)
{
    m_err << "mailroutectl: " << message << '\n';
    return kExitError;
}

int CtlApp::help(const QString &command)
{
    m_out << helpFor(command);
    return kExitOk;
}

bool CtlApp::openStore()
{
    m_store = std::make_unique<ConfigStore>(ConfigStore::resolveDatabasePath(m_args.db));
    const Status st = m_store->open();
    if (!st.ok()) {
        fail(QStringLiteral("cannot open database %1: %2").arg(m_store->path(), st.error));
        return false;
    }
    return true;
}

std::optional<Area> CtlApp::requireArea(bool usersOnly)
{
    if (!m_args.hasValue(QStringLiteral("area"))) {
        usage(QStringLiteral("%1 needs --area relay|inbound|outbound").arg(m_command), m_command);
        return std::nullopt;
    }
    const QString key = m_args.value(QStringLiteral("area"));
    const auto area = areaFromKey(key);
    if (!area) {
        usage(QStringLiteral("unknown area '%1' (relay, inbound or outbound)").arg(key), m_command);
        return std::nullopt;
    }
    if (usersOnly && !areaHasUsers(*area)) {
        usage(QStringLiteral("the relay area has domain mappings only (no user list)"), m_command);
        return std::nullopt;
    }
    return area;
}

bool CtlApp::expectPositionals(int min, int max)
{
    if (m_positionals.size() < min) {
        usage(QStringLiteral("missing argument"), m_command);
        return false;
    }
    if (max >= 0 && m_positionals.size() > max) {
        usage(QStringLiteral("unexpected argument '%1'").arg(m_positionals.at(max)), m_command);
        return false;
    }
    return true;
}

int CtlApp::run(const QStringList &arguments)
{
    static const QSet<QString> valueOptions{QStringLiteral("area"), QStringLiteral("listen"),
                                            QStringLiteral("smarthost"), QStringLiteral("spool"),
                                            QStringLiteral("tls"), QStringLiteral("send-to"), QStringLiteral("from"),
                                            QStringLiteral("selector"), QStringLiteral("algorithm"),
                                            QStringLiteral("until"), QStringLiteral("at"), QStringLiteral("expire"),
                                            QStringLiteral("target-domain"),
                                            QStringLiteral("metrics-file"), QStringLiteral("metrics-interval"),
                                            QStringLiteral("to"), QStringLiteral("message-id"),
                                            QStringLiteral("queue-id"), QStringLiteral("status"),
                                            QStringLiteral("since")};
    static const QSet<QString> flagOptions{QStringLiteral("pushed"), QStringLiteral("follow"),
                                           QStringLiteral("allow-empty"), QStringLiteral("actions"),
                                           QStringLiteral("messages"), QStringLiteral("json"), QStringLiteral("zone"),
                                           QStringLiteral("all"), QStringLiteral("yes"),
                                           QStringLiteral("with-outbound"), QStringLiteral("apply-anyway")};
    m_args = CtlArgs::parse(arguments, valueOptions, flagOptions);
    if (!m_args.error.isEmpty())
        return usage(m_args.error);
    if (m_args.has(QStringLiteral("version"))) {
        m_out << "mailroutectl " << QStringLiteral(MAILROUTE_VERSION) << '\n';
        return kExitOk;
    }
    if (m_args.words.isEmpty()) {
        if (m_args.has(QStringLiteral("help")))
            return help({});
        return usage(QStringLiteral("no command given"));
    }
    m_command = m_args.words.first();
    m_positionals = m_args.words.mid(1);
    if (m_command == QLatin1String("help"))
        return help(m_positionals.value(0));
    if (m_args.has(QStringLiteral("help")))
        return help(m_command);

    using Handler = int (CtlApp::*)();
    static const QHash<QString, Handler> handlers{
        {QStringLiteral("domains"), &CtlApp::cmdDomains},
        {QStringLiteral("users"), &CtlApp::cmdUsers},
        {QStringLiteral("route"), &CtlApp::cmdRoute},
        {QStringLiteral("diff"), &CtlApp::cmdDiff},
        {QStringLiteral("push"), &CtlApp::cmdPush},
        {QStringLiteral("rollback"), &CtlApp::cmdRollback},
        {QStringLiteral("generations"), &CtlApp::cmdGenerations},
        {QStringLiteral("lint"), &CtlApp::cmdLint},
        {QStringLiteral("logs"), &CtlApp::cmdLogs},
        {QStringLiteral("settings"), &CtlApp::cmdSettings},
        {QStringLiteral("routes"), &CtlApp::cmdRoutes},
        {QStringLiteral("serve"), &CtlApp::cmdServe},
        {QStringLiteral("queue"), &CtlApp::cmdQueue},
        {QStringLiteral("secret"), &CtlApp::cmdSecret},
        {QStringLiteral("export"), &CtlApp::cmdExport},
        {QStringLiteral("check"), &CtlApp::cmdCheck},
        {QStringLiteral("dkim"), &CtlApp::cmdDkim},
        {QStringLiteral("hold"), &CtlApp::cmdHold},
        {QStringLiteral("purge"), &CtlApp::cmdPurge},
        {QStringLiteral("verify"), &CtlApp::cmdVerify},
        {QStringLiteral("status"), &CtlApp::cmdStatus},
        {QStringLiteral("wave"), &CtlApp::cmdWave},
        {QStringLiteral("trace"), &CtlApp::cmdTrace},
    };
    if (m_args.has(QStringLiteral("json"))
        && (handlers.contains(m_command) || m_command == QLatin1String("completion"))) {
        if (const int code = runJson(); code >= 0)
            return code; // ctl_json.cpp
    }
    if (m_command == QLatin1String("completion")) {
        // Generated from the tables above, so it lists what this parser takes.
        if (m_positionals != QStringList{QStringLiteral("bash")})
            return usage(QStringLiteral("completion needs bash"), m_command);
        m_out << bashCompletionScript({handlers.keys() << QStringLiteral("completion"), valueOptions, flagOptions});
        return kExitOk;
    }
    if (const auto it = handlers.constFind(m_command); it != handlers.constEnd())
        return (this->*it.value())();
    return usage(QStringLiteral("unknown command '%1'").arg(m_command));
}

int CtlApp::dispatch(const std::vector<CtlVerb> &verbs)
{
    const QString verb = m_positionals.value(0);
    m_positionals = m_positionals.mid(1);
    QStringList names;
    for (const CtlVerb &v : verbs)
        names << QString::fromLatin1(v.name);
    if (verb.isEmpty()) {
        const QString last = names.takeLast();
        return usage(QStringLiteral("%1 needs %2 or %3").arg(m_command, names.join(QStringLiteral(", ")), last),
                     m_command);
    }
    for (const CtlVerb &v : verbs) {
        if (verb != QLatin1String(v.name))
            continue;
        if (v.area != CtlVerb::AreaUse::None) {
            m_area = requireArea(v.area == CtlVerb::AreaUse::UserArea);
            if (!m_area)
                return kExitUsage;
        }
        if (!expectPositionals(v.minArgs, v.maxArgs))
            return kExitUsage;
        if (v.needsStore && !openStore())
            return kExitError;
        return v.run();
    }
    return usage(QStringLiteral("unknown %1 command '%2'").arg(m_command, verb), m_command);
}

int CtlApp::exitFor(const Status &status)
{
    return status.ok() ? kExitOk : fail(status.error);
}

int CtlApp::cmdDomains()
{
    using A = CtlVerb::AreaUse;
    return dispatch({
        {"list", A::AnyArea, 0, 0, true,
         [this] {
             for (const DomainMapping &m : m_store->domainMappings(*m_area))
                 m_out << displayDomain(m.source) << '\t' << displayDomain(m.target) << '\n';
             return kExitOk;
         }},
        {"add", A::AnyArea, 2, 2, true,
         [this] { return exitFor(m_store->addDomainMapping(*m_area, m_positionals.at(0), m_positionals.at(1))); }},
        {"remove", A::AnyArea, 1, -1, true,
         [this] {
             const auto removed = m_store->removeDomainMappings(*m_area, m_positionals);
             return removed.ok() ? kExitOk : fail(removed.error);
         }},
    });
}

int CtlApp::cmdUsers()
{
    using A = CtlVerb::AreaUse;
    return dispatch({
        {"list", A::UserArea, 0, 0, true,
         [this] {
             // Paged so a million-entry list streams without holding it all twice.
             const qint64 page = 50000;
             for (qint64 offset = 0;; offset += page) {
                 const QList<UserMapping> rows = m_store->userMappings(*m_area, offset, page);
                 for (const UserMapping &u : rows)
                     m_out << u.source << '\t' << u.target << '\n';
                 if (rows.size() < page)
                     break;
             }
             return kExitOk;
         }},
        {"add", A::UserArea, 2, 2, true,
         [this] { return exitFor(m_store->addUserMapping(*m_area, m_positionals.at(0), m_positionals.at(1))); }},
        {"remove", A::UserArea, 1, -1, true,
         [this] {
             const auto removed = m_store->removeUserMappings(*m_area, m_positionals);
             return removed.ok() ? kExitOk : fail(removed.error);
         }},
        {"import", A::UserArea, 1, 1, false, [this] { return importUsers(); }},
        {"export", A::UserArea, 0, 1, true, [this] { return exportUsers(); }},
        {"sample", A::None, 0, 0, false,
         [this] {
             m_out << QString::fromUtf8(UserCsvCodec::sample());
             return kExitOk;
         }},
    });
}

int CtlApp::importUsers()
{
    QFile file(m_positionals.at(0));
    QByteArray data;
    if (m_positionals.at(0) == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read standard input"));
        data = file.readAll();
    } else {
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        data = file.readAll();
    }
    if (!openStore())
        return kExitError;
    CsvParseOptions opts;
    opts.allowEmpty = m_args.has(QStringLiteral("allow-empty"));
    const ImportPlan plan = m_store->planImport(*m_area, data, opts);
    if (!plan.ok()) {
        for (const CsvError &e : plan.parsed.errors) {
            if (e.line > 0)
                m_err << file.fileName() << ':' << e.line << ": " << e.reason << '\n';
            else
                m_err << file.fileName() << ": " << e.reason << '\n';
        }
        return fail(QStringLiteral("%1 refused: %2 error(s); the user list is unchanged")
                        .arg(file.fileName())
                        .arg(plan.parsed.errors.size()));
    }
    const Status st = m_store->applyImport(plan);
    if (!st.ok())
        return fail(st.error);
    m_out << "imported " << plan.parsed.rows.size() << " users into " << areaKey(*m_area) << " (" << plan.added
          << " new, " << plan.changed << " changed, " << plan.removed << " removed, " << plan.unchanged
          << " unchanged)\n";
    return kExitOk;
}

int CtlApp::exportUsers()
{
    const QByteArray csv = m_store->exportUsers(*m_area);
    const QString target = m_positionals.value(0, QStringLiteral("-"));
    if (target == QLatin1String("-")) {
        m_out.flush();
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(csv) != csv.size())
            return fail(QStringLiteral("cannot write to standard output"));
        return kExitOk;
    }
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(csv) != csv.size() || !out.flush())
        return fail(QStringLiteral("cannot write %1: %2").arg(target, out.errorString()));
    return kExitOk;
}

int CtlApp::cmdRoute()
{
    const auto area = requireArea(false);
    if (!area)
        return kExitUsage;
    if (!expectPositionals(1, 1))
        return kExitUsage;
    const auto address = parseMailbox(m_positionals.at(0));
    if (!address.ok())
        return fail(QStringLiteral("invalid address '%1': %2").arg(m_positionals.at(0), address.error));
    if (!openStore())
        return kExitError;
    ConfigData config;
    qint64 generation = 0;
    if (m_args.has(QStringLiteral("pushed"))) {
        const auto active = m_store->activeGeneration();
        if (!active)
            return fail(QStringLiteral("nothing has been pushed yet"));
        auto cfg = m_store->generationConfig(*active);
        if (!cfg.ok())
            return fail(cfg.error);
        config = std::move(*cfg);
        generation = *active;
    } else {
        config = m_store->draft();
    }
    const auto snapshot = RoutingSnapshot::compile(config, generation);
    const RouteResult r = snapshot->route(*area, *address);
    m_out << r.address.toString() << '\t' << matchKindKey(r.kind) << '\n';
    return kExitOk;
}

int CtlApp::cmdDiff()
{
    if (!expectPositionals(0, 0))
        return kExitUsage;
    if (!openStore())
        return kExitError;
    const ConfigDiff diff = m_store->pendingDiff();
    for (const QString &line : diff.toLines())
        m_out << line << '\n';
    return kExitOk;
}

int CtlApp::cmdPush()
{
    if (!expectPositionals(0, 0))
        return kExitUsage;
    if (!openStore())
        return kExitError;
    if (!promotePendingDkimKeys())
        return kExitError;
    const auto result = m_store->push();
    if (!result.ok())
        return fail(QStringLiteral("push refused: %1").arg(result.error));
    for (const LintFinding &f : result->lint) {
        m_err << (f.severity == LintFinding::Severity::Warning ? "warning: " : "info: ")
              << (f.area ? areaKey(*f.area) + QStringLiteral(": ") : QString()) << f.message << '\n';
    }
    if (result->unchanged)
        m_out << "no changes; generation " << result->generation << " stays active\n";
    else
        m_out << "generation " << result->generation << " is active\n";
    return kExitOk;
}

int CtlApp::cmdRollback()
{
    if (!expectPositionals(0, 1))
        return kExitUsage;
    std::optional<qint64> target;
    if (!m_positionals.isEmpty()) {
        bool ok = false;
        const qint64 g = m_positionals.at(0).toLongLong(&ok);
        if (!ok || g < 1)
            return usage(QStringLiteral("GENERATION must be a positive number, got '%1'").arg(m_positionals.at(0)),
                         m_command);
        target = g;
    }
    if (!openStore())
        return kExitError;
    const auto result = m_store->rollback(target);
    if (!result.ok())
        return fail(QStringLiteral("rollback refused: %1").arg(result.error));
    m_out << "generation " << *result << " is active\n";
    return kExitOk;
}

int CtlApp::cmdGenerations()
{
    if (!expectPositionals(0, 0))
        return kExitUsage;
    if (!openStore())
        return kExitError;
    for (const GenerationInfo &g : m_store->generations()) {
        m_out << g.number << '\t' << formatTime(g.created) << '\t' << g.domainCount << " domains\t"
              << g.userCount << " users" << (g.active ? "\tactive" : "") << '\n';
    }
    return kExitOk;
}

int CtlApp::cmdLint()
{
    if (!expectPositionals(0, 0))
        return kExitUsage;
    if (!openStore())
        return kExitError;
    for (const LintFinding &f : lintConfig(m_store->draft())) {
        m_out << (f.severity == LintFinding::Severity::Warning ? "warning" : "info") << '\t'
              << (f.area ? areaKey(*f.area) : QStringLiteral("-")) << '\t' << f.message << '\n';
    }
    return kExitOk;
}

int CtlApp::cmdLogs()
{
    if (!expectPositionals(0, 0))
        return kExitUsage;
    std::optional<Area> area;
    if (m_args.hasValue(QStringLiteral("area"))) {
        area = requireArea(false);
        if (!area)
            return kExitUsage;
    }
    const bool actionsOnly = m_args.has(QStringLiteral("actions"));
    const bool messagesOnly = m_args.has(QStringLiteral("messages"));
    if (actionsOnly && messagesOnly)
        return usage(QStringLiteral("--actions and --messages exclude each other"), m_command);
    if (!openStore())
        return kExitError;

    // Both logs of docs/behaviour.md "Logs", merged in time order: the action
    // log (edits, pushes) and the relay's message log (received, rewritten,
    // delivered...). --json: an array, or JSON Lines with --follow
    // (ctl_json.h).
    std::optional<JsonList> json;
    if (m_args.has(QStringLiteral("json")))
        json.emplace(m_out,
                     m_args.has(QStringLiteral("follow")) ? JsonList::Style::Lines : JsonList::Style::Array);
    qint64 lastAction = 0;
    qint64 lastMessage = 0;
    auto printNew = [&] {
        for (;;) {
            QList<ActionLogEntry> actions;
            QList<MessageLogEntry> messages;
            if (!messagesOnly)
                actions = m_store->actionLog(area, lastAction, 1000);
            if (!actionsOnly) {
                // --area keeps the events of that area's rules; the others
                // (received, delivered, ...) belong to no area.
                for (const MessageLogEntry &e : m_store->messageLog(lastMessage, 1000)) {
                    lastMessage = std::max(lastMessage, e.id);
                    if (!area || e.area == area)
                        messages << e;
                }
            }
            qsizetype a = 0;
            qsizetype m = 0;
            while (a < actions.size() || m < messages.size()) {
                const bool takeAction = m >= messages.size()
                    || (a < actions.size() && actions.at(a).time <= messages.at(m).time);
                if (takeAction) {
                    const ActionLogEntry &e = actions.at(a++);
                    if (json)
                        json->add(actionLogJson(e));
                    else
                        m_out << formatTime(e.time) << '\t'
                              << (e.area ? areaKey(*e.area) : QStringLiteral("-")) << '\t' << e.message
                              << '\n';
                    lastAction = e.id;
                } else {
                    const MessageLogEntry &e = messages.at(m++);
                    if (json)
                        json->add(messageLogJson(e));
                    else
                        m_out << formatTime(e.time) << '\t'
                              << (e.area ? areaKey(*e.area) : QStringLiteral("-")) << '\t'
                              << formatMessageLogLine(e) << '\n';
                }
            }
            if (actions.size() < 1000 && messages.size() < 1000)
                break;
        }
        m_out.flush();
    };
    printNew();
    if (!m_args.has(QStringLiteral("follow")))
        return kExitOk;
    // Poll: cheap, and sees what other processes (a relay, the console) write.
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    while (!g_stop) {
        QThread::msleep(200);
        printNew();
    }
    return kExitOk;
}

int CtlApp::cmdSettings()
{
    using A = CtlVerb::AreaUse;
    return dispatch({
        {"list", A::None, 0, 0, true,
         [this] {
             for (const SettingDef &def : SettingsSchema::all())
                 m_out << def.key << '\t' << m_store->setting(def.key) << '\n';
             return kExitOk;
         }},
        {"get", A::None, 1, 1, false,
         [this] {
             if (!SettingsSchema::find(m_positionals.at(0)))
                 return fail(SettingsSchema::validate(m_positionals.at(0), QString()).error);
             if (!openStore())
                 return kExitError;
             m_out << m_store->setting(m_positionals.at(0)) << '\n';
             return kExitOk;
         }},
        {"set", A::None, 2, 2, true,
         [this] { return exitFor(m_store->setSetting(m_positionals.at(0), m_positionals.at(1))); }},
        {"reset", A::None, 1, 1, true, [this] { return exitFor(m_store->resetSetting(m_positionals.at(0))); }},
    });
}

int CtlApp::cmdRoutes()
{
    using A = CtlVerb::AreaUse;
    return dispatch({
        {"list", A::None, 0, 0, true,
         [this] {
             for (const TransportRoute &r : m_store->routes())
                 m_out << r.domain << '\t' << r.nextHop << '\t'
                       << (r.tls ? tlsPolicyName(*r.tls) : QStringLiteral("default")) << '\n';
             return kExitOk;
         }},
        {"set", A::None, 2, 2, true,
         [this] {
             std::optional<TlsPolicy> tls;
             if (m_args.hasValue(QStringLiteral("tls"))) {
                 tls = parseTlsPolicy(m_args.value(QStringLiteral("tls")));
                 if (!tls)
                     return usage(QStringLiteral("--tls must be may, encrypt or verify, got '%1'")
                                      .arg(m_args.value(QStringLiteral("tls"))),
                                  m_command);
             }
             return exitFor(m_store->setRoute(m_positionals.at(0), m_positionals.at(1), tls));
         }},
        {"remove", A::None, 1, 1, true, [this] { return exitFor(m_store->removeRoute(m_positionals.at(0))); }},
    });
}

QString CtlApp::spoolDirectory() const
{
    if (m_args.hasValue(QStringLiteral("spool")))
        return QDir::cleanPath(QDir::current().absoluteFilePath(m_args.value(QStringLiteral("spool"))));
    // Beside the database by default (issue 3: "the spool directory defaults beside the database").
    return QFileInfo(ConfigStore::resolveDatabasePath(m_args.db)).absolutePath() + QStringLiteral("/spool");
}

int CtlApp::cmdServe()
{
    if (!expectPositionals(0, 0))
        return kExitUsage;
    if (!openStore())
        return kExitError;

    // The overrides are validated like the settings they replace.
    QMap<QString, QString> overrides;
    const std::pair<const char *, const char *> optionKeys[] = {{"listen", "relay.listen"},
                                                                {"smarthost", "delivery.smarthost"}};
    for (const auto &[option, key] : optionKeys) {
        if (!m_args.hasValue(QString::fromLatin1(option)))
            continue;
        const auto valid = SettingsSchema::validate(QString::fromLatin1(key), m_args.value(QString::fromLatin1(option)));
        if (!valid.ok())
            return usage(QStringLiteral("--%1: %2").arg(QString::fromLatin1(option), valid.error), m_command);
        overrides.insert(QString::fromLatin1(key), *valid);
    }
    const auto active = m_store->activeGeneration();
    if (!active)
        return fail(QStringLiteral("nothing has been pushed yet: run 'mailroutectl push' first"));
    GenerationFollower::Options followerOptions;
    followerOptions.databasePath = m_store->path();
    followerOptions.overrides = overrides;
    auto first = GenerationFollower(followerOptions).build(*active);
    if (!first.ok())
        return fail(QStringLiteral("generation %1: %2").arg(*active).arg(first.error));
    if (!(*first)->hostNameWarning.isEmpty())
        m_err << "mailroutectl: warning: " << (*first)->hostNameWarning << '\n';

    EngineController::Options options;
    options.engine.spoolDirectory = spoolDirectory();
    options.engine.nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    if (!options.engine.nameserver.isEmpty()) {
        if (const auto ns = NameServer::parse(options.engine.nameserver); !ns.ok())
            return fail(QStringLiteral("MAILROUTE_NAMESERVER: %1").arg(ns.error));
    }
    options.databasePath = m_store->path();

    // Journal lines, relay-status.json, systemd notification, metrics (servereport.h).
    ServeReporter::Options report;
    report.spoolDirectory = options.engine.spoolDirectory;
    report.databasePath = m_store->path();
    report.journalPrefixes = ServeReporter::stderrWantsPrefixes();
    if (const QString error = serveReportOptions(&report.metricsFile, &report.metricsIntervalMs);
        !error.isEmpty())
        return usage(error, m_command);
    EngineController controller(options);
    ServeReporter reporter(report, m_err);

    int exitCode = kExitOk;
    bool announced = false;
    QObject::connect(&controller, &EngineController::statusChanged, &controller, [&](const RelayStatus &st) {
        if (st.listening && !announced) {
            announced = true;
            m_err << "mailroutectl: relay listening on " << st.listenAddress << " (generation " << st.generation
                  << ", spool " << options.engine.spoolDirectory << ")\n";
            m_err.flush();
        } else if (!st.listening && !st.error.isEmpty()) {
            m_err << "mailroutectl: " << st.error << '\n';
            m_err.flush();
            exitCode = kExitError;
            controller.stop();
        }
    });
    QObject::connect(&controller, &EngineController::logFailed, &controller, [&](const QString &reason) {
        m_err << "mailroutectl: " << reason << '\n';
        m_err.flush();
    });
    QObject::connect(&controller, &EngineController::statusChanged, &controller,
                     [&](const RelayStatus &st) { reporter.onStatus(st); });
    QObject::connect(&controller, &EngineController::events, &controller,
                     [&](const QList<MessageLogEntry> &events) { reporter.onEvents(events); });
    QObject::connect(&controller, &EngineController::stopped, &controller, [&] {
        reporter.onStopped();
        QCoreApplication::quit();
    });

    // SIGTERM/SIGINT through a self-pipe, so the stop runs in the event loop.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return fail(QStringLiteral("cannot set up signal handling"));
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &controller, [&] {
        char buf[16];
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], buf, sizeof buf);
        notifier.setEnabled(false);
        m_err << "mailroutectl: stopping\n";
        m_err.flush();
        reporter.onStopping();
        controller.stop();
    });
    std::signal(SIGTERM, onStopSignal);
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGPIPE, SIG_IGN);

    // A push or rollback by the console or another mailroutectl is picked up
    // within a second, and the confirmations they asked for are sent.
    GenerationFollower follower(followerOptions);
    QObject::connect(&follower, &GenerationFollower::activated, &controller, [&](qint64 generation) {
        m_err << "mailroutectl: generation " << generation << " is active\n";
        m_err.flush();
    });
    QObject::connect(&follower, &GenerationFollower::failed, &controller,
                     [&](qint64 generation, const QString &reason) {
                         m_err << "mailroutectl: generation " << generation << " not activated: " << reason << '\n';
                         m_err.flush();
                     });

    controller.start(*first);
    follower.follow(&controller, (*first)->generation);
    // Migration waves: applied and expired at their time, as new generations
    // the follower then hands to the relay.
    WaveScheduler::Options waveOptions;
    waveOptions.databasePath = m_store->path();
    waveOptions.overrides = overrides;
    waveOptions.nameserver = options.engine.nameserver;
    WaveScheduler waves(waveOptions);
    QObject::connect(&waves, &WaveScheduler::applied, &controller, [&](const QString &name, qint64 generation, bool late) {
        m_err << "mailroutectl: wave " << name << " applied" << (late ? " at start (its time passed while no relay ran)" : "")
              << ", generation " << generation << '\n';
        m_err.flush();
    });
    QObject::connect(&waves, &WaveScheduler::expired, &controller, [&](const QString &name, qint64 generation) {
        m_err << "mailroutectl: wave " << name << " expired, generation " << generation << '\n';
        m_err.flush();
    });
    QObject::connect(&waves, &WaveScheduler::failed, &controller, [&](const QString &name, const QString &reason) {
        m_err << "mailroutectl: wave " << (name.isEmpty() ? QStringLiteral("scheduler") : name) << ": " << reason << '\n';
        m_err.flush();
    });
    waves.start();
    QCoreApplication::exec();
    waves.stop();
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
    return exitCode;
}

int CtlApp::cmdQueue()
{
    const QString verb = m_positionals.value(0);
    m_positionals = m_positionals.mid(1);
    if (verb.isEmpty())
        return usage(QStringLiteral("queue needs list, flush or delete"), m_command);
    if (verb != QLatin1String("list") && verb != QLatin1String("flush") && verb != QLatin1String("delete"))
        return usage(QStringLiteral("unknown queue command '%1'").arg(verb), m_command);
    if (verb == QLatin1String("list") && !expectPositionals(0, 0))
        return kExitUsage;
    if (verb == QLatin1String("flush") && !expectPositionals(0, 1))
        return kExitUsage;
    if (verb == QLatin1String("delete") && !expectPositionals(1, 1))
        return kExitUsage;
    const QString dir = spoolDirectory();
    if (!QFileInfo::exists(dir + QLatin1Char('/') + Spool::databaseFileName())) {
        if (verb == QLatin1String("list"))
            return kExitOk; // no spool yet: nothing queued
        return fail(QStringLiteral("no spool in %1").arg(dir));
    }
    Spool spool(dir, Spool::Role::Admin);
    if (const Status st = spool.open(); !st.ok())
        return fail(QStringLiteral("cannot open the spool in %1: %2").arg(dir, st.error));
    if (verb == QLatin1String("list")) {
        const Status listed =
            forEachQueuedRecipient(spool, [&](const QueuedMessage &m, const QueuedRecipient &r) {
                m_out << m.queueId << '\t' << formatTime(m.arrival) << '\t'
                      << (m.sender.isEmpty() ? QStringLiteral("<>") : m.sender) << '\t' << r.address << '\t'
                      << r.attempts << '\t'
                      << (r.nextAttempt.isValid() ? formatTime(r.nextAttempt) : QStringLiteral("now")) << '\t'
                      << QString(r.lastError).replace(QLatin1Char('\t'), QLatin1Char(' ')) << '\n';
            });
        if (!listed.ok())
            return fail(listed.error);
        return kExitOk;
    }
    const auto outcome = verb == QLatin1String("flush") ? spool.requestFlush(m_positionals.value(0))
                                                        : spool.requestDelete(m_positionals.at(0));
    if (!outcome.ok())
        return fail(outcome.error);
    if (*outcome == Spool::ControlOutcome::Requested)
        m_out << "requested; the running relay applies it within a second\n";
    return kExitOk;
}

} // namespace mailroute
