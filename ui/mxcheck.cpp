#include "ui/mxcheck.h"

#include <QDnsLookup>
#include <QMap>

namespace mailroute {

namespace {

QString canonicalName(QString name)
{
    name = name.trimmed().toLower();
    while (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    return name;
}

} // namespace

MxCheck::MxCheck(QObject *parent) : QObject(parent) {}

void MxCheck::start(const QStringList &domains, const QStringList &ourNames, const QHostAddress &nameserver)
{
    m_ourNames.clear();
    for (const QString &n : ourNames) {
        if (!canonicalName(n).isEmpty())
            m_ourNames << canonicalName(n);
    }
    m_pointingHere.clear();
    m_failed.clear();
    m_pending = 0;
    const QStringList checked = domains.mid(0, kMaxDomains);
    for (const QString &domain : checked) {
        auto *lookup = new QDnsLookup(QDnsLookup::MX, domain, this);
        if (!nameserver.isNull())
            lookup->setNameserver(nameserver);
        connect(lookup, &QDnsLookup::finished, this, [this, lookup, domain] { onFinished(lookup, domain); });
        ++m_pending;
        lookup->lookup();
    }
    if (m_pending == 0)
        emit finished(m_pointingHere, m_failed);
}

void MxCheck::onFinished(QDnsLookup *lookup, const QString &domain)
{
    lookup->deleteLater();
    if (lookup->error() != QDnsLookup::NoError && lookup->error() != QDnsLookup::NotFoundError) {
        m_failed << domain;
    } else {
        const QList<QDnsMailExchangeRecord> records = lookup->mailExchangeRecords();
        for (const QDnsMailExchangeRecord &mx : records) {
            const QString exchange = canonicalName(mx.exchange());
            if (m_ourNames.contains(exchange)) {
                m_pointingHere.insert(domain, exchange);
                break;
            }
        }
    }
    if (--m_pending == 0)
        emit finished(m_pointingHere, m_failed);
}

} // namespace mailroute
