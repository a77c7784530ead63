// Export of a pushed generation to Postfix (docs/behaviour.md "Postfix export",
// issue 6 item 4): lookup tables and a main.cf fragment with which a fleet of
// Postfix relays routes as MailRoute does. build() is pure (values in, file
// contents out); write() and exportActiveGeneration() do the I/O and run on the
// caller's thread (the console calls them on a worker thread, with its own
// ConfigStore).
//
// Decisions, so that they are not rediscovered:
// - One recipient_canonical map for Relay and Inbound, in
//   the order of docs/behaviour.md "Routing precedence": Inbound users, then
//   Inbound @domain, then Relay @domain for domains Inbound does not map.
//   Postfix tries user@domain in every map before @domain (canonical(5) "TABLE
//   SEARCH ORDER"), which is MailRoute's precedence. Outbound goes to
//   sender_canonical.
// - Keys are written as MailRoute stores them; postmap folds them to lower
//   case and Postfix folds the looked-up address (canonical(5) "CASE
//   FOLDING"), as MailRoute compares case-insensitively.
// - A key the hash: source format cannot hold (whitespace inside a quoted
//   local part, a leading '#', which starts a comment) goes to a regexp:
//   table instead, anchored and escaped; Postfix looks the full address up
//   in every map before it tries @domain, so the order is kept.
// - IDN domains are keyed in their ACE form and again in their Unicode form
//   (SMTPUTF8 clients may write either).
// - Postfix canonical maps are recursive (cleanup(8) maps a result again);
//   MailRoute never maps a result again. Every rule whose result another
//   exported rule would map again is listed in `warnings`.
// - MailRoute rewrites senders only for allow-listed clients
//   (docs/behaviour.md "Routing precedence"); Postfix's sender_canonical_maps
//   would apply to every client. So the main pass has none, and a cidr: table
//   FILTERs allow-listed clients' mail through a second smtpd/cleanup pass on
//   127.0.0.1:10026 (master.cf.fragment) whose cleanup has only the Outbound
//   rules.
// - relay_recipient_maps reuses recipient_canonical: exactly the addresses a
//   MailRoute rule claims may come from any client
//   (docs/behaviour.md "Who may send what").
// - Secrets are never written: a smart host password is a placeholder in
//   sasl_passwd.example for the admin to fill in.
// - DKIM: Postfix cannot sign. The active keys go into OpenDKIM's KeyTable
//   and SigningTable (refile:), naming DIR/dkim/DOMAIN.SELECTOR.pem; the
//   private keys are never exported, main.cf.fragment says which file to
//   copy where (mode 0600) and has the milter lines, commented out.
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

class ConfigStore;

struct ExportedFile
{
    QString name;         // file name inside the export directory
    QByteArray content;   // UTF-8, LF line ends
    bool postmap = false; // a hash: source that postmap must index
};

struct PostfixExportResult
{
    qint64 generation = 0;
    QList<ExportedFile> files;
    QStringList warnings;   // English, one line each: where Postfix would route differently
    int recipientRules = 0; // entries in recipient_canonical (+ .regexp)
    int senderRules = 0;    // entries in sender_canonical (+ .regexp)

    const ExportedFile *file(const QString &name) const;
};

class PostfixExport final
{
public:
    // The files for `config` (generation `generation`), with `directory` (an
    // absolute path) written into main.cf.fragment and postmap.sh.
    static PostfixExportResult build(const ConfigData &config, qint64 generation, const QString &directory);

    // Writes every file into `directory` (created if missing), each through a
    // temporary file renamed into place. Refuses a directory that cannot be
    // written, before writing anything.
    static Status write(const PostfixExportResult &result, const QString &directory);

    // The active (pushed) generation of `store`, built and written. Refuses
    // when nothing has been pushed yet.
    static Result<PostfixExportResult> exportActiveGeneration(const ConfigStore &store,
                                                              const QString &directory);
};

} // namespace mailroute
