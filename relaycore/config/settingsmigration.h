// Settings that an older MailRoute stored and that were since replaced, and
// how their stored values carry over (docs/behaviour.md, "Header rewriting").
// Applied to the draft when a database is opened and to every pushed
// generation when it is decoded, so a diff between them never shows the
// rename, and an old value never silently falls back to a new default.
// Pure; safe from any thread.
#pragma once

#include <QMap>
#include <QString>

namespace mailroute {

class SettingsMigration final
{
public:
    // The one retired setting so far: rewrite.headers (true/false), split in
    // issue 10 into rewrite.recipient_headers and rewrite.sender_headers.
    static QString legacyRewriteHeaders();

    // Replaces retired keys in `settings` (explicit values of a draft or of a
    // generation) by their successors; a successor that is already set
    // wins. Returns a one-line account of what changed, empty if nothing did.
    //   rewrite.headers=false -> recipient_headers=never, sender_headers=no
    //   rewrite.headers=true  -> recipient_headers=unsigned, sender_headers=yes
    // `true` maps to `unsigned`, not to the old behaviour `always`: the old
    // switch could not say "unless that breaks the sender's signature", and
    // nobody chose to make DKIM and then DMARC fail at the target tenant.
    // An admin who wants `always` back sets it (its description says what
    // it costs).
    static QString migrate(QMap<QString, QString> &settings);

    // Why `key` is refused by `settings set`/`reset`, naming what replaces
    // it; empty for a key that was never retired. Refused rather than taken
    // as an alias: one old value would have to set two new settings, and
    // `true` no longer means what it meant, so a script that still sets it
    // should stop and be looked at, not be half-obeyed.
    static QString retiredKeyMessage(const QString &key);
};

} // namespace mailroute
