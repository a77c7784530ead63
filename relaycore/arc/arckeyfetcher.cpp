#include "relaycore/arc/arckeyfetcher.h"

#include "relaycore/dns/dnsresolver.h"

#include <QPointer>

namespace mailroute {

DkimKeyAnswer dkimKeyAnswerOf(const DnsAnswer &a)
{
    DkimKeyAnswer k;
    switch (a.outcome) {
    case DnsAnswer::Outcome::Records:
        k.kind = DkimKeyAnswer::Kind::Records;
        for (const QString &v : a.values)
            k.records << v.toUtf8();
        break;
    case DnsAnswer::Outcome::NoRecords:
    case DnsAnswer::Outcome::NxDomain:
        k.kind = DkimKeyAnswer::Kind::NoRecord;
        k.detail = a.outcomeName();
        break;
    case DnsAnswer::Outcome::Failure:
        k.kind = DkimKeyAnswer::Kind::TempFail;
        k.detail = QStringLiteral("DNS ") + a.outcomeName() +
                   (a.error.isEmpty() ? QString() : QStringLiteral(": ") + a.error);
        break;
    }
    return k;
}

DkimVerifier::KeyFetcher dnsKeyFetcher(DnsResolver *resolver, QObject *context,
                                       std::chrono::milliseconds timeout)
{
    QPointer<DnsResolver> r(resolver);
    return [r, context, timeout](const QString &name, DkimVerifier::KeyReply reply) {
        if (!r) {
            DkimKeyAnswer a;
            a.detail = QStringLiteral("no resolver");
            reply(a);
            return;
        }
        r->lookup(
            DnsType::TXT, name, context, [reply](const DnsAnswer &answer) { reply(dkimKeyAnswerOf(answer)); },
            timeout);
    };
}

} // namespace mailroute
