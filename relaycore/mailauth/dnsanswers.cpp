#include "relaycore/mailauth/dnsanswers.h"

namespace mailroute {

QString DnsAnswers::canonicalName(const QString &name)
{
    QString n = name.trimmed().toLower();
    while (n.endsWith(QLatin1Char('.')))
        n.chop(1);
    return n;
}

QString DnsAnswers::key(DnsType type, const QString &name)
{
    return dnsTypeName(type) + QLatin1Char(' ') + canonicalName(name);
}

const DnsAnswer *DnsAnswers::find(DnsType type, const QString &name) const
{
    const auto it = m_answers.constFind(key(type, name));
    return it == m_answers.constEnd() ? nullptr : &it.value();
}

void DnsAnswers::insert(DnsType type, const QString &name, DnsAnswer answer)
{
    m_answers.insert(key(type, name), std::move(answer));
}

std::pair<DnsType, QString> splitDnsKey(const QString &key)
{
    const QString type = key.section(QLatin1Char(' '), 0, 0);
    const QString name = key.section(QLatin1Char(' '), 1);
    for (DnsType t : {DnsType::A, DnsType::AAAA, DnsType::MX, DnsType::TXT, DnsType::PTR}) {
        if (dnsTypeName(t) == type)
            return {t, name};
    }
    return {DnsType::TXT, name};
}

} // namespace mailroute
