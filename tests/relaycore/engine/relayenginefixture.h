// The fixture of the relay engine's end-to-end tests (tst_relayengine,
// tst_relayqueue): the engine on its own thread (EngineController), swaks
// as the client, tests/relaycore/delivery/smtpsink.py as the next hop, every
// socket on 127.0.0.1; retry schedules run on a ManualClock.
#pragma once

#include "relaycore/queue/clock.h"
#include "relaycore/queue/spool.h"
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/secrets/secretstore.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/operationsstore.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;

namespace mailroute::testing {

struct SwaksRun
{
    int code = -1;
    QString output;
};

// swaks --server 127.0.0.1:PORT ...; its transcript (both sides) in output.
inline SwaksRun swaks(quint16 port, const QStringList &args)
{
    QStringList all{QStringLiteral("--server"),  QStringLiteral("127.0.0.1:%1").arg(port),
                    QStringLiteral("--helo"),    QStringLiteral("client.test"),
                    QStringLiteral("--timeout"), QStringLiteral("30")};
    // swaks' own default sender (user@host) is unqualified here, and refused.
    if (!args.contains(QStringLiteral("--from")))
        all << QStringLiteral("--from") << QStringLiteral("someone@outside.example");
    all << args;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("swaks"), all);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

inline QString messageFile(const QTemporaryDir &dir, const QByteArray &text)
{
    static int n = 0;
    const QString path = dir.filePath(QStringLiteral("msg%1.eml").arg(++n));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

} // namespace mailroute::testing

class RelayEngineFixture : public QObject
{
protected:
    QTemporaryDir m_dir;
    int m_spoolCounter = 0;
    QList<MessageLogEntry> m_events;
    std::shared_ptr<SecretStore> m_secrets; // the keychain the next startEngine() gets

    // Inbound: @warmsushi.example -> @drypizza.example, bob -> bob.owen;
    // drypizza.example and sender.example are routed to the sink.
    ConfigData baseConfig(quint16 listenPort, quint16 sinkPort) const
    {
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.area(Area::Inbound).users << UserMapping{QStringLiteral("bob@warmsushi.example"),
                                                   QStringLiteral("bob.owen@drypizza.example")};
        c.area(Area::Relay).domains << DomainMapping{QStringLiteral("oldco.example"),
                                                     QStringLiteral("newco.example")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        // The sink counts RCPTs per delivery attempt: no verification probes
        // (issue 18, tested in tst_recipientverify).
        c.settings.insert(QStringLiteral("verify.recipients"), QStringLiteral("off"));
        const QString sink = QStringLiteral("[127.0.0.1]:%1").arg(sinkPort);
        for (const char *domain : {"drypizza.example", "newco.example", "sender.example", "partner.example"})
            c.routes << TransportRoute{QString::fromLatin1(domain), sink};
        return c;
    }

    std::shared_ptr<const RelayConfig> build(const ConfigData &c, qint64 generation)
    {
        auto rc = RelayConfig::build(c, generation);
        if (!rc.ok())
            qFatal("RelayConfig::build failed: %s", qPrintable(rc.error));
        return *rc;
    }

    std::unique_ptr<EngineController> startEngine(const std::shared_ptr<const RelayConfig> &config,
                                                  const QString &spool, const Clock *clock = nullptr,
                                                  const QString &database = {})
    {
        EngineController::Options o;
        o.databasePath = database;
        o.holdPollMs = 100;
        o.engine.spoolDirectory = spool;
        o.engine.clock = clock;
        o.engine.schedulerTickMs = 50;
        o.engine.deliveryTimeouts.connect = std::chrono::milliseconds(3000);
        o.engine.secrets = m_secrets;
        auto c = std::make_unique<EngineController>(o);
        connect(c.get(), &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        c->start(config);
        if (!QTest::qWaitFor([&] { return c->status().listening || !c->status().error.isEmpty(); }, 10000))
            return nullptr;
        if (!c->status().listening)
            qWarning("engine did not listen: %s", qPrintable(c->status().error));
        return c;
    }

    QString newSpool() { return m_dir.filePath(QStringLiteral("spool%1").arg(++m_spoolCounter)); }

    QList<MessageLogEntry> eventsOf(const QString &kind) const
    {
        QList<MessageLogEntry> out;
        for (const MessageLogEntry &e : m_events) {
            if (e.eventName() == kind)
                out << e;
        }
        return out;
    }

    static QStringList rcpts(const QJsonObject &msg)
    {
        QStringList out;
        for (const QJsonValue &v : msg.value(QStringLiteral("rcpts")).toArray())
            out << v.toString();
        return out;
    }

    // A self-signed certificate made at test time (openssl req).
    bool makeCertificate(const QString &cn, const QString &days, QString *cert, QString *key)
    {
        *cert = m_dir.filePath(cn + QStringLiteral("-cert.pem"));
        *key = m_dir.filePath(cn + QStringLiteral("-key.pem"));
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                 QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), *key,
                 QStringLiteral("-out"), *cert, QStringLiteral("-days"), days, QStringLiteral("-subj"),
                 QStringLiteral("/CN=") + cn});
        return p.waitForFinished(60000) && p.exitCode() == 0;
    }

    ConfigData tlsConfig(quint16 listenPort, quint16 sinkPort, const QString &cert, const QString &key) const
    {
        ConfigData c = baseConfig(listenPort, sinkPort);
        c.settings.insert(QStringLiteral("tls.certificate"), cert);
        c.settings.insert(QStringLiteral("tls.key"), key);
        return c;
    }

    // RCPT commands for `address` the sink saw: one per delivery attempt.
    static int attemptsFor(const PySink &sink, const QString &address)
    {
        int n = 0;
        for (const QString &c : sink.commands())
            n += c.startsWith(QStringLiteral("RCPT TO:<%1>").arg(address)) ? 1 : 0;
        return n;
    }

    static QDateTime t0() { return QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC); }

    // A new configuration database (schema migrated) for the housekeeper.
    QString newDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("config%1.db").arg(++m_spoolCounter));
        ConfigStore store(path);
        if (!store.open())
            qFatal("cannot create %s", qPrintable(path));
        return path;
    }

    // Python's email package as the oracle of a DSN: the Action of every
    // per-recipient block of its message/delivery-status part.
    static QStringList dsnActions(const QByteArray &message)
    {
        QProcess p;
        p.start(QStringLiteral("/usr/bin/python3"),
                {QStringLiteral("-c"),
                 QStringLiteral("import sys, email\n"
                                "m = email.message_from_bytes(sys.stdin.buffer.read())\n"
                                "assert m.get_content_type() == 'multipart/report', m.get_content_type()\n"
                                "assert m.get_param('report-type') == 'delivery-status'\n"
                                "for part in m.walk():\n"
                                "    if part.get_content_type() == 'message/delivery-status':\n"
                                "        for block in part.get_payload()[1:]:\n"
                                "            print(block['Action'])\n")});
        p.write(message);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            return {QStringLiteral("python failed: ") + QString::fromUtf8(p.readAllStandardError())};
        return QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    void clearEvents()
    {
        m_events.clear();
        m_secrets.reset();
    }

    void printEventsIfFailed()
    {
        if (QTest::currentTestFailed()) {
            for (const MessageLogEntry &e : std::as_const(m_events))
                qWarning("event %s %s %s", qPrintable(e.time.toString(Qt::ISODate)),
                         qPrintable(e.eventName()),
                         QJsonDocument(QJsonObject::fromVariantMap(e.fields))
                             .toJson(QJsonDocument::Compact)
                             .constData());
        }
    }

    bool hasErrorEvent(const QString &reasonPart)
    {
        return QTest::qWaitFor(
            [&] {
                for (const MessageLogEntry &e : eventsOf(QStringLiteral("error"))) {
                    if (e.fields.value(QStringLiteral("reason")).toString().contains(reasonPart))
                        return true;
                }
                return false;
            },
            5000);
    }
};
