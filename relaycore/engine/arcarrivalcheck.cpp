#include "relaycore/engine/arcarrivalcheck.h"

#include "relaycore/arc/arcchain.h"
#include "relaycore/arc/arckeyfetcher.h"
#include "relaycore/dns/dnsresolver.h"

#include <QEventLoop>

namespace mailroute {

namespace {

// Whether the header section has an ARC-Seal field (any case); the body is
// not looked at.
bool hasArcSeal(const QByteArray &message)
{
    qsizetype end = message.indexOf("\r\n\r\n");
    if (end < 0)
        end = message.indexOf("\n\n");
    const QByteArray header = (end < 0 ? message : message.left(end)).toLower();
    return header.startsWith("arc-seal:") || header.contains("\narc-seal:");
}

} // namespace

ArcChainCheck arcArrivalCheck(const QString &nameserver, std::chrono::milliseconds lookupTimeout,
                              std::function<qint64()> now)
{
    return [nameserver, lookupTimeout, now = std::move(now)](const QByteArray &message,
                                                             const BodyFilePtr &body) {
        if (!hasArcSeal(message))
            return QStringLiteral("none");
        QEventLoop loop;
        DnsResolver::Options options;
        options.nameserver = nameserver;
        options.timeout = lookupTimeout;
        DnsResolver resolver(options);
        QString result;
        bool done = false;
        arcChainResult(
            message, now(), dnsKeyFetcher(&resolver, &loop, lookupTimeout),
            [&](const QString &verdict) {
                result = verdict;
                done = true;
                loop.quit();
            },
            body);
        if (!done)
            loop.exec();
        return result;
    };
}

} // namespace mailroute
