// mailroutectl hold add|release|list and purge --all --yes. Holds act at once
// (a running relay sees them within a couple of seconds, RelayHousekeeper);
// they are operational like `queue flush`, not part of a pushed generation.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"

#include "relaycore/queue/spool.h"
#include "relaycore/runtime/projectpurge.h"
#include "relaycore/secrets/secretstore.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/operationsstore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace mailroute {

namespace {

QString formatTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

} // namespace

// "2026-12-08T06:00" (local time), "2026-12-08T06:00Z", "...+01:00", or a
// duration from now: "48h", "2d", "90m", "30s".
std::optional<QDateTime> CtlApp::parseHoldTime(const QString &text, const QDateTime &now)
{
    static const QRegularExpression relative(QStringLiteral("^(\\d{1,6})\\s*([smhd])$"));
    const QString t = text.trimmed();
    if (const auto m = relative.match(t.toLower()); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        const qint64 factor = unit == u's' ? 1 : unit == u'm' ? 60 : unit == u'h' ? 3600 : 86400;
        return now.addSecs(n * factor);
    }
    QDateTime when = QDateTime::fromString(t, Qt::ISODate);
    if (!when.isValid())
        return std::nullopt;
    return when.toUTC();
}

int CtlApp::cmdHold()
{
    // add, release or list and their DOMAIN: checked by the dispatcher (ctl_verbs.cpp).
    const QString verb = m_verb;
    if (m_args.has(QStringLiteral("json")) && verb != QLatin1String("list"))
        return usage(QStringLiteral("--json belongs to 'hold list'"), m_command);
    if (m_args.hasValue(QStringLiteral("until")) && verb != QLatin1String("add"))
        return usage(QStringLiteral("--until goes with hold add"), m_command);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QDateTime until;
    if (m_args.hasValue(QStringLiteral("until"))) {
        const auto parsed = parseHoldTime(m_args.value(QStringLiteral("until")), now);
        if (!parsed)
            return usage(
                QStringLiteral("--until must be a time such as 2026-12-08T06:00 (local time, or with Z or "
                               "+01:00) or a duration such as 48h or 2d, got '%1'")
                    .arg(m_args.value(QStringLiteral("until"))),
                m_command);
        if (*parsed <= now)
            return usage(QStringLiteral("--until %1 has passed").arg(m_args.value(QStringLiteral("until"))),
                         m_command);
        until = *parsed;
    }
    if (verb != QLatin1String("list")) {
        if (const auto domain = OperationsStore::normalizeHoldDomain(m_positionals.at(0)); !domain)
            return usage(domain.error, m_command);
    }
    if (!openStore())
        return kExitError;
    OperationsStore ops(m_store->path());
    if (const Status st = ops.open(); !st)
        return fail(QStringLiteral("cannot open database %1: %2").arg(m_store->path(), st.error));
    if (verb == QLatin1String("add")) {
        if (const Status st = ops.addHold(m_positionals.at(0), until, now); !st)
            return fail(st.error);
        m_out << "@" << *OperationsStore::normalizeHoldDomain(m_positionals.at(0)) << " is on hold"
              << (until.isValid() ? QStringLiteral(" until ") + formatTime(until) : QString())
              << "; a running relay stops attempting its mail within a few seconds\n";
        return kExitOk;
    }
    if (verb == QLatin1String("release")) {
        if (const Status st = ops.releaseHold(m_positionals.at(0), now); !st)
            return fail(st.error);
        m_out << "@" << *OperationsStore::normalizeHoldDomain(m_positionals.at(0))
              << " is released; its mail is attempted now and its retry lifetime starts now\n";
        return kExitOk;
    }

    const auto holds = ops.holds();
    if (!holds)
        return fail(holds.error);
    // QUEUED: recipients waiting for the domain (its final or its original
    // address), from the spool as `queue list` reads it.
    QHash<QString, int> queued;
    const QString dir = spoolDirectory();
    if (QFileInfo::exists(dir + QLatin1Char('/') + Spool::databaseFileName())) {
        Spool spool(dir, Spool::Role::Admin);
        if (spool.open()) {
            if (const auto messages = spool.list()) {
                for (const QueuedMessage &m : *messages) {
                    for (const QueuedRecipient &r : m.recipients) {
                        if (r.status != RecipientStatus::Queued)
                            continue;
                        const QString a = domainOf(r.address);
                        const QString b = domainOf(r.originalAddress);
                        queued[a] += 1;
                        if (!b.isEmpty() && b != a)
                            queued[b] += 1;
                    }
                }
            }
        }
    }
    std::optional<JsonList> json;
    if (m_args.has(QStringLiteral("json")))
        json.emplace(m_out);
    for (const DomainHold &h : *holds) {
        if (h.until.isValid() && h.until <= now)
            continue; // ended; pruned by the relay
        if (json) {
            json->add(
                QJsonObject{{QStringLiteral("domain"), h.domain},
                            {QStringLiteral("since"), formatTime(h.since)},
                            {QStringLiteral("until"), h.until.isValid() ? QJsonValue(formatTime(h.until))
                                                                        : QJsonValue(QJsonValue::Null)},
                            {QStringLiteral("queued"), queued.value(h.domain)},
                            {QStringLiteral("warned"), h.warned}});
        } else {
            m_out << h.domain << '\t' << formatTime(h.since) << '\t'
                  << (h.until.isValid() ? formatTime(h.until) : QStringLiteral("-")) << '\t'
                  << queued.value(h.domain) << '\n';
        }
    }
    return kExitOk;
}

int CtlApp::cmdPurge()
{
    if (!m_args.has(QStringLiteral("all")))
        return usage(QStringLiteral("purge needs --all (and --yes to do it)"), m_command);
    if (!openStore())
        return kExitError;
    const auto plan = ProjectPurge::plan(m_store->path(), spoolDirectory());
    if (!plan)
        return fail(plan.error);
    if (!m_args.has(QStringLiteral("yes"))) {
        m_err << "mailroutectl: purge --all deletes, for " << plan->databasePath << ":\n";
        for (const QString &line : plan->describe())
            m_err << "  " << line << '\n';
        m_err << "mailroutectl: nothing was deleted; add --yes to delete it\n";
        return kExitUsage;
    }
    if (plan->relayRunning)
        return fail(
            QStringLiteral("a relay is running on this database (it holds the spool %1): stop it first; "
                           "nothing was deleted")
                .arg(plan->spoolDirectory));
    m_store.reset(); // its connection must not keep the deleted rows in a WAL
    const std::unique_ptr<SecretStore> secrets = createSystemSecretStore(plan->databasePath);
    if (const Status st = ProjectPurge::run(*plan, secrets.get()); !st)
        return fail(QStringLiteral("purge incomplete: %1").arg(st.error));
    m_out << "purged: " << plan->messageLogEntries << " message log and " << plan->actionLogEntries
          << " action log entries, the spool (" << plan->queuedMessages << " queued message(s)), "
          << plan->keyFiles.size()
          << " key/certificate file(s), the keychain entries; the routing configuration is "
          << "kept\n";
    return kExitOk;
}

} // namespace mailroute
