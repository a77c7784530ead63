// mailroutectl dkim generate|list|record|rotate|remove (issue 10 items 3, 6):
// DKIM keys per domain, through DkimKeyring (the console uses the same). Keys
// go to the draft; a push makes them sign. At push time the pending keys'
// records are looked up in DNS (MAILROUTE_NAMESERVER like "check dns"), and a
// key whose record is published becomes active. Main thread.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"

#include "relaycore/config/hostport.h"
#include "relaycore/dkimadmin/dkimkeyring.h"
#include "relaycore/dns/nameserver.h"
#include "relaycore/readiness/dkimrecordcheck.h"
#include "relaycore/store/configstore.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mailroute {

namespace {

QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

} // namespace

int CtlApp::cmdDkim()
{
    // The verb and its DOMAIN: checked by the dispatcher (ctl_verbs.cpp).
    const QString verb = m_verb;
    const bool isList = verb == QLatin1String("list");

    // Options that belong to other verbs are usage errors, not silently ignored.
    const bool takesSelector = verb == QLatin1String("generate") || verb == QLatin1String("record") ||
                               verb == QLatin1String("remove");
    if (m_args.hasValue(QStringLiteral("selector")) && !takesSelector)
        return usage(QStringLiteral("dkim %1 takes no --selector").arg(verb), m_command);
    if (m_args.hasValue(QStringLiteral("algorithm")) && verb != QLatin1String("generate"))
        return usage(QStringLiteral("--algorithm belongs to 'dkim generate'"), m_command);
    if (m_args.has(QStringLiteral("zone")) && verb != QLatin1String("record"))
        return usage(QStringLiteral("--zone belongs to 'dkim record'"), m_command);
    if (m_args.has(QStringLiteral("json")) && !isList)
        return usage(QStringLiteral("--json belongs to 'dkim list'"), m_command);
    if (verb == QLatin1String("remove") && !m_args.hasValue(QStringLiteral("selector")))
        return usage(QStringLiteral("dkim remove needs --selector SEL"), m_command);
    DkimAlgorithm algorithm = DkimAlgorithm::Rsa2048;
    if (m_args.hasValue(QStringLiteral("algorithm"))) {
        const auto parsed = parseDkimAlgorithm(m_args.value(QStringLiteral("algorithm")));
        if (!parsed)
            return usage(QStringLiteral("unknown algorithm '%1' (rsa-2048, rsa-3072 or ed25519)")
                             .arg(m_args.value(QStringLiteral("algorithm"))),
                         m_command);
        algorithm = *parsed;
    }
    const QString selector = m_args.value(QStringLiteral("selector"));
    if (m_args.hasValue(QStringLiteral("selector")) && selector.trimmed().isEmpty())
        return usage(QStringLiteral("--selector needs a value"), m_command);

    if (!openStore())
        return kExitError;
    DkimKeyring keyring(*m_store);
    const QString domain = m_positionals.value(0);

    if (isList) {
        const QList<DkimKey> keys = m_store->dkimKeys();
        if (m_args.has(QStringLiteral("json"))) {
            JsonList array(m_out);
            for (const DkimKey &k : keys) {
                QJsonObject o{{QStringLiteral("domain"), k.domain},
                              {QStringLiteral("selector"), k.selector},
                              {QStringLiteral("algorithm"), dkimAlgorithmName(k.algorithm)},
                              {QStringLiteral("state"), dkimKeyStateName(k.state)},
                              {QStringLiteral("created"), timeText(k.created)},
                              {QStringLiteral("record_name"), dkimRecordName(k)},
                              {QStringLiteral("record"), DkimKeyring::recordValue(k)},
                              {QStringLiteral("key_file"), k.keyFile}};
                if (k.retiredAt > 0)
                    o.insert(QStringLiteral("retired_at"), timeText(k.retiredAt));
                array.add(o);
            }
            return kExitOk;
        }
        for (const DkimKey &k : keys)
            m_out << k.domain << '\t' << k.selector << '\t' << dkimAlgorithmName(k.algorithm) << '\t'
                  << dkimKeyStateName(k.state) << '\n';
        return kExitOk;
    }
    if (verb == QLatin1String("generate") || verb == QLatin1String("rotate")) {
        const Result<DkimKey> key = verb == QLatin1String("generate")
                                        ? keyring.generate(domain, selector, algorithm)
                                        : keyring.rotate(domain);
        if (!key)
            return fail(key.error);
        m_out << DkimKeyring::recordLine(*key) << '\n';
        m_err << "mailroutectl: DKIM key " << key->domain << ' ' << key->selector << " ("
              << dkimAlgorithmName(key->algorithm) << ") is " << dkimKeyStateName(key->state)
              << (key->state == DkimKeyState::Active
                      ? QStringLiteral("; publish the record above, then push: it signs from that push\n")
                      : QStringLiteral("; publish the record above, then push: the push that finds it in DNS "
                                       "makes it active\n"));
        return kExitOk;
    }
    if (verb == QLatin1String("record")) {
        const Result<QList<DkimKey>> keys = keyring.publishedKeys(domain, selector);
        if (!keys)
            return fail(keys.error);
        for (const DkimKey &k : *keys)
            m_out << (m_args.has(QStringLiteral("zone")) ? DkimKeyring::zoneLine(k)
                                                         : DkimKeyring::recordLine(k))
                  << '\n';
        return kExitOk;
    }
    // remove
    const Result<DkimRemoval> removed = keyring.remove(domain, selector);
    if (!removed)
        return fail(removed.error);
    m_out << "DKIM key " << removed->key.domain << ' ' << removed->key.selector
          << " removed from the draft\n";
    if (!removed->fileDeleted)
        m_err << "mailroutectl: its key file " << removed->key.keyFile
              << " stays: a pushed generation uses it, and a rollback could make it sign again\n";
    return kExitOk;
}

// Before a push: the pending keys whose records are now in DNS become active.
// A look-up that fails leaves them pending; the push goes on either way.
bool CtlApp::promotePendingDkimKeys()
{
    const QList<DkimKey> pending = DkimKeyring::pendingKeys(m_store->dkimKeys());
    if (pending.isEmpty())
        return true;
    const QString nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    if (!nameserver.isEmpty()) {
        if (const auto ns = NameServer::parse(nameserver); !ns.ok()) {
            fail(QStringLiteral("MAILROUTE_NAMESERVER: %1").arg(ns.error));
            return false;
        }
    }
    QEventLoop loop;
    DkimRecordCheck check;
    QList<DkimRecordStatus> results;
    QObject::connect(&check, &DkimRecordCheck::finished, &loop, [&](const QList<DkimRecordStatus> &r) {
        results = r;
        loop.quit();
    });
    check.start(pending, nameserver);
    loop.exec();
    DkimKeyring keyring(*m_store);
    for (const DkimPromotion &p : keyring.promote(results))
        m_out << p.message << '\n';
    return true;
}

} // namespace mailroute
