// The descriptions of relaycore/config/settingsschema.cpp, for lupdate only (never
// compiled): relaycore has no tr(), and the settings page shows them through
// QCoreApplication::translate("SettingsSchema", ...). tst_translations fails when
// a description of SettingsSchema::all() is missing here or untranslated.
#include <QtGlobal>

[[maybe_unused]] static const char *const kSettingsSchemaDescriptions[] = {
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Fully qualified host name the relay uses in its greeting, Received: fields and "
                      "bounces; empty means this machine's host name, with .localdomain appended when it "
                      "has no domain."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Address and port the relay listens on for SMTP."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "The relay's public IP address(es) as other mail servers see it, for the SPF "
                      "readiness check; empty means the addresses of relay.hostname."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "The administrator's address: mail to postmaster and push confirmations go there."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "A message with more Received: fields than this is refused as a mail loop (554 "
                      "5.4.6)."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Whether addresses in To:/Cc: are rewritten along with the envelope recipients: "
                      "unsigned (only where no valid DKIM signature of the sender covers the field, so "
                      "signed mail stays valid), always (breaks such signatures) or never."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Whether addresses in From:/Sender:/Reply-To: of the Outbound area's clients are "
                      "rewritten along with the envelope sender: yes or no."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Networks whose clients may relay to any recipient, their senders rewritten by "
                      "the Outbound area."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Envelope sender domains for which allowed clients may relay to any recipient "
                      "(others get 550 5.7.1); empty means the domains the Outbound rules name."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Next hop for all mail without a per-domain route; empty means MX look-up in DNS."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Maximum simultaneous connections to one next hop."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Delays after the first attempt at which a temporarily failed delivery is "
                      "retried before it bounces."),
    QT_TRANSLATE_NOOP(
        "SettingsSchema",
        "Shortest time between two scheduled attempts for a recipient, also after a long stop of "
        "the relay."),
    QT_TRANSLATE_NOOP(
        "SettingsSchema",
        "After this long in the queue the sender gets one delay notice (a DSN that says delayed); 0 "
        "means never."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "After a domain has been on hold this long the administrator is warned (log and "
                      "relay.postmaster)."),
    QT_TRANSLATE_NOOP(
        "SettingsSchema",
        "Days the message log and the action log are kept; older entries are deleted daily, 0 keeps "
        "them forever."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Largest message accepted, in bytes (35M and 35MiB are accepted as input)."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Most recipients accepted in one message."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Longest SMTP command line accepted, in octets."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Longest line of message text accepted, in octets."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Most concurrent SMTP sessions."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Most concurrent SMTP sessions from one client address."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Seconds the relay waits for an SMTP command."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Seconds the relay waits for the message text after DATA."),
    QT_TRANSLATE_NOOP("SettingsSchema", "Protocol errors tolerated before a session is closed."),
    QT_TRANSLATE_NOOP(
        "SettingsSchema",
        "NOOP, RSET, VRFY and unknown commands a session may send without delivering a message; "
        "the next one closes it (421 4.7.0)."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "PEM certificate chain offered with STARTTLS; empty means STARTTLS is not "
                      "offered."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "PEM private key of the certificate; a passphrase lives in the keychain."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Clients that must use STARTTLS before MAIL (else 530 5.7.0): no, "
                      "allowed_clients (the outbound.allowed_clients networks) or all; needs "
                      "tls.certificate and tls.key."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "User name for SMTP AUTH at the smart host; the password lives in the operating "
                      "system's keychain."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "TLS towards MX hosts and routes without a policy of their own: may (STARTTLS "
                      "when offered), encrypt (TLS required) or verify (TLS required, certificate and "
                      "host name checked)."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "TLS towards the smart host: may, encrypt or verify (SMTP AUTH is only ever sent "
                      "inside TLS)."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "PEM file of extra certificate authorities trusted under the verify policy, "
                      "besides the system's."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Seconds a stopping relay waits for deliveries in progress to get their answer "
                      "before it exits."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Confirmation emails to relay.postmaster after each push and user list upload: "
                      "auto (when relay.postmaster is set), on or off."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Whether mail from clients outside outbound.allowed_clients that fails DMARC under "
                      "its domain's p=reject is refused (550 5.7.1) at the end of DATA: no (the target "
                      "tenant decides; the verdicts go to Authentication-Results and the log) or yes."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Domain whose active DKIM key seals forwarded mail with ARC, so that the target tenant "
                      "can trust the results the relay saw; empty means no ARC sealing."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Which messages get an ARC seal once arc.domain has an active key: modified (those "
                      "whose headers the relay rewrote), always or off."),
    QT_TRANSLATE_NOOP(
        "SettingsSchema",
        "Whether the relay asks the target server if it would take an Inbound or Relay "
        "recipient before accepting it at RCPT: inbound (Inbound and Relay recipients) or off."),
    QT_TRANSLATE_NOOP(
        "SettingsSchema",
        "Recipient domains that are never verified at their target (mailroutectl verify exclude "
        "DOMAIN)."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "How long a recipient the target accepted is remembered without asking again."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "How long a recipient the target refused is remembered without asking again."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Most recipient verification probes to one next hop at the same time."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Envelope sender of recipient verification probes; empty means the null sender <>."),
    QT_TRANSLATE_NOOP("SettingsSchema",
                      "Most recipient probes per minute when a migration wave is checked; 0 checks waves "
                      "without probing their targets."),
};
