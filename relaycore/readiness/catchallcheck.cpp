#include "relaycore/readiness/catchallcheck.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/settingkeys.h"

#include <QRandomGenerator>
#include <QSet>

#include <algorithm>

namespace mailroute {

namespace {
QString domainOf(const QString &addressOrDomain)
{
    return addressOrDomain.mid(addressOrDomain.lastIndexOf(QLatin1Char('@')) + 1).toLower();
}
} // namespace

CatchAllCheck::CatchAllCheck(RecipientCheckRun::Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

CatchAllCheck::~CatchAllCheck() = default;

QStringList CatchAllCheck::targetDomains(const ConfigData &config)
{
    QSet<QString> domains;
    for (Area a : {Area::Inbound, Area::Relay}) {
        for (const DomainMapping &m : config.area(a).domains)
            domains.insert(domainOf(m.target));
        for (const UserMapping &m : config.area(a).users)
            domains.insert(domainOf(m.target));
    }
    domains.remove(QString());
    QStringList out(domains.cbegin(), domains.cend());
    std::sort(out.begin(), out.end());
    return out;
}

void CatchAllCheck::start(const ConfigData &config)
{
    const QStringList domains = targetDomains(config);
    const QStringList excluded =
        SettingsSchema::toList(config.settings.value(SettingKey::verifyExcludeDomains()));
    m_results.clear();
    m_pending = int(domains.size());
    if (domains.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { emit finished(m_results); }, Qt::QueuedConnection);
        return;
    }
    for (const QString &domain : domains) {
        CatchAllResult r;
        r.domain = domain;
        r.excluded = excluded.contains(domain);
        // A local part no tenant has: "mailroute-probe-" and 64 random bits.
        r.probed = QStringLiteral("mailroute-probe-%1@%2")
                       .arg(QString::number(QRandomGenerator::global()->generate64(), 36), domain);
        const int index = int(m_results.size());
        m_results << r;
        auto *run = new RecipientCheckRun(m_options, this);
        connect(run, &RecipientCheckRun::finished, this, [this, run, index](const RecipientCheck &c) {
            run->deleteLater();
            CatchAllResult &result = m_results[index];
            const VerifyOutcome &o = c.outcome;
            result.reply = c.error.isEmpty() ? o.targetReply : c.error;
            result.server = o.nextHop;
            switch (o.verdict) {
            case VerifyOutcome::Verdict::Refused:
                result.status = ReadinessStatus::Ok;
                result.verdict = QStringLiteral("refuses unknown addresses");
                break;
            case VerifyOutcome::Verdict::Accepted:
                result.status = result.excluded ? ReadinessStatus::Ok : ReadinessStatus::Warning;
                result.verdict = QStringLiteral("accepts any address");
                break;
            case VerifyOutcome::Verdict::Unknown:
            case VerifyOutcome::Verdict::Unchecked:
                result.status = ReadinessStatus::Warning;
                result.verdict = QStringLiteral("could not tell");
                break;
            }
            if (!c.error.isEmpty()) {
                result.status = ReadinessStatus::Failure;
                result.verdict = QStringLiteral("could not tell");
            }
            if (--m_pending == 0)
                emit finished(m_results);
        });
        run->startDirect(config, r.probed);
    }
}

} // namespace mailroute
