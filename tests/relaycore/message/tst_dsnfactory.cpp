// DsnFactory (relaycore/message/dsnfactory.h): the bounce, the delay notice
// and the hold warning the delivery scheduler spools, from plain values.
#include "relaycore/message/dsnfactory.h"

#include <QTest>

using namespace mailroute;

namespace {

QDateTime at(int hour, int minute = 0)
{
    return QDateTime(QDate(2024, 1, 1), QTime(hour, minute), Qt::UTC);
}

DsnOriginal original()
{
    return DsnOriginal{
        QStringLiteral("alice@sender.example"), QStringLiteral("4QX7Zk2Lm9"), at(9),
        "From: alice@sender.example\r\nTo: bob@warmsushi.example\r\nSubject: hello\r\n\r\nthe body\r\n"};
}

// The delivery-status part's per-recipient fields, unfolded, one per line.
QByteArray statusPart(const QByteArray &message)
{
    const qsizetype start = message.indexOf("Content-Type: message/delivery-status");
    const qsizetype end = message.indexOf("Content-Type: text/rfc822-headers");
    return start < 0 || end < 0 ? QByteArray() : message.mid(start, end - start);
}

} // namespace

class TestDsnFactory : public QObject
{
    Q_OBJECT

private slots:
    // A 4xx that ran out of retries is reported as 5.x.y with the same
    // detail; our own reason (no SMTP reply) is X-MailRoute; the original
    // recipient is named only where a rule changed it.
    void bounceReportsEachRecipient()
    {
        const QList<DsnFailure> failures{{QStringLiteral("bob.owen@drypizza.example"),
                                          QStringLiteral("bob@warmsushi.example"),
                                          QStringLiteral("451 4.2.0 mailbox busy"),
                                          {}},
                                         {QStringLiteral("zoe@nowhere.example"),
                                          QStringLiteral("zoe@nowhere.example"),
                                          QStringLiteral("5.1.2 domain nowhere.example not found (NXDOMAIN)"),
                                          {}}};
        const auto dsn = DsnFactory::bounce(QStringLiteral("relay.mailroute.test"), original(), failures,
                                            QStringLiteral("mx.drypizza.example[192.0.2.1]:25"), at(10));
        QVERIFY2(dsn.ok(), qPrintable(dsn.error));
        const QByteArray status = statusPart(dsn->message);
        QVERIFY2(!status.isEmpty(), dsn->message.constData());
        QVERIFY(dsn->message.contains("To: alice@sender.example\r\n"));
        QVERIFY(dsn->message.contains("From: Mail Delivery System <MAILER-DAEMON@relay.mailroute.test>"));
        QVERIFY(status.contains("Final-Recipient: rfc822; bob.owen@drypizza.example\r\n"));
        QVERIFY(status.contains("Original-Recipient: rfc822; bob@warmsushi.example\r\n"));
        QVERIFY(status.contains("Status: 5.2.0\r\n"));
        QVERIFY(status.contains("Diagnostic-Code: smtp; 451 4.2.0 mailbox busy\r\n"));
        QVERIFY(status.contains("Remote-MTA: dns; mx.drypizza.example[192.0.2.1]"));
        QVERIFY(status.contains("Final-Recipient: rfc822; zoe@nowhere.example\r\n"));
        QCOMPARE(status.count("Original-Recipient:"), 1);
        QVERIFY(status.contains("Status: 5.1.2\r\n"));
        QVERIFY(status.contains("Diagnostic-Code: X-MailRoute; 5.1.2 domain nowhere.example not found"));
        QCOMPARE(status.count("Action: failed\r\n"), 2);
        QVERIFY(!status.contains("Will-Retry-Until"));
        // Only the header section of the original is quoted.
        QVERIFY(dsn->message.contains("Subject: hello\r\n"));
        QVERIFY(!dsn->message.contains("the body"));
    }

    // The null sender is never bounced: no DSN can be built.
    void noBounceToTheNullSender()
    {
        DsnOriginal o = original();
        o.sender.clear();
        const auto dsn = DsnFactory::bounce(
            QStringLiteral("relay.mailroute.test"), o,
            {{QStringLiteral("a@b.example"), {}, QStringLiteral("550 5.1.1 no"), {}}}, {}, at(10));
        QVERIFY(!dsn.ok());
    }

    void delayNoticeSaysUntilWhen()
    {
        const QList<DsnFailure> waiting{{QStringLiteral("bob.owen@drypizza.example"),
                                         QStringLiteral("bob.owen@drypizza.example"),
                                         QStringLiteral("451 4.2.0 mailbox busy"), at(10, 25)}};
        const auto dsn =
            DsnFactory::delayNotice(QStringLiteral("relay.mailroute.test"), original(), waiting, at(9, 30));
        QVERIFY2(dsn.ok(), qPrintable(dsn.error));
        const QByteArray status = statusPart(dsn->message);
        QVERIFY(status.contains("Action: delayed\r\n"));
        QVERIFY(status.contains("Status: 4.2.0\r\n"));
        const qsizetype until = status.indexOf("Will-Retry-Until: ");
        QVERIFY2(until >= 0, status.constData());
        QVERIFY(status.mid(until, status.indexOf("\r\n", until) - until).contains("2024 10:25:00 +0000"));
        QVERIFY(!status.contains("Original-Recipient:"));
    }

    void holdWarningNamesTheDomainAndTheCommand()
    {
        const QByteArray text = DsnFactory::holdWarning(
            QStringLiteral("relay.mailroute.test"), QStringLiteral("admin@drypizza.example"),
            QStringLiteral("4QX7Zk2Lm9"), QStringLiteral("warmsushi.example"), at(0).addDays(-6), 3, at(0));
        QVERIFY(text.contains("To: admin@drypizza.example\r\n"));
        QVERIFY(text.contains("Subject: Mail for @warmsushi.example has been on hold for 6 days\r\n"));
        QVERIFY(text.contains("Message-ID: <4QX7Zk2Lm9.hold@relay.mailroute.test>\r\n"));
        QVERIFY(text.contains("3 recipient(s) wait in the queue"));
        QVERIFY(text.contains("mailroutectl hold release warmsushi.example\r\n"));
        QVERIFY(text.contains("Auto-Submitted: auto-generated\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestDsnFactory)
#include "tst_dsnfactory.moc"
