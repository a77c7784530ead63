// What the Spool tests share: a plain second connection to the spool file,
// message builders, and readers of the spool's own connection. Included by
// tst_spool*.cpp.
#pragma once

#include "relaycore/queue/spool.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace mailroute::testing {

using namespace Qt::StringLiterals;

// A second, plain connection to the spool file, as another process would have.
class RawDb final
{
public:
    explicit RawDb(const QString &path) : m_name(u"tst_spool.raw.%1"_s.arg(++s_serial))
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
        m_db.open();
        exec(u"PRAGMA busy_timeout = 5000"_s);
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            return false;
        }
        return true;
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    static inline int s_serial = 0;
    QString m_name;
    QSqlDatabase m_db;
};

inline QueuedRecipient recipient(const QString &address, const QString &original = {})
{
    QueuedRecipient r;
    r.address = address;
    r.originalAddress = original.isEmpty() ? address : original;
    return r;
}

inline IncomingMessage message(const QByteArray &body,
                               const QStringList &recipients = {u"chloe@drypizza.example"_s},
                               const QString &sender = u"bob@warmsushi.example"_s)
{
    IncomingMessage in;
    in.meta.sender = sender;
    in.meta.clientAddress = u"192.0.2.7"_s;
    in.meta.heloName = u"client.example"_s;
    in.meta.generation = 3;
    for (const QString &r : recipients)
        in.meta.recipients.append(recipient(r));
    in.data = body;
    return in;
}

inline QByteArray body(int i)
{
    return "Subject: message " + QByteArray::number(i) + "\r\n\r\nHello " + QByteArray::number(i) + "\r\n";
}

// The first difference between two messages, or an empty string.
inline QString difference(const QueuedMessage &a, const QueuedMessage &b)
{
    auto differ = [](const char *field, const auto &x, const auto &y) -> QString {
        if (x == y)
            return {};
        return QString::fromLatin1(field) + u" differs: "_s + QVariant::fromValue(x).toString() + u" vs "_s +
               QVariant::fromValue(y).toString();
    };
    QString d;
    auto check = [&d](QString why) {
        if (d.isEmpty())
            d = std::move(why);
    };
    check(differ("id", a.id, b.id));
    check(differ("queueId", a.queueId, b.queueId));
    check(differ("sender", a.sender, b.sender));
    check(differ("arrival", a.arrival, b.arrival));
    check(differ("clientAddress", a.clientAddress, b.clientAddress));
    check(differ("heloName", a.heloName, b.heloName));
    check(differ("generation", a.generation, b.generation));
    check(differ("size", a.size, b.size));
    check(differ("smtputf8", a.smtputf8, b.smtputf8));
    check(differ("eightBitMime", a.eightBitMime, b.eightBitMime));
    check(differ("isDsn", a.isDsn, b.isDsn));
    check(differ("recipients.size", a.recipients.size(), b.recipients.size()));
    for (qsizetype i = 0; d.isEmpty() && i < a.recipients.size(); ++i) {
        const QueuedRecipient &x = a.recipients.at(i);
        const QueuedRecipient &y = b.recipients.at(i);
        check(differ("recipient.id", x.id, y.id));
        check(differ("recipient.address", x.address, y.address));
        check(differ("recipient.originalAddress", x.originalAddress, y.originalAddress));
        check(differ("recipient.status", int(x.status), int(y.status)));
        check(differ("recipient.attempts", x.attempts, y.attempts));
        check(differ("recipient.nextAttempt", x.nextAttempt, y.nextAttempt));
        check(differ("recipient.lastError", x.lastError, y.lastError));
    }
    return d;
}

inline QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// The connection a Spool opened in this thread (the only one open in the test).
inline QSqlDatabase spoolConnection()
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(u"mailroute.spool."_s))
            return QSqlDatabase::database(name, false);
    }
    return {};
}

inline QVariant pragma(const QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA "_s + name) || !q.next())
        return {};
    return q.value(0);
}

} // namespace mailroute::testing
