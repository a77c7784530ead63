#include "relaycore/readiness/dkimrecordcheck.h"

#include "relaycore/readiness/dnsreadinesscheck.h"

namespace mailroute {

QString dkimRecordName(const DkimKey &key)
{
    return key.selector + QStringLiteral("._domainkey.") + key.domain;
}

QString dkimRecordPublicKey(const QString &record)
{
    for (const QString &tag : record.split(QLatin1Char(';'))) {
        const qsizetype eq = tag.indexOf(QLatin1Char('='));
        if (eq < 0 || tag.left(eq).trimmed() != QLatin1String("p"))
            continue;
        QString value;
        for (const QChar c : tag.mid(eq + 1)) {
            if (!c.isSpace())
                value += c;
        }
        return value;
    }
    return {};
}

DkimRecordStatus assessDkimRecord(const DkimKey &key, const DnsAnswer *answer)
{
    DkimRecordStatus s;
    s.key = key;
    s.name = dkimRecordName(key);
    if (!answer || answer->outcome == DnsAnswer::Outcome::Failure) {
        s.outcome = DkimRecordStatus::Outcome::Failure;
        s.detail = answer && !answer->error.isEmpty() ? answer->error : QStringLiteral("no answer");
        return s;
    }
    if (!answer->hasRecords()) {
        s.outcome = DkimRecordStatus::Outcome::Missing;
        s.detail = answer->outcome == DnsAnswer::Outcome::NxDomain ? QStringLiteral("no such name (NXDOMAIN)")
                                                                   : QStringLiteral("no TXT record");
        return s;
    }
    QStringList found;
    for (const QString &txt : answer->values) {
        const QString p = dkimRecordPublicKey(txt);
        if (!p.isEmpty() && p == key.publicKey) {
            s.outcome = DkimRecordStatus::Outcome::Published;
            s.detail = QStringLiteral("published");
            return s;
        }
        found << (p.isEmpty() ? QStringLiteral("a TXT record without p=")
                              : QStringLiteral("p=") + p.left(16) + QStringLiteral("..."));
    }
    s.outcome = DkimRecordStatus::Outcome::Different;
    s.detail =
        QStringLiteral("the record there is for another key (%1)").arg(found.join(QStringLiteral(", ")));
    return s;
}

DkimRecordCheck::DkimRecordCheck(QObject *parent) : QObject(parent), m_check(new DnsReadinessCheck(this))
{
    connect(m_check, &DnsReadinessCheck::finished, this, [this](const QList<DomainReadiness> &) {
        QList<DkimRecordStatus> results;
        for (const DkimKey &key : std::as_const(m_keys))
            results << assessDkimRecord(key, m_check->answers().find(DnsType::TXT, dkimRecordName(key)));
        emit finished(results);
    });
}

DkimRecordCheck::~DkimRecordCheck() = default;

void DkimRecordCheck::start(const QList<DkimKey> &keys, const QString &nameserver)
{
    m_keys = keys;
    // A TXT look-up per record name, and nothing else: no MX, and with no
    // relay address the SPF evaluation asks for nothing more.
    DnsReadinessCheck::Options options;
    for (const DkimKey &key : keys)
        options.domains << DomainCheck{dkimRecordName(key), false, true};
    options.nameserver = nameserver;
    m_check->start(options);
}

} // namespace mailroute
