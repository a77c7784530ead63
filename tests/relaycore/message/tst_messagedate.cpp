// Tests for formatRfc5322Date (RFC 5322 §3.3): fixed English names, the
// numeric zone of the time given, and a round trip through Qt's parser.
#include "relaycore/message/messagedate.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace mailroute;

class TestMessageDate : public QObject
{
    Q_OBJECT

private slots:
    void format_data();
    void format();
    void ignoresTheLocale();
    void invalidMeansNow();
    void roundTrip();
};

void TestMessageDate::format_data()
{
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<QByteArray>("expected");

    const QDate d(2025, 2, 13);
    QTest::newRow("utc") << QDateTime(d, QTime(23, 32, 54), QTimeZone::utc())
                         << QByteArray("Thu, 13 Feb 2025 23:32:54 +0000");
    QTest::newRow("plus one hour") << QDateTime(d, QTime(9, 5, 7), QTimeZone(3600))
                                   << QByteArray("Thu, 13 Feb 2025 09:05:07 +0100");
    QTest::newRow("minus 3:30") << QDateTime(QDate(1969, 2, 13), QTime(23, 32, 0),
                                             QTimeZone(-(3 * 3600 + 1800)))
                                << QByteArray("Thu, 13 Feb 1969 23:32:00 -0330");
    QTest::newRow("one-digit day, sunday") << QDateTime(QDate(2025, 3, 2), QTime(0, 0, 0), QTimeZone::utc())
                                           << QByteArray("Sun, 2 Mar 2025 00:00:00 +0000");
    QTest::newRow("december, plus 14")
        << QDateTime(QDate(2024, 12, 31), QTime(12, 0, 59), QTimeZone(14 * 3600))
        << QByteArray("Tue, 31 Dec 2024 12:00:59 +1400");
}

void TestMessageDate::format()
{
    QFETCH(QDateTime, when);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatRfc5322Date(when), expected);
}

void TestMessageDate::ignoresTheLocale()
{
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const QByteArray s = formatRfc5322Date(QDateTime(QDate(2025, 5, 1), QTime(8, 0), QTimeZone::utc()));
    QLocale::setDefault(before);
    QCOMPARE(s, QByteArray("Thu, 1 May 2025 08:00:00 +0000"));
}

void TestMessageDate::invalidMeansNow()
{
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime parsed =
        QDateTime::fromString(QString::fromLatin1(formatRfc5322Date(QDateTime())), Qt::RFC2822Date);
    QVERIFY(parsed.isValid());
    QVERIFY(qAbs(parsed.secsTo(now)) < 5);
}

void TestMessageDate::roundTrip()
{
    QRandomGenerator rng(42);
    for (int i = 0; i < 500; ++i) {
        const QDateTime t =
            QDateTime(QDate(1970, 1, 1).addDays(rng.bounded(40000)), QTime(0, 0).addSecs(rng.bounded(86400)),
                      QTimeZone((rng.bounded(105) - 48) * 900));
        const QByteArray s = formatRfc5322Date(t);
        const QDateTime back = QDateTime::fromString(QString::fromLatin1(s), Qt::RFC2822Date);
        QVERIFY2(back == t, s.constData());
        QCOMPARE(back.offsetFromUtc(), t.offsetFromUtc());
    }
}

QTEST_GUILESS_MAIN(TestMessageDate)
#include "tst_messagedate.moc"
